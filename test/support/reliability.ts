// Small helpers of the reliability suite.

/** mulberry32: a seeded PRNG in [0, 1), so that fault patterns are the same on every run (the fake's own). */
export { seededRandom as rng } from "../../src/fake/random.js";

/** A 32-bit seed from a string (FNV-1a). */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Collects unhandled rejections while `work` runs (and a little after), then reports them. */
export async function unhandledRejectionsDuring(work: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on("unhandledRejection", listener);
  try {
    await work();
    // Rejections are reported after the microtask queue drains: give them two macrotask turns.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", listener);
  }
  return seen;
}
