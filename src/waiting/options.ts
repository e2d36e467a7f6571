// A waiter's options, checked in one place before the first poll: the intervals (never below
// MIN_INTERVAL_MS, so that no wait busy-polls), the jitter, the wait's deadline `maxWaitMs`.
import { MAX_TIMER_MS } from "../timers.js";
import type { Clock } from "../clock.js";
import { systemClock } from "../clock.js";
import { functionOption, numberOption, refuseReplaced, signalOption } from "../options/check.js";

export interface WaitProgress<T = unknown> {
  /** The status just read (`RUNNING`, `protecting`, `running`…); the last one seen when the poll failed. */
  status: string | undefined;
  /** Completion in percent, when the service reports it (CBR tasks, vault resources). */
  percent: number | undefined;
  /** Polls so far, including this one. */
  polls: number;
  elapsedMs: number;
  /** What the waiter resolves to, as just polled (the job, the backup, the task…). */
  resource: T;
  /** Set when this poll failed for a passing reason (a network error, a timeout, 429, 502, 503, 504): the wait goes on. */
  error?: unknown;
}

export interface WaitOptions<T = unknown> {
  /** Wait before the second poll (default 2 000 ms, at least 1 000); it grows by `backoff` up to maxIntervalMs. */
  intervalMs?: number | undefined;
  /** Longest wait between polls (default 30 000 ms, at least 1 000). */
  maxIntervalMs?: number | undefined;
  /** Growth factor of the interval (default 1.5, from 1 to 10). */
  backoff?: number | undefined;
  /** Each wait between polls is up to this fraction shorter, at random (default 0.2; 0 for exact intervals), never below 1 000 ms. */
  jitter?: number | undefined;
  /** Wait before the first poll (default 0; waitFor uses intervalMs for work on existing resources). */
  initialDelayMs?: number | undefined;
  /**
   * The wait's deadline: give up with WaitTimeoutError after this long (default 3 600 000 ms;
   * Infinity waits forever). A poll still in flight then is aborted. Each poll is a call with
   * the client's own `timeoutMs`, further bounded by what is left of the wait.
   */
  maxWaitMs?: number | undefined;
  /** Stops waiting (and the poll in flight); the waiter rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called after every poll. */
  onProgress?: ((progress: WaitProgress<T>) => void) | undefined;
  /** The time and the waits between polls (tests; default: the system clock). */
  clock?: Clock | undefined;
}

/** The shortest wait between two polls: a waiter never polls faster than once a second. */
export const MIN_INTERVAL_MS = 1_000;

export interface WaitSettings {
  intervalMs: number;
  maxIntervalMs: number;
  backoff: number;
  jitter: number;
  initialDelayMs: number;
  maxWaitMs: number;
  signal: AbortSignal | undefined;
  onProgress: ((progress: WaitProgress<never>) => void) | undefined;
  clock: Clock;
}

/** Checks a waiter's options; `where` is the waiter's name, for messages. */
export function waitSettings(where: string, options: WaitOptions<never> | undefined, initialDelayMs = 0): WaitSettings {
  if (options === undefined) options = {};
  if (options === null || typeof options !== "object") throw new TypeError(`${where}: options must be an object`);
  refuseReplaced(
    where,
    options,
    "timeoutMs",
    "the wait's deadline is `maxWaitMs` (default 3 600 000 ms); each poll keeps the client's own `timeoutMs`",
  );
  const interval = { min: MIN_INTERVAL_MS, max: MAX_TIMER_MS };
  const intervalMs = numberOption(where, "intervalMs", options.intervalMs, interval) ?? 2_000;
  return {
    intervalMs,
    maxIntervalMs: numberOption(where, "maxIntervalMs", options.maxIntervalMs, interval) ?? Math.max(30_000, intervalMs),
    backoff: numberOption(where, "backoff", options.backoff, { min: 1, max: 10 }) ?? 1.5,
    jitter: numberOption(where, "jitter", options.jitter, { min: 0, max: 1 }) ?? 0.2,
    initialDelayMs: numberOption(where, "initialDelayMs", options.initialDelayMs, { min: 0, max: MAX_TIMER_MS }) ?? initialDelayMs,
    maxWaitMs: numberOption(where, "maxWaitMs", options.maxWaitMs, { min: 1, infinity: true }) ?? 3_600_000,
    signal: signalOption(where, "signal", options.signal),
    onProgress: functionOption(where, "onProgress", options.onProgress),
    clock: clockOption(where, options.clock),
  };
}

function clockOption(where: string, clock: unknown): Clock {
  if (clock === undefined) return systemClock;
  const c = clock as Partial<Clock> | null;
  if (typeof c?.now !== "function" || typeof c.sleep !== "function") throw new TypeError(`${where}: \`clock\` must have now() and sleep()`);
  return clock as Clock;
}
