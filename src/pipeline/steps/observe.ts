// The client's `onEvent` option: one event per attempt of a request, once its outcome and the
// retry step's decision are known. Events carry what identifies the request and its outcome,
// never a header value, a body or a credential: the URL is redacted (redact.ts), failures are
// named by their kind, and the request id is the one the service sent back.
import { isOtcApiError } from "../../errors.js";
import { redactUrl } from "../../redact.js";
import type { AttemptObserver, Step } from "../request.js";

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
   * `timeout`, `incomplete-response`, `malformed-response`, `redirect`, `too-large`), `aborted` when the caller
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

/**
 * Receives the client's events; errors it throws are ignored, and so is a promise it returns
 * that rejects (an async listener): neither ever fails a call or leaves an unhandled rejection.
 */
export type ClientEventListener = (event: ClientEvent) => void | Promise<void>;

/**
 * The observe step: tells `listener` about each attempt of a request as soon as it is known
 * whether another follows (the retry step says so before it waits; the last attempt is told when
 * the request is done). A listener that throws, or returns a promise that rejects, never fails
 * the call and never leaves an unhandled rejection behind.
 */
export function observeStep(listener: ClientEventListener): Step {
  return async (request, context, next) => {
    const url = redactUrl(request.url);
    let count = 0;
    let started = 0;
    let pending: AttemptEvent | undefined;
    const tell = (retry: boolean, retryDelayMs?: number) => {
      const event = pending;
      if (!event) return;
      pending = undefined;
      event.retry = retry;
      event.retryDelayMs = retryDelayMs;
      contain(listener, event);
    };
    const observer: AttemptObserver = {
      attemptStarted() {
        // A step that retries without saying so: the previous attempt was retried all the same.
        tell(true);
        count++;
        started = performance.now();
      },
      attemptEnded(status, error, requestId) {
        let kind: string | undefined;
        if (error !== undefined) {
          if (isOtcApiError(error)) {
            status = error.status || undefined;
            kind = error.kind;
            requestId = error.requestId;
          } else kind = request.callerSignal?.aborted ? "aborted" : error instanceof Error ? error.name : typeof error;
        }
        pending = {
          type: "attempt",
          method: request.method,
          url,
          operationId: request.operationId,
          attempt: count,
          status,
          error: kind,
          durationMs: performance.now() - started,
          retry: false,
          retryDelayMs: undefined,
          requestId,
        };
      },
      retrying: (delayMs) => tell(true, delayMs),
    };
    try {
      return await next(Object.assign({}, request, { observer }), context);
    } finally {
      tell(false);
    }
  };
}

/** Calls the listener; neither its exception nor its rejected promise reaches the call. */
function contain(listener: ClientEventListener, event: ClientEvent): void {
  try {
    const result: unknown = listener(event);
    if (result !== null && typeof result === "object" && typeof (result as PromiseLike<unknown>).then === "function") {
      (result as PromiseLike<unknown>).then(undefined, () => {});
    }
  } catch {
    // A listener's failure is not the call's.
  }
}
