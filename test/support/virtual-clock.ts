// A Clock whose time moves only when something sleeps on it: waits cost no real time, and time
// budgets are spent by the waits the code under test decides, never by how busy the machine is.
import type { Clock } from "../../src/clock.js";

export interface VirtualClock extends Clock {
  /** Every wait asked for, in order. */
  readonly delays: number[];
}

export function virtualClock(start = Date.UTC(2026, 0, 1)): VirtualClock {
  let now = start;
  const delays: number[] = [];
  return {
    delays,
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      delays.push(ms);
      now += Math.max(0, ms);
    },
  };
}

/**
 * A Clock on which time stands still and waits return at once: for tests of many concurrent
 * calls, where one shared virtual time would spend every call's budget on the others' waits.
 */
export function frozenClock(at = Date.UTC(2026, 0, 1)): VirtualClock {
  const delays: number[] = [];
  return {
    delays,
    now: () => at,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      delays.push(ms);
    },
  };
}
