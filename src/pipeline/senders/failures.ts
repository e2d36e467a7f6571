// One classification of failures below HTTP for both senders, so that a refused connection, a
// certificate error or a reset reads the same whether fetch or node:http met it. The stage comes
// from the system's code where it names one; otherwise from where the exchange was (before the
// answer's headers, or while its body was read). Messages name the origin, never the path or
// query, and never carry headers.
import { SendError, type FailureStage } from "./types.js";

const DNS_CODES: ReadonlySet<string> = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME"]);
// Only codes that prove no byte of the request reached the server: a POST may then be sent again.
const CONNECT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TLS_CODES: ReadonlySet<string> = new Set([
  "EPROTO",
  "HOSTNAME_MISMATCH",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
]);
const SEND_CODES: ReadonlySet<string> = new Set(["EPIPE"]);

function isTlsCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_") || code.includes("CERT");
}

/** The stage a system code names, or `where` (the point the exchange had reached) when it names none. */
export function stageOf(code: string | undefined, where: "headers" | "body"): FailureStage {
  if (code === undefined || where === "body") return where;
  if (DNS_CODES.has(code)) return "dns";
  if (CONNECT_CODES.has(code)) return "connect";
  if (isTlsCode(code)) return "tls";
  if (SEND_CODES.has(code)) return "send";
  return "headers";
}

/**
 * The first `code` string on an error or its chain of causes (undici nests the system error as
 * `cause`); for an AggregateError (one failure per address tried), the code all of them share.
 */
export function codeOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const codes = new Set(errors.map(codeOf));
      return codes.size === 1 ? [...codes][0] : undefined;
    }
  }
  return undefined;
}

/** A decoder's code (node:zlib: `Z_DATA_ERROR`…, brotli: `ERR__ERROR_FORMAT_PADDING_1`…): the body arrived but is not what its Content-Encoding says. */
export function isDecodingCode(code: string | undefined): boolean {
  return (
    code !== undefined && (code.startsWith("Z_") || code.startsWith("ERR__ERROR_") || code.includes("BROTLI") || code.includes("ZSTD"))
  );
}

const WHAT: Record<FailureStage, string> = {
  dns: "could not resolve the host of",
  connect: "could not connect to",
  tls: "the TLS connection failed with",
  send: "the request could not be sent to",
  headers: "the connection broke before the answer's headers arrived from",
  body: "the answer's body broke off, from",
};

/** A SendError for `cause`, met at `where` of an exchange with `url`. */
export function sendError(cause: unknown, url: string, where: "headers" | "body"): SendError {
  const code = codeOf(cause);
  const stage = stageOf(code, where);
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    origin = "the server";
  }
  const detail = code ?? (cause instanceof Error ? cause.message : String(cause));
  const what = stage === "body" && isDecodingCode(code) ? "the answer's body did not decode by its Content-Encoding, from" : WHAT[stage];
  return new SendError(stage, code, `${what} ${origin} (${detail})`, { cause });
}
