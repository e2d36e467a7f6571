// The fetch that openapi-fetch calls: it turns one logical request into attempts, each with a
// fresh copy of the body, fresh credentials (tokens or signatures) and its own timeout, and
// replays a 401 once when the credentials could be renewed. Retries plug in as an AttemptRunner
// (retry.ts). A request that got no answer ends as an OtcApiError of kind "network" or
// "timeout"; the caller's own abort rejects with the signal's reason, as fetch does.
import type { AuthStrategy } from "./auth/types.js";
import { isTimeout, networkError } from "./errors.js";

export type FetchLike = (input: Request) => Promise<Response>;

/** One attempt of a request: `signal` aborts it (timeout or caller). */
export type Attempt = (signal: AbortSignal | undefined) => Promise<Response>;

/** Runs attempts until one may be returned; see retry.ts. */
export type AttemptRunner = (attempt: Attempt, request: RequestFacts) => Promise<Response>;

/** What a retry policy may know about the request (never its credentials). */
export interface RequestFacts {
  readonly method: string;
  readonly url: string;
  readonly signal: AbortSignal | undefined;
}

export interface TransportOptions {
  fetch: FetchLike;
  auth: AuthStrategy;
  /** Per-attempt timeout in milliseconds; 0 or undefined disables it. */
  timeoutMs?: number | undefined;
  /** Decides whether and when to try again; default: one attempt. */
  runAttempts?: AttemptRunner | undefined;
  /**
   * `fetch` is the platform's own: the attempt's signal is then passed in fetch's init instead
   * of being built into the Request, which saves constructing signal-following Requests.
   */
  nativeFetch?: boolean | undefined;
}

/**
 * What the client's call wrapper tells the transport about one call: the caller's own signal
 * (undefined when there is none, so that nothing needs to follow it), and a list the transport
 * adds clean-ups to (timers), which the wrapper runs once the body has been read.
 */
export interface TransportCall {
  signal: AbortSignal | undefined;
  cleanups: Array<() => void>;
}

/** The transport: openapi-fetch calls it with the request; the client's wrapper adds the call. */
export type Transport = (request: Request, call?: TransportCall) => Promise<Response>;

export function createTransport(options: TransportOptions): Transport {
  const { fetch: baseFetch, auth, timeoutMs } = options;
  const runAttempts: AttemptRunner = options.runAttempts ?? ((attempt, facts) => attempt(facts.signal));
  // The request is built and authenticated without a signal; the attempt's signal joins at the
  // last step (in fetch's init for the platform's fetch). Every Request made from another one,
  // and every one that follows a signal, costs microseconds (Node 20: ~11 µs a copy, ~6 µs a
  // signal), so the hot path makes as few as it can.
  const send: (request: Request, signal: AbortSignal | undefined) => Promise<Response> = options.nativeFetch
    ? (request, signal) => globalThis.fetch(request, signal ? { signal } : undefined)
    : (request, signal) => baseFetch(signal ? new Request(request, { signal }) : request);

  return async function transport(request: Request, call?: TransportCall): Promise<Response> {
    // Buffer the body once so that every attempt (and the signer) sees exactly the same bytes.
    const body = request.body === null ? null : await request.arrayBuffer();
    const callerSignal = call ? call.signal : request.signal;
    const facts: RequestFacts = { method: request.method, url: request.url, signal: callerSignal };

    // A request without a body can be handed to every attempt as it is (strategies set their
    // headers on it, replacing the previous attempt's); one with a body gets a fresh Request over
    // the buffered bytes each time.
    const build = body === null ? () => request : () => new Request(request.url, { method: request.method, headers: request.headers, body, redirect: request.redirect });

    const attempt: Attempt = async (signalOfCaller) => {
      const signal = attemptSignal(signalOfCaller, timeoutMs, call?.cleanups);
      const sent = await auth.authenticate(build(), body ?? undefined);
      let response = await send(sent, signal);
      if (response.status === 401 && auth.refresh) {
        // The strategy sees the request that failed, so it can tell a stale token from a renewed one.
        const renewed = await auth.refresh(sent);
        if (renewed) {
          await response.body?.cancel();
          response = await send(await auth.authenticate(build(), body ?? undefined), signal);
        }
      }
      return response;
    };

    try {
      return await runAttempts(attempt, facts);
    } catch (error) {
      if (callerSignal?.aborted || !(error instanceof TypeError || isTimeout(error))) throw error;
      throw networkError(error, facts);
    }
  };
}

/**
 * The signal of one attempt: aborts with a TimeoutError after `timeoutMs`, or with the caller's
 * reason when the caller aborts. One AbortController and one timer (cheaper than
 * AbortSignal.timeout + AbortSignal.any); the timer is cleared by the call's clean-ups, or left
 * to fire harmlessly (unreferenced) when the transport is used without a call.
 */
function attemptSignal(callerSignal: AbortSignal | undefined, timeoutMs: number | undefined, cleanups: Array<() => void> | undefined): AbortSignal | undefined {
  if (!timeoutMs || timeoutMs <= 0 || callerSignal?.aborted) return callerSignal;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("The operation timed out.", "TimeoutError")), timeoutMs);
  let onAbort: (() => void) | undefined;
  if (callerSignal) {
    onAbort = () => {
      clearTimeout(timer);
      controller.abort(callerSignal.reason);
    };
    callerSignal.addEventListener("abort", onAbort, { once: true });
  }
  if (cleanups) {
    cleanups.push(() => {
      clearTimeout(timer);
      if (onAbort) callerSignal!.removeEventListener("abort", onAbort);
    });
  } else {
    (timer as { unref?: () => void }).unref?.();
  }
  return controller.signal;
}
