// Property: against a list service with a fault (offsets ignored, pages reordered, two pages
// alternating, a lying total, empty pages in the middle, markers ignored), paginate ends (or
// fails with a PaginationError) after a bounded number of requests, never yields an item twice,
// and fails whenever the fault makes an item come again.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { paginate, PaginationError } from "../../src/index.js";
import type { PaginationMeta } from "../../src/operations.js";
import { clientAnswering } from "../support/properties.js";

type Fault =
  | { kind: "ignore-offset" }
  | { kind: "reorder"; seed: number }
  | { kind: "alternate" }
  | { kind: "lying-total"; total: number }
  | { kind: "empty-middle"; at: number };

interface Adversary {
  size: number;
  pageSize: number;
  concurrency: number;
  withTotal: boolean;
  fault: Fault;
}

const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant({ kind: "ignore-offset" as const }),
  fc.integer({ min: 1, max: 1000 }).map((seed) => ({ kind: "reorder" as const, seed })),
  fc.constant({ kind: "alternate" as const }),
  fc.integer({ min: -3, max: 200 }).map((total) => ({ kind: "lying-total" as const, total })),
  fc.integer({ min: 0, max: 120 }).map((at) => ({ kind: "empty-middle" as const, at })),
);

const adversary: fc.Arbitrary<Adversary> = fc.record({
  size: fc.integer({ min: 1, max: 120 }),
  pageSize: fc.integer({ min: 1, max: 25 }),
  concurrency: fc.constantFrom(1, 2, 4, 8),
  withTotal: fc.boolean(),
  fault,
});

const item = (i: number) => ({ id: `t${i}` });

/** The items the faulty service answers for one request. */
function answer(a: Adversary, offset: number, limit: number, request: number): { backups: { id: string }[]; count?: number } {
  const list = Array.from({ length: a.size }, (_, i) => item(i));
  const honest = (from: number) => list.slice(from, from + limit);
  let page: { id: string }[];
  let count: number | undefined = a.withTotal ? a.size : undefined;
  switch (a.fault.kind) {
    case "ignore-offset":
      page = honest(0);
      break;
    case "reorder": {
      // A different order of the whole list on every request.
      const shift = (a.fault.seed * (request + 1)) % a.size;
      page = [...list.slice(shift), ...list.slice(0, shift)].slice(offset, offset + limit);
      break;
    }
    case "alternate":
      page = honest(Math.floor(offset / Math.max(1, limit)) % 2 ? Math.min(limit, a.size) : 0);
      break;
    case "lying-total":
      page = honest(offset);
      count = a.fault.total;
      break;
    case "empty-middle":
      page = offset === a.fault.at ? [] : honest(offset);
      break;
  }
  return count === undefined ? { backups: page } : { backups: page, count };
}

function adversaryClient(a: Adversary, counter: { requests: number }) {
  return clientAnswering(async (request) => {
    const q = new URL(request.url).searchParams;
    const offset = Number(q.get("offset") ?? 0);
    const limit = Number(q.get("limit") ?? 1000);
    const n = counter.requests++;
    // Answers arrive out of order: a few event-loop turns, different per request.
    for (let turn = (offset * 7 + limit) % 4; turn > 0; turn--) await new Promise((resolve) => setImmediate(resolve));
    return new Response(JSON.stringify(answer(a, offset, limit, n)), { status: 200, headers: { "Content-Type": "application/json" } });
  });
}

async function run(iterable: AsyncIterable<{ id: string }>): Promise<{ ids: string[]; error: unknown }> {
  const ids: string[] = [];
  try {
    for await (const x of iterable) ids.push(x.id);
    return { ids, error: undefined };
  } catch (error) {
    return { ids, error };
  }
}

describe("paginate against adversarial services", () => {
  it("ends or fails within a bounded number of requests, never yielding an item twice (400 runs)", { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(adversary, async (a) => {
        const counter = { requests: 0 };
        const options = { pageSize: a.pageSize, concurrency: a.concurrency };
        const { ids, error } = await run(paginate(adversaryClient(a, counter), "/v3/{project_id}/backups", undefined, options));
        if (error !== undefined) expect(error).toBeInstanceOf(PaginationError);
        expect(new Set(ids).size).toBe(ids.length);
        // Every page consumed without an error brought at least one new item of the `size` there
        // are; each page may have been preceded by up to 2 × concurrency requests planned ahead.
        expect(counter.requests).toBeLessThanOrEqual((a.size + 2) * 2 * a.concurrency);
        if (a.concurrency === 1) expect(counter.requests).toBeLessThanOrEqual(a.size + 2);
        const fullFirstPage = a.size > a.pageSize;
        if (a.fault.kind === "ignore-offset" && fullFirstPage) expect(error).toBeInstanceOf(PaginationError);
        if (a.fault.kind === "alternate" && a.size >= 2 * a.pageSize + (a.withTotal ? 1 : 0)) expect(error).toBeInstanceOf(PaginationError);
        if (a.fault.kind === "lying-total" && a.fault.total < Math.min(a.size, a.pageSize)) expect(error).toBeInstanceOf(PaginationError);
        if (a.fault.kind === "empty-middle" && error === undefined)
          expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => `t${i}`));
      }),
      { numRuns: 400 },
    );
  });

  it("a marker service that ignores the marker fails on page 2 (100 runs)", async () => {
    const meta: PaginationMeta = { style: "marker", items: "backups", id: "id", limit: "limit", marker: "marker", markerFrom: "id" };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 5 }), async (pageSize, extra) => {
        let requests = 0;
        const client = clientAnswering(async () => {
          requests++;
          const page = Array.from({ length: pageSize }, (_, i) => item((i * (requests + extra)) % (pageSize + extra + 1)));
          return new Response(JSON.stringify({ backups: page }), { status: 200, headers: { "Content-Type": "application/json" } });
        });
        const { error } = await run(
          paginate(client, "/v3/{project_id}/backups", undefined, { pageSize, pagination: meta }) as AsyncIterable<{ id: string }>,
        );
        expect(requests).toBeLessThanOrEqual(pageSize + extra + 2);
        if (pageSize > 1) expect(error).toBeInstanceOf(PaginationError);
      }),
      { numRuns: 100 },
    );
  });
});
