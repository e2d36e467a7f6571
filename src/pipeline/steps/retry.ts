// Retries: which attempts may be repeated, and when, within the call's deadline.
//
// - Idempotent methods (GET, HEAD, PUT, DELETE) are retried on transient failures (network
//   errors, attempt timeouts, bodies that broke off; transient.ts) and the statuses 429, 502, 503
//   and 504.
// - Any other method (POST, PATCH) is retried only when the request provably never reached the
//   server: the connection was refused or the host name did not resolve.
// - Delays grow exponentially with full jitter; a `Retry-After` header is honoured. No wait and
//   no attempt is started past the call's deadline (the client's `timeoutMs`): a wait that would
//   leave less than MIN_ATTEMPT_MS for the next attempt is not started, and a Retry-After longer
//   than what is left returns the answer as it is.
import { checkClock, type Clock } from "../../clock.js";
import { functionOption, listOption, numberOption, refuseReplaced } from "../../options/check.js";
import { redactUrl } from "../../redact.js";
import { timeLeft } from "../context.js";
import type { PipelineResponse, Step } from "../request.js";
import { isTransient, neverSent, RETRYABLE_STATUSES } from "../transient.js";

export interface RetryInfo {
  /** The attempt that just failed (1 = the first). */
  attempt: number;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  /** The status that caused the retry, or undefined for a network error or timeout. */
  status?: number | undefined;
  /** The network error or timeout that caused the retry. */
  error?: unknown;
  method: string;
  url: string;
}

export interface RetryOptions {
  /** Attempts in total, including the first (default 3; 1 disables retries). */
  maxAttempts?: number;
  /** Cap of the exponential delay before the first retry (default 500 ms); doubles per retry. */
  baseDelayMs?: number;
  /** Largest delay between attempts (default 20 000 ms). */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for; the answer is returned as it is (default: what is left of the call's `timeoutMs`). */
  maxRetryAfterMs?: number;
  /** Statuses retried for idempotent methods (default 429, 502, 503, 504). */
  statuses?: readonly number[];
  /** Methods retried on statuses and network errors (default GET, HEAD, PUT, DELETE). */
  methods?: readonly string[];
  /** Called before each wait; for logging. */
  onRetry?: ((info: RetryInfo) => void) | undefined;
  /** Random source in [0, 1) for the jitter (tests). */
  random?: () => number;
  /** The time, the waits between attempts and the call's deadline are counted on it (tests; default: the system clock). */
  clock?: Clock;
}

/** No attempt is started with less time than this left before the deadline: it could hardly succeed. */
const MIN_ATTEMPT_MS = 100;
const DEFAULT_METHODS = ["GET", "HEAD", "PUT", "DELETE"];
const WHERE = "retry";

const isStatus = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 100 && v <= 599;
const isMethod = (v: unknown): v is string => typeof v === "string" && /^[A-Za-z]+$/.test(v);

/** Refuses options that would silently do something else than asked. */
export function checkRetryOptions(options: RetryOptions): void {
  if (options === null || typeof options !== "object") throw new TypeError(`${WHERE}: options must be an object or false`);
  // Options of earlier versions: ignoring them would make tests wait for real, or budgets be ignored.
  refuseReplaced(WHERE, options, "sleep", "use `clock` ({ now(), sleep() })");
  refuseReplaced(WHERE, options, "now", "use `clock` ({ now(), sleep() })");
  refuseReplaced(WHERE, options, "maxElapsedMs", "the whole call's deadline is the client's (or the call's) `timeoutMs`");
  numberOption(WHERE, "maxAttempts", options.maxAttempts, { min: 1, integer: true });
  numberOption(WHERE, "baseDelayMs", options.baseDelayMs, { min: 0 });
  numberOption(WHERE, "maxDelayMs", options.maxDelayMs, { min: 0 });
  numberOption(WHERE, "maxRetryAfterMs", options.maxRetryAfterMs, { min: 0, infinity: true });
  listOption(WHERE, "statuses", options.statuses, isStatus, "HTTP statuses (numbers from 100 to 599)");
  listOption(WHERE, "methods", options.methods, isMethod, 'HTTP method names ("GET", "PUT"…)');
  functionOption(WHERE, "onRetry", options.onRetry);
  functionOption(WHERE, "random", options.random);
  checkClock(WHERE, options.clock, true);
}

/** The retry step for these options (checked first). */
export function retryStep(options: RetryOptions = {}): Step {
  checkRetryOptions(options);
  const maxAttempts = options.maxAttempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 20_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? Infinity;
  const statuses = new Set(options.statuses ?? RETRYABLE_STATUSES);
  const methods = new Set((options.methods ?? DEFAULT_METHODS).map((m) => m.toUpperCase()));
  const random = options.random ?? Math.random;
  const onRetry = options.onRetry;
  const backoff = (n: number) => Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1)));

  return async (request, context, next) => {
    const idempotent = methods.has(request.method);
    const { clock } = context;
    for (let n = 1; ; n++) {
      let response: PipelineResponse | undefined;
      let failure: unknown;
      try {
        response = await next(request, context);
      } catch (error) {
        if (request.callerSignal?.aborted || n >= maxAttempts) throw error;
        if (!(idempotent ? isTransient(error) : neverSent(error))) throw error;
        failure = error;
      }
      let delay: number;
      if (response) {
        if (!idempotent || n >= maxAttempts || !statuses.has(response.status)) return response;
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"), clock.now());
        if (retryAfter !== undefined && retryAfter > maxRetryAfterMs) return response;
        delay = retryAfter ?? backoff(n);
      } else {
        delay = backoff(n);
      }
      // The wait and the next attempt must fit before the deadline.
      if (timeLeft(context) - delay < MIN_ATTEMPT_MS) {
        if (response) return response;
        throw failure;
      }
      if (response) await response.discard();
      onRetry?.({
        attempt: n,
        delayMs: delay,
        status: response?.status,
        error: failure,
        method: request.method,
        url: redactUrl(request.url),
      });
      request.observer?.retrying(delay);
      await clock.sleep(delay, context.signal);
    }
  };
}

/** `Retry-After` in milliseconds from now (delta seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
