// Attempt timeouts that the test server decides, instead of a wall-clock timer racing the answer.
//
// A client timer of N ms fires on a busy machine for answers that were merely late (the loopback
// server shares the event loop with the client), so a test built on it measures the machine. With
// these, the client's own timeout is left long, and an attempt times out exactly when the server
// says it stalled it: the client's fetch is aborted with the TimeoutError a timer would raise.
//
//   const timeouts = serverDecidedTimeouts();
//   const client = loopbackClient("cbr", url, table, { fetch: timeouts.fetch });
//   // in the handler, for a request the server leaves unanswered:
//   timeouts.expire(req);                  // no answer: the attempt times out now
//   timeouts.expire(req, "after-headers"); // headers sent, body stalled: times out once they arrived
import type { FetchLike } from "../../src/pipeline/senders/fetch.js";
import type { LoopbackRequest } from "./loopback.js";

/** The request header that names each attempt for the server. */
export const ATTEMPT_HEADER = "x-test-attempt-id";

interface Pending {
  controller: AbortController;
  headersArrived: boolean;
  /** Set when the server expired the attempt before its headers arrived. */
  dueAfterHeaders: boolean;
}

export interface ServerDecidedTimeouts {
  /** A fetch for the client's `fetch` option: tags each attempt and lets the server time it out. */
  fetch: FetchLike;
  /** Times out the attempt `req` belongs to, now or (`"after-headers"`) once its headers arrived. */
  expire(req: LoopbackRequest, when?: "now" | "after-headers"): void;
  /** Attempts the server timed out. */
  readonly expired: number;
}

const timeoutError = () => new DOMException("The operation timed out.", "TimeoutError");

/**
 * Aborts once the client is reading the body (it starts within the turn its headers arrived): an
 * abort between the headers and the read makes undici's body methods throw a bare AbortError
 * instead of the signal's reason, which is not what a stalled body looks like.
 */
function abortWhileReading(entry: Pending): void {
  setImmediate(() => entry.controller.abort(timeoutError()));
}

export function serverDecidedTimeouts(): ServerDecidedTimeouts {
  const pending = new Map<string, Pending>();
  let next = 0;
  let expired = 0;

  const fetch: FetchLike = async (request) => {
    const id = String(++next);
    const entry: Pending = { controller: new AbortController(), headersArrived: false, dueAfterHeaders: false };
    pending.set(id, entry);
    const headers = new Headers(request.headers);
    headers.set(ATTEMPT_HEADER, id);
    // The caller's abort (the client's own timer, a caller's signal) is forwarded by hand, and the
    // fetch gets a plain init: undici follows a Request's signal through weak references, and an
    // intermediate Request (or AbortSignal.any) that nothing else holds can be collected, after
    // which the abort never arrives.
    const { signal } = request;
    if (signal.aborted) entry.controller.abort(signal.reason);
    else signal.addEventListener("abort", () => entry.controller.abort(signal.reason), { once: true });
    const init: RequestInit = { method: request.method, headers, redirect: "manual", signal: entry.controller.signal };
    if (request.body !== null) init.body = await request.arrayBuffer();
    try {
      const response = await globalThis.fetch(request.url, init);
      entry.headersArrived = true;
      if (entry.dueAfterHeaders) abortWhileReading(entry);
      return response;
    } catch (error) {
      pending.delete(id);
      throw error;
    }
  };

  return {
    fetch,
    expire(req, when = "now") {
      const id = req.headers[ATTEMPT_HEADER];
      const entry = typeof id === "string" ? pending.get(id) : undefined;
      if (!entry) throw new Error(`expire: the request carries no known ${ATTEMPT_HEADER}`);
      expired++;
      pending.delete(id as string);
      if (when === "now") entry.controller.abort(timeoutError());
      else if (entry.headersArrived) abortWhileReading(entry);
      else entry.dueAfterHeaders = true;
    },
    get expired() {
      return expired;
    },
  };
}
