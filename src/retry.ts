// Retries: which attempts may be repeated, and when.
//
// - Idempotent methods (GET, HEAD, PUT, DELETE) are retried on network errors, per-attempt
//   timeouts and the statuses 429, 502, 503 and 504.
// - Any other method (POST, PATCH) is retried only when the request provably never reached the
//   server: the connection was refused or the host name did not resolve. A POST that may have
//   arrived is never sent twice.
// - An attempt includes reading the answer's body (transport.ts), so a body that stalls or
//   breaks off is retried like a lost answer.
// - Delays grow exponentially with full jitter (a random delay between 0 and the capped
//   exponential), a `Retry-After` header is honoured, and both the number of attempts and the
//   total time are capped: `maxElapsedMs` is a budget from the call's start that covers attempts
//   and waits; the last attempt's timeout is shortened to fit, and an attempt that would get
//   less than MIN_ATTEMPT_MS is not started. Each attempt is authenticated (signed) afresh by
//   the transport.
import { systemClock, type Clock } from "./clock.js";
import { checkClock } from "./auth/options.js";
import { discard } from "./authenticated-send.js";
import { isTransient } from "./errors.js";
import { redactUrl } from "./redact.js";
import type { AttemptRunner, RequestFacts } from "./transport.js";

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
  /**
   * Time budget of the whole call, from its start, covering every attempt (reading the body
   * included) and the waits between them (default 60 000 ms; Infinity for none). The last
   * attempt's timeout is shortened to what is left; no attempt is started without at least 100 ms.
   */
  maxElapsedMs?: number;
  /** A `Retry-After` longer than this is not waited for; the answer is returned as it is (default: maxElapsedMs). */
  maxRetryAfterMs?: number;
  /** Statuses retried for idempotent methods (default 429, 502, 503, 504). */
  statuses?: readonly number[];
  /** Methods retried on statuses and network errors (default GET, HEAD, PUT, DELETE). */
  methods?: readonly string[];
  /** Called before each wait; for logging. */
  onRetry?: ((info: RetryInfo) => void) | undefined;
  /** Random source in [0, 1) for the jitter (tests). */
  random?: () => number;
  /** The time and the waits between attempts (tests; default: the system clock). */
  clock?: Clock;
}

/** Answers worth another try: rate limited, or a gateway that could not reach the service. */
export const RETRYABLE_STATUSES: readonly number[] = [429, 502, 503, 504];
/** No attempt is started with less time than this left in the budget: it could hardly succeed. */
const MIN_ATTEMPT_MS = 100;
const DEFAULT_METHODS = ["GET", "HEAD", "PUT", "DELETE"];

/** Error codes meaning the request never left this machine or never reached a server. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** Refuses options that would silently do something else than asked. */
function checkRetryOptions(options: RetryOptions): void {
  if (options === null || typeof options !== "object") throw new TypeError("retry: options must be an object or false");
  for (const old of ["sleep", "now"] as const) {
    // Options of earlier versions: ignoring them would make tests wait for real.
    if (old in options) throw new TypeError(`retry: \`${old}\` was replaced by \`clock\` ({ now(), sleep() })`);
  }
  const counts: Array<[string, unknown, number]> = [
    ["maxAttempts", options.maxAttempts, 1],
    ["baseDelayMs", options.baseDelayMs, 0],
    ["maxDelayMs", options.maxDelayMs, 0],
    ["maxElapsedMs", options.maxElapsedMs, 0],
    ["maxRetryAfterMs", options.maxRetryAfterMs, 0],
  ];
  for (const [name, value, min] of counts) {
    if (value !== undefined && !(typeof value === "number" && value >= min && !Number.isNaN(value))) {
      throw new TypeError(`retry: \`${name}\` must be a number of at least ${min}`);
    }
  }
  checkClock("retry", options.clock, true);
}

/** Builds the transport's attempt runner for these options. */
export function retryPolicy(options: RetryOptions = {}): AttemptRunner {
  checkRetryOptions(options);
  const maxAttempts = Math.floor(options.maxAttempts ?? 3); // at least 1 (checkRetryOptions)
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 20_000;
  const maxElapsedMs = options.maxElapsedMs ?? 60_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? maxElapsedMs;
  const statuses = new Set(options.statuses ?? RETRYABLE_STATUSES);
  const methods = new Set((options.methods ?? DEFAULT_METHODS).map((m) => m.toUpperCase()));
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;
  const onRetry = options.onRetry;

  return async function runAttempts(attempt, facts: RequestFacts) {
    const idempotent = methods.has(facts.method);
    const started = clock.now();
    const left = () => maxElapsedMs - (clock.now() - started);
    for (let n = 1; ; n++) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await attempt(facts.signal, maxElapsedMs === Infinity ? undefined : Math.max(0, left()));
      } catch (error) {
        if (facts.signal?.aborted || n >= maxAttempts) throw error;
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
      if (left() - delay < MIN_ATTEMPT_MS) {
        if (response) return response;
        throw failure;
      }
      if (response) await discard(response);
      onRetry?.({ attempt: n, delayMs: delay, status: response?.status, error: failure, method: facts.method, url: redactUrl(facts.url) });
      facts.retrying?.(delay);
      await clock.sleep(delay, facts.signal);
    }
  };

  function backoff(n: number): number {
    return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1)));
  }
}

/**
 * True only when the error proves the request never reached a server: the connection was
 * refused or the host name did not resolve (undici reports these as `cause.code`, possibly inside
 * an AggregateError when several addresses were tried). Browsers do not say why a fetch failed,
 * so there a POST is never retried.
 */
export function neverSent(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NEVER_SENT_CODES.has(code)) return true;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => neverSent(e))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** `Retry-After` in milliseconds from now (delta seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
