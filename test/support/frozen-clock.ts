// A Clock on which time stands still and waits return at once, recording what they were asked
// for. For tests of many concurrent calls: waits cost no real time, and neither they nor a slow
// machine spend the calls' time budgets (one shared time that the waits moved on would spend every
// call's budget on the others' waits; the real time would spend it on the machine's load).
import type { Clock } from "../../src/clock.js";

export interface FrozenClock extends Clock {
  /** Every wait asked for, in order. */
  readonly delays: number[];
}

export function frozenClock(at = Date.UTC(2026, 0, 1)): FrozenClock {
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
