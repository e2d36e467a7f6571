// A sender over fetch (the global one, or the `fetch` option's, which receives a Request). Kept
// minimal: the contract's behaviour that the steps above rely on (decoded size limits, abort
// reasons, failures classified by stage).
import { BodyLimitError, SendError, type FailureStage, type Sender, type SentResponse } from "./types.js";

export type FetchLike = (input: Request) => Promise<Response>;

const STAGE_OF_CODE: Record<string, FailureStage> = {
  ECONNREFUSED: "connect",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  ECONNRESET: "send",
  UND_ERR_SOCKET: "headers",
  UND_ERR_CONNECT_TIMEOUT: "connect",
};

/** The code in an error or its causes (undici puts it in `cause`, several addresses in an AggregateError). */
function codeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) return codeOf(errors[0]);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function failure(error: unknown, signal: AbortSignal | undefined, stage: FailureStage): unknown {
  if (signal?.aborted) return signal.reason;
  // fetch reports network failures as TypeErrors; anything else (a custom fetch's own error) is passed on.
  if (!(error instanceof TypeError)) return error;
  const code = codeOf(error);
  const at = stage === "body" ? "body" : code ? (STAGE_OF_CODE[code] ?? (/CERT|SSL|TLS/.test(code) ? "tls" : "headers")) : "headers";
  const cause = (error as { cause?: unknown }).cause;
  const message = cause instanceof Error ? cause.message : error.message;
  return new SendError(at, code, message, { cause: error });
}

function answer(response: Response, signal: AbortSignal | undefined): SentResponse & { redirectedTo?: string | undefined; url: string } {
  const body = response.body;
  return {
    // A browser's opaque redirect has status 0; the response guard refuses it.
    status: response.type === "opaqueredirect" ? 0 : response.status,
    statusText: response.statusText,
    headers: response.headers,
    url: response.url,
    redirectedTo: response.redirected ? response.url : undefined,
    async bytes(limit: number): Promise<Uint8Array> {
      if (body === null) return new Uint8Array(0);
      // Not encoded and of a declared length within the limit: fetch holds it to that length.
      const length = response.headers.get("content-length");
      if (length !== null && Number(length) <= limit && !response.headers.has("content-encoding")) {
        try {
          return new Uint8Array(await response.arrayBuffer());
        } catch (error) {
          throw failure(error, signal, "body");
        }
      }
      const reader = body.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > limit) {
            reader.cancel().catch(() => {});
            throw new BodyLimitError(limit);
          }
          chunks.push(value);
        }
      } catch (error) {
        if (error instanceof BodyLimitError) throw error;
        throw failure(error, signal, "body");
      }
      if (chunks.length === 1) return chunks[0]!;
      const all = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        all.set(chunk, at);
        at += chunk.byteLength;
      }
      return all;
    },
    stream: () => body,
    async discard() {
      await body?.cancel().catch(() => {});
    },
  };
}

/** A sender that calls `fetch` (given: with a Request per request; else the global fetch with the URL and an init). */
export function fetchSender(custom?: FetchLike): Sender {
  return async (request) => {
    // A call's other init options (`cache`, `credentials`…), when the pipeline passes them on.
    const extras = (request as { fetchInit?: Record<string, unknown> }).fetchInit;
    const init: RequestInit = { ...extras, method: request.method, headers: request.headers, redirect: "manual" };
    if (request.body !== undefined) init.body = request.body as Uint8Array<ArrayBuffer>;
    if (request.signal) init.signal = request.signal;
    let response: Response;
    try {
      response = custom ? await custom(new Request(request.url, init)) : await globalThis.fetch(request.url, init);
    } catch (error) {
      throw failure(error, request.signal, "connect");
    }
    return answer(response, request.signal);
  };
}
