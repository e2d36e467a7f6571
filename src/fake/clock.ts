// Simulated time. It runs at `speed` times the wall clock (0 stops it) and jumps forward on
// advance(); every due event of the store runs before a request is answered, so an advance is
// seen by the very next call.
import type { Clock } from "../clock.js";

export class SimulatedClock {
  #base: number;
  #wallAtBase: number;
  #speed: number;
  #listeners: Array<() => void> = [];

  constructor(options: { start?: number; speed?: number } = {}) {
    this.#speed = options.speed ?? 1;
    this.#base = options.start ?? Date.now();
    this.#wallAtBase = Date.now();
  }

  now(): number {
    return this.#base + (Date.now() - this.#wallAtBase) * this.#speed;
  }

  get speed(): number {
    return this.#speed;
  }

  setSpeed(speed: number): void {
    if (!(typeof speed === "number" && speed >= 0 && Number.isFinite(speed)))
      throw new TypeError("fake: `speed` must be a finite number ≥ 0");
    this.#rebase();
    this.#speed = speed;
  }

  /** Moves simulated time forward by `ms` and runs what became due. */
  advance(ms: number): number {
    if (!(ms >= 0 && Number.isFinite(ms))) throw new TypeError("fake: `ms` must be a finite number ≥ 0");
    this.#rebase();
    this.#base += ms;
    for (const listener of this.#listeners) listener();
    return this.now();
  }

  onAdvance(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /**
   * A Clock for the client's waiters and retries whose sleep advances simulated time instead of
   * waiting: a test that waits for a backup finishes at once, in the fake's time.
   */
  asClock(): Clock {
    return {
      now: () => this.now(),
      sleep: async (ms: number, signal?: AbortSignal) => {
        if (signal?.aborted) throw signal.reason;
        this.advance(Math.max(0, ms));
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
  }

  #rebase(): void {
    this.#base = this.now();
    this.#wallAtBase = Date.now();
  }
}
