// The sender over fetch: browsers, Deno, Bun, and Node by choice (a fetch of your own, for request
// interception or undici's ProxyAgent). Redirects are never followed (`redirect: "manual"`); the
// runtime decodes gzip, deflate and br, and the body is read chunk by chunk so that a small
// compressed answer cannot grow past the caller's limit in memory.
import { functionOption } from "../../options/check.js";
import { codeOf, sendError } from "./failures.js";
import { BodyLimitError, type SendRequest, type Sender, type SentResponse } from "./types.js";

/** A fetch of your own: it receives each request as a `Request`, credentials included, set not to follow redirects. */
export type FetchLike = (input: Request) => Promise<Response>;

// What runtimes say when fetch meets a network failure without a system code (browsers give no detail).
const NETWORK_MESSAGES =
  /^(fetch failed|failed to fetch|networkerror when attempting to fetch resource\.?|load failed|network error|terminated|error sending request)/i;

/** A network failure as fetch reports it, as opposed to a mistake in the request (an invalid header) or an error of a fetch of your own. */
function isNetworkFailure(error: unknown): boolean {
  return codeOf(error) !== undefined || (error instanceof TypeError && NETWORK_MESSAGES.test(error.message));
}

/**
 * Sends through `fetchFn`, or through the global `fetch` (looked up on every request, so that
 * tools replacing `globalThis.fetch` see the calls). A custom `fetchFn` receives a `Request`; the
 * global fetch gets the URL and an init, which saves building one.
 */
export function fetchSender(fetchFn?: FetchLike): Sender {
  functionOption("fetchSender", "fetch", fetchFn);
  return async function sendThroughFetch(request: SendRequest): Promise<SentResponse> {
    const init: RequestInit = { ...request.fetchInit, method: request.method, headers: request.headers, redirect: "manual" };
    if (request.body !== undefined) init.body = request.body as Uint8Array<ArrayBuffer>;
    if (request.signal) init.signal = request.signal;
    let response: Response;
    try {
      response = await (fetchFn ? fetchFn(new Request(request.url, init)) : globalThis.fetch(request.url, init));
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      throw isNetworkFailure(error) ? sendError(error, request.url, "headers") : error;
    }
    return new FetchedResponse(response, request);
  };
}

class FetchedResponse implements SentResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly redirectedTo: string | undefined;

  constructor(
    private readonly response: Response,
    private readonly request: SendRequest,
  ) {
    // A browser's opaque redirect keeps status 0 (its target is not disclosed).
    this.status = response.status;
    this.statusText = response.statusText;
    this.headers = response.headers;
    this.redirectedTo = response.redirected ? response.url : undefined;
  }

  async bytes(limit: number): Promise<Uint8Array> {
    const body = this.response.body;
    if (body === null) return new Uint8Array(0);
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (this.request.signal?.aborted) throw this.request.signal.reason;
        // A fetch of your own that timed out or aborted the body itself: its reason, as at the headers.
        if (isAbortReason(error)) throw error;
        throw sendError(error, this.request.url, "body");
      }
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => undefined);
        throw new BodyLimitError(limit);
      }
      chunks.push(chunk.value);
    }
    return joined(chunks, size);
  }

  stream(): ReadableStream<Uint8Array> | null {
    return this.response.body;
  }

  async discard(): Promise<void> {
    await this.response.body?.cancel().catch(() => undefined);
  }
}

function isAbortReason(error: unknown): boolean {
  return error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");
}

function joined(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/** The sender of requests that name none (`#sender` outside Node): the global fetch. */
export const defaultSender: Sender = /* @__PURE__ */ fetchSender();
