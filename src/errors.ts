// One error type for every failed call (OtcApiError), the readers for the services' error body
// shapes, and the errors of the helpers built on calls (pagination guards, waiters).
//
// Errors never carry credentials: they hold no request headers and no request body, URLs are
// stripped of user info and of query values whose names look like secrets, and the response
// body kept in `body` is the service's answer, cut at 64 KiB (error-body.ts).

import { keepText, MAX_ERROR_BODY, wasCut } from "./error-body.js";
import { redactUrl } from "./redact.js";
import { describeRedirect, type Redirect } from "./redirects.js";
import { SendError } from "./pipeline/senders/types.js";
import { isTimeout } from "./timers.js";

/**
 * What went wrong: an HTTP error status, no answer at all, no (complete) answer in time, an
 * answer whose body broke off, an answer that could not be read, or a redirect (never followed,
 * so that credentials stay with the configured origin).
 */
export type ApiErrorKind = "http" | "network" | "timeout" | "incomplete-response" | "malformed-response" | "redirect" | "too-large";

export interface OtcApiErrorDetails {
  kind: ApiErrorKind;
  /** HTTP status; 0 when no response arrived. */
  status?: number | undefined;
  statusText?: string | undefined;
  /** The service's error code (`BackupService.6500`, `VolumeBackup.0002`, `APIG.0301`, 404…). */
  code?: string | number | undefined;
  /** The service's own error message. */
  serviceMessage?: string | undefined;
  requestId?: string | undefined;
  operationId?: string | undefined;
  method: string;
  /** Request URL; redacted on construction. */
  url: string;
  /** The answer: parsed JSON, or text when it is not JSON; text is cut at MAX_ERROR_BODY characters. */
  body?: unknown;
  /** The body was cut before it was kept (it was longer than MAX_ERROR_BODY). */
  bodyTruncated?: boolean | undefined;
  /** Overrides the generated description (the part after the operation name). */
  detail?: string | undefined;
  cause?: unknown;
}

const API_ERROR_BRAND = Symbol.for("otc-backup-api.OtcApiError");

/**
 * A failed call: an error status from the service (`kind: "http"`), no answer (`"network"`),
 * no complete answer in time (`"timeout"`), an answer whose connection broke while its body
 * arrived (`"incomplete-response"`), or an answer that could not be read
 * (`"malformed-response"`: HTML from a proxy, truncated JSON, a body that does not decode), or a
 * success body larger than the client's `maxResponseBytes` (`"too-large"`, never retried). A
 * caller's own AbortSignal is never turned into this error:
 * aborting rejects with the signal's reason, as fetch does.
 */
export class OtcApiError extends Error {
  override readonly name = "OtcApiError";
  declare readonly kind: ApiErrorKind;
  /** HTTP status; 0 when no response arrived. */
  declare readonly status: number;
  /** The service's error code (string for VBS/CBR/APIG, number for OpenStack faults). */
  declare readonly code: string | number | undefined;
  /** The service's own message (the `message` / `error_msg` of the error body). */
  declare readonly serviceMessage: string | undefined;
  /** `X-Request-Id` / `X-Openstack-Request-Id` (or the body's `request_id`), for support cases. */
  declare readonly requestId: string | undefined;
  /** The spec's operationId (`listVault`, `showJob`…), when the call was made through a client. */
  declare operationId: string | undefined;
  declare readonly method: string;
  /** The request URL, without user info and with secret-looking query values replaced. */
  declare readonly url: string;
  /** The response body: parsed JSON, or the text when it was not JSON; undefined when empty. At most 64 KiB of text. */
  declare readonly body: unknown;
  /** True when the body was longer than 64 KiB and only its beginning is kept (or was read at all). */
  declare readonly bodyTruncated: boolean;
  readonly #detail: string | undefined;

  constructor(details: OtcApiErrorDetails) {
    super("", details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.status = details.status ?? 0;
    this.code = details.code;
    this.serviceMessage = details.serviceMessage;
    this.requestId = details.requestId;
    this.operationId = details.operationId;
    this.method = details.method;
    this.url = redactUrl(details.url);
    if (typeof details.body === "string") {
      const kept = keepText(details.body, details.bodyTruncated);
      this.body = kept.text;
      this.bodyTruncated = kept.truncated;
    } else {
      this.body = details.body;
      this.bodyTruncated = details.bodyTruncated ?? false;
    }
    this.#detail = details.detail;
    Object.defineProperty(this, API_ERROR_BRAND, { value: true });
    this.message = this.#describe(details.statusText);
  }

  /** Names the operation the error belongs to (the client does this for errors raised below it). */
  withOperation(operationId: string | undefined): this {
    if (operationId !== undefined && this.operationId === undefined) {
      this.operationId = operationId;
      this.message = this.#describe(undefined);
    }
    return this;
  }

  #describe(statusText: string | undefined): string {
    const what = this.operationId ?? `${this.method} ${pathOf(this.url)}`;
    let detail = this.#detail;
    if (detail === undefined) {
      const service = [this.code, this.serviceMessage]
        .filter((p) => p !== undefined && p !== "")
        .map((p) => quoteServiceText(String(p)))
        .join(": ");
      detail = `${httpStatus({ status: this.status, statusText: statusText ?? "" })}${service ? ` (${service})` : ""}`;
    }
    return `${what}: ${detail}${this.requestId ? ` [request id ${this.requestId}]` : ""}`;
  }

  /** Every field above, with the name and message (the body as kept, never a request header). */
  toJSON() {
    return { ...this, message: this.message };
  }
}

/** True for an OtcApiError, also one created by another copy of this package. */
export function isOtcApiError(value: unknown): value is OtcApiError {
  return (
    value instanceof OtcApiError ||
    (typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[API_ERROR_BRAND] === true)
  );
}

// ---- error bodies ----

export interface ServiceError {
  code?: string | number;
  message?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isCode = (v: unknown): v is string | number => typeof v === "string" || typeof v === "number";

function pickFields(o: Obj): ServiceError | undefined {
  const [code, message] =
    isCode(o.error_code) || typeof o.error_msg === "string"
      ? [o.error_code, o.error_msg]
      : typeof o.message === "string" || (isCode(o.code) && ("message" in o || "title" in o))
        ? [o.code, o.message]
        : [];
  if (code === undefined && message === undefined) return undefined;
  const found: ServiceError = {};
  if (isCode(code)) found.code = code;
  if (typeof message === "string") found.message = message;
  return found;
}

/**
 * Reads the service's code and message from any documented error body: `{error_code, error_msg}`
 * (CBR, API gateway), `{error: {code, message}}` (VBS, IAM), `{badRequest|itemNotFound|…: {code,
 * message}}` (OpenStack faults), top-level `{code, message}`, or `{error: "text"}`. Unknown
 * shapes give `{}`.
 */
export function readServiceError(body: unknown): ServiceError {
  if (!isObj(body)) return {};
  const top = pickFields(body);
  if (top) return top;
  for (const value of Object.values(body)) {
    if (isObj(value)) {
      const nested = pickFields(value);
      if (nested) return nested;
    }
  }
  if (typeof body.error === "string") return { message: body.error };
  return {};
}

const REQUEST_ID_HEADERS = ["x-request-id", "x-openstack-request-id", "x-compute-request-id", "x-trace-id"];

/** The request id of a response: from the usual headers, else the body's `request_id`. */
export function requestIdOf(headers: Headers, body?: unknown): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return isObj(body) && typeof body.request_id === "string" ? body.request_id : undefined;
}

export interface CallContext {
  method: string;
  url: string;
  operationId?: string | undefined;
}

/** The most characters of a service's text (a message, a body) that an error message quotes. */
export const MAX_QUOTED = 200;

/**
 * Service text as an error message may quote it: runs of white space made one space, at most
 * MAX_QUOTED characters, and control characters escaped (`\u001b`), so that a message never
 * carries a raw line break or a terminal escape sequence into a log or a terminal.
 */
export function quoteServiceText(text: string): string {
  const flat = text.replace(/[ \t\r\n]+/g, " ").trim();
  const cut = flat.length > MAX_QUOTED ? `${flat.slice(0, MAX_QUOTED)}…` : flat;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const snippet = quoteServiceText;

/** What the errors read of an answer: its status line, headers and URL (a Response, or the pipeline's own). */
export interface AnswerHead {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
}

/** What is wrong with a body that should be JSON: empty, cut short or malformed, or not JSON (its type). */
function notJson(response: AnswerHead, text: string): string {
  const c = text.trimStart()[0];
  if (c === "{" || c === "[") return "truncated or malformed JSON";
  const type = response.headers.get("content-type");
  return `not JSON${type ? ` (${type.split(";")[0]})` : ""}`;
}

/** `HTTP 503 Service Unavailable` */
const httpStatus = (response: { status: number; statusText: string }) =>
  `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;

/**
 * The error for an answer with an error status. `body` is what openapi-fetch read: parsed
 * JSON, or the text when it was not JSON, or undefined/"" when there was none.
 */
export function errorFromResponse(response: Response, body: unknown, context: CallContext): OtcApiError {
  const { code, message } = readServiceError(body);
  const requestId = requestIdOf(response.headers, body);
  const truncated = wasCut(response);
  let detail: string | undefined;
  if (body === undefined || body === "") {
    detail = `${httpStatus(response)} with an empty body`;
  } else if (typeof body === "string") {
    const size = truncated || body.length > MAX_ERROR_BODY ? ` (over ${MAX_ERROR_BODY / 1024} KiB, cut)` : "";
    detail = `${httpStatus(response)}; the error body${size} is ${notJson(response, body)}: ${snippet(body)}`;
  }
  return new OtcApiError({
    kind: "http",
    status: response.status,
    statusText: response.statusText,
    code,
    serviceMessage: message,
    requestId,
    operationId: context.operationId,
    method: context.method,
    url: response.url || context.url,
    body: body === "" ? undefined : body,
    bodyTruncated: truncated,
    detail,
  });
}

/** The error for a success status whose body is not the JSON it should be. */
export function malformedResponseError(response: AnswerHead, text: string, context: CallContext, cause?: unknown): OtcApiError {
  const why = text === "" ? "empty" : notJson(response, text);
  return new OtcApiError({
    kind: "malformed-response",
    status: response.status,
    requestId: requestIdOf(response.headers),
    operationId: context.operationId,
    method: context.method,
    url: response.url || context.url,
    body: text,
    detail: `HTTP ${response.status} but the body is ${why}: ${snippet(text)}`,
    cause,
  });
}

/**
 * The error for a request that failed below HTTP: the one place that tells a timeout, a network
 * failure and a body that could not be read apart. `response` is the answer whose headers had
 * arrived when the failure happened, if any: a failure after it is not a network error.
 */
export function transportError(error: unknown, context: CallContext, response?: AnswerHead): OtcApiError {
  const reason = error instanceof Error ? (causeMessage(error) ?? error.message) : String(error);
  const timeout = isTimeout(error);
  let kind: ApiErrorKind = timeout ? "timeout" : "network";
  const stage = error instanceof SendError ? ` at ${error.stage}` : "";
  let detail = timeout ? "no response before the request timeout" : `no response${stage} (${reason})`;
  if (response) {
    const head = `HTTP ${response.status} arrived`;
    if (timeout) detail = `${head}, but its body did not finish before the request timeout`;
    else if (isDecodingFailure(error)) {
      kind = "malformed-response";
      detail = `${head}, but its body could not be decoded (Content-Encoding ${response.headers.get("content-encoding") ?? "none"}: ${reason})`;
    } else {
      kind = "incomplete-response";
      detail = `${head}, but the connection broke while its body was read (${reason})`;
    }
  }
  return new OtcApiError({
    kind,
    detail,
    status: response?.status,
    statusText: response?.statusText,
    requestId: response && requestIdOf(response.headers),
    operationId: context.operationId,
    method: context.method,
    url: response?.url || context.url,
    cause: error,
  });
}

/** The error for a success answer whose decoded body grew past the client's `maxResponseBytes`. */
export function tooLargeError(response: AnswerHead, limit: number, context: CallContext): OtcApiError {
  return new OtcApiError({
    kind: "too-large",
    status: response.status,
    statusText: response.statusText,
    requestId: requestIdOf(response.headers),
    operationId: context.operationId,
    method: context.method,
    url: response.url || context.url,
    detail: `HTTP ${response.status} arrived, but its body is larger than maxResponseBytes (${limit} bytes decoded); reading stopped there`,
  });
}

/** The error for a redirect the client refused to follow (see redirects.ts). */
export function redirectError(redirect: Redirect, context: CallContext): OtcApiError {
  return new OtcApiError({
    kind: "redirect",
    status: redirect.status,
    operationId: context.operationId,
    method: context.method,
    url: context.url,
    detail: describeRedirect(redirect),
  });
}

/** A body that does not decode: a zlib or brotli error code on the failure (a SendError's) or its cause (undici's TypeError). */
function isDecodingFailure(error: unknown): boolean {
  const own = (error as { code?: unknown } | null)?.code;
  const code = typeof own === "string" ? own : (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return (
    typeof code === "string" &&
    (code.startsWith("Z_") || code.includes("BROTLI") || code.includes("ZSTD") || code === "ERR_STREAM_PREMATURE_CLOSE_DECODE")
  );
}

function causeMessage(error: Error): string | undefined {
  if (error instanceof SendError) return `${error.code ? `${error.code} ` : ""}${error.message}`;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message}: ${typeof code === "string" ? `${code} ` : ""}${cause.message}`.trim();
  }
  return undefined;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

// ---- helper errors ----

/**
 * What the helpers' errors share: a message, and details that become the error's fields (each
 * subclass declares them, with its name). One constructor instead of one per error.
 */
class HelperError<Details extends object> extends Error {
  constructor(message: string, details: Details) {
    super(message);
    Object.assign(this, details);
  }
}

/** A pager met a service answer that would loop forever or could not be read. */
export class PaginationError extends HelperError<{ operationId?: string | undefined; pages: number }> {
  override readonly name = "PaginationError";
  /** The operation being paged, when known. */
  declare readonly operationId: string | undefined;
  /** Pages fetched before the problem. */
  declare readonly pages: number;
}

/** A waited-for job, task or resource ended in a failure status. */
export class OperationFailedError extends HelperError<{
  status: string;
  code?: string | undefined;
  reason?: string | undefined;
  operationId?: string | undefined;
  resource: unknown;
}> {
  override readonly name = "OperationFailedError";
  /** The failure status (`FAIL`, `error`, `failed`…). */
  declare readonly status: string;
  /** The service's error code for the failure (a VBS job's `error_code`), when it reports one. */
  declare readonly code: string | undefined;
  /** The service's reason (a VBS job's `fail_reason`), when it reports one. */
  declare readonly reason: string | undefined;
  /** The operation that was polled. */
  declare readonly operationId: string | undefined;
  /** The last polled body (the job, the task, the resource). */
  declare readonly resource: unknown;
}

/** A waiter's overall timeout passed before the work ended. */
export class WaitTimeoutError extends HelperError<{ lastStatus: string | undefined; resource: unknown; elapsedMs: number; polls: number }> {
  override readonly name = "WaitTimeoutError";
  /** The last status seen, if any poll answered. */
  declare readonly lastStatus: string | undefined;
  /** The last polled body. */
  declare readonly resource: unknown;
  declare readonly elapsedMs: number;
  declare readonly polls: number;
}
