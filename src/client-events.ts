// The client's `onEvent` option: one event per attempt of a request, once its outcome and the
// retry policy's decision are known. Events carry what identifies the request and its outcome,
// never a header value, a body or a credential: the URL is redacted (redact.ts), failures are
// named by their kind, and the request id is the one the service sent back.
import { isOtcApiError, requestIdOf } from "./errors.js";
import { redactUrl } from "./redact.js";
import type { Attempt, AttemptRunner, RequestFacts } from "./transport.js";

/** One attempt of a request (a call makes one, or more when it is retried). */
export interface AttemptEvent {
  type: "attempt";
  /** `GET`, `POST`… */
  method: string;
  /** The request URL, without user info and with the values of secret-looking query parameters replaced. */
  url: string;
  /** The operation called (`showVault`), when the call was made through the client. */
  operationId: string | undefined;
  /** 1 for the first attempt of the request, 2 for its first retry… */
  attempt: number;
  /** The answer's HTTP status; undefined when no answer arrived. */
  status: number | undefined;
  /**
   * Why the attempt failed without an answer it could return: the OtcApiError kind (`network`,
   * `timeout`, `incomplete-response`, `malformed-response`, `redirect`), `aborted` when the caller
   * aborted, else the error's name (`AuthenticationError`…). Undefined when an answer was returned,
   * whatever its status.
   */
  error: string | undefined;
  /** From sending the request to the end of reading its answer (or the failure), in milliseconds. */
  durationMs: number;
  /** Another attempt follows, after `retryDelayMs`. */
  retry: boolean;
  retryDelayMs: number | undefined;
  /** The service's request id (`X-Request-Id` and the like), for support cases. */
  requestId: string | undefined;
}

/** What an `onEvent` listener receives (one kind today; check `type`). */
export type ClientEvent = AttemptEvent;

/** Receives the client's events; errors it throws are ignored (they never fail a call). */
export type ClientEventListener = (event: ClientEvent) => void;

/**
 * Runs the attempts of one request, telling `listener` about each as soon as it is known
 * whether another follows: the retry policy says so through `facts.retrying` before it waits,
 * and the request's last attempt is told when the runner is done.
 */
export async function runObserved(
  runAttempts: AttemptRunner,
  attempt: Attempt,
  facts: RequestFacts,
  operationId: string | undefined,
  listener: ClientEventListener,
): Promise<Response> {
  const url = redactUrl(facts.url);
  let count = 0;
  let pending: AttemptEvent | undefined;
  const tell = (retry: boolean, retryDelayMs?: number) => {
    const event = pending;
    if (!event) return;
    pending = undefined;
    event.retry = retry;
    event.retryDelayMs = retryDelayMs;
    try {
      listener(event);
    } catch {
      // A listener's failure is not the call's.
    }
  };
  const observed: Attempt = async (callerSignal, budgetMs) => {
    // A runner that retries without saying so: the previous attempt was retried all the same.
    tell(true);
    const number = ++count;
    const started = performance.now();
    const record = (status: number | undefined, error: string | undefined, requestId: string | undefined) => {
      pending = { type: "attempt", method: facts.method, url, operationId, attempt: number, status, error, durationMs: performance.now() - started, retry: false, retryDelayMs: undefined, requestId };
    };
    try {
      const response = await attempt(callerSignal, budgetMs);
      record(response.status, undefined, requestIdOf(response.headers));
      return response;
    } catch (error) {
      if (isOtcApiError(error)) record(error.status || undefined, error.kind, error.requestId);
      else record(undefined, callerSignal?.aborted ? "aborted" : error instanceof Error ? error.name : typeof error, undefined);
      throw error;
    }
  };
  try {
    return await runAttempts(observed, { ...facts, retrying: (delayMs) => tell(true, delayMs) });
  } finally {
    tell(false);
  }
}
