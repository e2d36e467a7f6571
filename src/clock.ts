// The one time seam of the package: everything that reads the time or waits (retries, waiters,
// token expiry, signing dates) takes a Clock, so that tests can run it on a fake one.
import { after, linkSignal } from "./timers.js";

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms`; rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Waits `ms` (longer than 2^31−1 ms in several steps, never cut short); rejects with the signal's
 * reason as soon as it aborts.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0 && !signal) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const unlink = signal ? linkSignal(signal, (reason) => (timer.cancel(), reject(reason))) : undefined;
    const timer = after(ms, () => {
      unlink?.();
      resolve();
    });
  });
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now(), sleep };

/** Throws unless `clock` is undefined or has `now()` (and, with `needsSleep`, `sleep()`). */
export function checkClock(where: string, clock: Clock | undefined, needsSleep = false): void {
  if (clock !== undefined && (clock === null || typeof clock.now !== "function" || (needsSleep && typeof clock.sleep !== "function"))) {
    throw new TypeError(`${where}: \`clock\` must be a Clock ({ now(), sleep() })`);
  }
}
