// The waits between polls: growing by a factor up to a cap, each shortened at random by up to
// `jitter` (so that many waiters started together spread out), never below the floor.
import { MIN_INTERVAL_MS } from "./options.js";

export interface BackoffSettings {
  intervalMs: number;
  maxIntervalMs: number;
  backoff: number;
  jitter: number;
}

export class Backoff {
  private delay: number;

  constructor(
    private readonly settings: BackoffSettings,
    private readonly random: () => number = Math.random,
  ) {
    this.delay = Math.min(settings.intervalMs, settings.maxIntervalMs);
  }

  /** The next wait, in ms; the one after grows. */
  next(): number {
    const { backoff, maxIntervalMs, jitter } = this.settings;
    const wait = Math.max(MIN_INTERVAL_MS, this.delay * (1 - jitter * this.random()));
    this.delay = Math.min(this.delay * backoff, maxIntervalMs);
    return wait;
  }
}
