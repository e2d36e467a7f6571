// The fetch that openapi-fetch calls: it turns one logical request into attempts, each with a
// fresh copy of the body, fresh credentials (tokens or signatures) and its own timeout, and
// replays a 401 once when the credentials could be renewed; redirects are never followed. An
// attempt ends when the answer's body has been read (when the call reads it as text or JSON), so
// that a body that stalls or breaks off fails the attempt, and can be retried, instead of failing
// the call after the retries are over. Retries plug in as an AttemptRunner (retry.ts). Failures
// below HTTP become OtcApiErrors (errors.ts transportError says which kind); the caller's own
// abort rejects with the signal's reason, as fetch does.
import type { AuthStrategy } from "./auth/types.js";
import { sendAuthenticated } from "./authenticated-send.js";
import { runObserved, type ClientEventListener } from "./client-events.js";
import { isTransportFailure, redirectError, transportError } from "./errors.js";
import type { OperationIds } from "./operations.js";

export type FetchLike = (input: Request) => Promise<Response>;

/**
 * One attempt of a request: `signal` is the caller's; `budgetMs`, when given, shortens the
 * attempt's timeout to what is left of the call's time budget (retry.ts maxElapsedMs).
 */
export type Attempt = (signal: AbortSignal | undefined, budgetMs?: number) => Promise<Response>;

/** Runs attempts until one may be returned; see retry.ts. */
export type AttemptRunner = (attempt: Attempt, request: RequestFacts) => Promise<Response>;

/** What a retry policy may know about the request (never its credentials). */
export interface RequestFacts {
  readonly method: string;
  readonly url: string;
  readonly signal: AbortSignal | undefined;
  /** Told before the wait for another attempt (the client's onEvent); retry policies call it. */
  readonly retrying?: ((delayMs: number) => void) | undefined;
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
  /** Told about every attempt (client-events.ts); unset, the transport does no extra work. */
  onEvent?: ClientEventListener | undefined;
  /** Names the operation of a call in its events. */
  operations?: OperationIds | undefined;
}

/**
 * What the client's call wrapper tells the transport about one call: the caller's own signal
 * (undefined when there is none, so that nothing needs to follow it), and a list the transport
 * adds clean-ups to (timers), which the wrapper runs once the body has been read.
 */
export interface TransportCall {
  signal: AbortSignal | undefined;
  cleanups: Array<() => void>;
  /** Read the body as text inside each attempt (default true; false when the caller wants it otherwise, as a stream or bytes). */
  readBody?: boolean | undefined;
  /** The path the call was made with (`/v3/{project_id}/vaults`), which names its operation in events. */
  path?: string | undefined;
}

/** The transport: openapi-fetch calls it with the request; the client's wrapper adds the call. */
export type Transport = (request: Request, call?: TransportCall) => Promise<Response>;

export function createTransport(options: TransportOptions): Transport {
  const { fetch: baseFetch, auth, timeoutMs, onEvent, operations } = options;
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
    const readBody = call !== undefined && call.readBody !== false && request.method !== "HEAD";

    // A request without a body can be handed to every attempt as it is (strategies set their
    // headers on it, replacing the previous attempt's); one with a body gets a fresh Request over
    // the buffered bytes each time.
    const build = body === null ? () => request : () => new Request(request.url, { method: request.method, headers: request.headers, body, redirect: request.redirect });

    // Credentials, redirect refusal, the one 401 replay and error-body caps: authenticated-send.ts.
    const attempt: Attempt = async (signalOfCaller, budgetMs) => {
      const limit = budgetMs === undefined ? timeoutMs : timeoutMs && timeoutMs > 0 ? Math.min(timeoutMs, budgetMs) : budgetMs;
      const timer = attemptSignal(signalOfCaller, limit, call?.cleanups);
      let response: Response | undefined;
      try {
        response = await sendAuthenticated({ auth, build, body: body ?? undefined, send: (sent) => send(sent, timer.signal), refuse: (redirect) => redirectError(redirect, facts) });
        if (!readBody) return response;
        const read = await readText(response);
        timer.clear();
        return read;
      } catch (error) {
        timer.clear();
        if (signalOfCaller?.aborted) throw signalOfCaller.reason;
        if (!isTransportFailure(error)) throw error;
        throw transportError(error, facts, response);
      }
    };

    if (!onEvent) return runAttempts(attempt, facts);
    const operationId = call?.path === undefined ? undefined : operations?.[`${request.method} ${call.path}`];
    return runObserved(runAttempts, attempt, facts, operationId, onEvent);
  };
}

/**
 * The answer with its body read as text, inside the attempt: the body is then under the
 * attempt's timeout and its failures under the retry policy. openapi-fetch reads the body again
 * (as text: the call wrapper asks it to), so the answer's own `text()` hands it what was read;
 * a copy of the Response would cost about as much as the rest of the call's own work.
 */
async function readText(response: Response): Promise<Response> {
  const text = await response.text();
  Object.defineProperty(response, "text", { value: () => Promise.resolve(text), configurable: true });
  return response;
}

interface AttemptTimer {
  signal: AbortSignal | undefined;
  /** Stops the timer and the caller-abort listener once the attempt is over. */
  clear(): void;
}

/**
 * The signal of one attempt: aborts with a TimeoutError after `timeoutMs`, or with the caller's
 * reason when the caller aborts. One AbortController and one timer (cheaper than
 * AbortSignal.timeout + AbortSignal.any). Cleared when the attempt ends with its body read; when
 * the caller streams the body, the call's clean-ups clear it after reading, and without a call it
 * is left to fire harmlessly (unreferenced). Without a timeout the caller's signal is passed on.
 */
function attemptSignal(callerSignal: AbortSignal | undefined, timeoutMs: number | undefined, cleanups: Array<() => void> | undefined): AttemptTimer {
  if (!timeoutMs || timeoutMs <= 0 || timeoutMs === Infinity || callerSignal?.aborted) return { signal: callerSignal, clear: noop };
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
  const clear = () => {
    clearTimeout(timer);
    if (onAbort) callerSignal!.removeEventListener("abort", onAbort);
  };
  if (cleanups) cleanups.push(clear);
  else (timer as { unref?: () => void }).unref?.();
  return { signal: controller.signal, clear };
}

const noop = () => {};
