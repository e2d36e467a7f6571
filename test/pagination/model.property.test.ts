// Property: at any concurrency, paginate yields exactly what a sequential reference pager yields
// against a model list service with random sizes, totals, caps, short and empty pages.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { paginate } from "../../src/index.js";
import { clientAnswering } from "../support/properties.js";

/**
 * A list service as a model: `size` items, a reported total that may be exact, missing or too
 * large (the list shrank), a cap on the page size, and per-offset quirks: a page shorter than
 * asked, or an empty page before the end. Its answer depends only on the request (offset and
 * limit), so a pager that asks the same questions gets the same answers.
 */
interface ListModel {
  size: number;
  total: "exact" | "none" | "over";
  cap: number;
  /** offset → how many items at most the page at that offset has (0: an empty page). */
  quirks: Map<number, number>;
  pageSize: number;
  maxItems: number | undefined;
}

const listModel: fc.Arbitrary<ListModel> = fc
  .record({
    size: fc.integer({ min: 0, max: 240 }),
    total: fc.constantFrom("exact", "none", "over"),
    cap: fc.integer({ min: 1, max: 60 }),
    quirks: fc.array(fc.tuple(fc.integer({ min: 0, max: 240 }), fc.integer({ min: 0, max: 30 })), { maxLength: 8 }),
    pageSize: fc.integer({ min: 1, max: 50 }),
    maxItems: fc.option(fc.integer({ min: 0, max: 260 }), { nil: undefined }),
  })
  .map((m) => ({ ...m, quirks: new Map(m.quirks) }) as ListModel);

function modelAnswer(m: ListModel, offset: number, limit: number) {
  const n = Math.min(limit, m.cap, m.quirks.get(offset) ?? Infinity);
  const things = Array.from({ length: Math.max(0, Math.min(n, m.size - offset)) }, (_, i) => ({ id: `t${offset + i}` }));
  const count = m.total === "exact" ? m.size : m.total === "over" ? m.size + 7 : undefined;
  return { things, ...(count === undefined ? {} : { count }) };
}

/** The reference: one page at a time, stopping where the pager's documented rules say. */
function referenceList(m: ListModel): string[] {
  const out: string[] = [];
  let offset = 0;
  while (true) {
    const limit = m.maxItems === undefined ? m.pageSize : Math.min(m.pageSize, m.maxItems - out.length);
    if (limit <= 0) return out;
    const page = modelAnswer(m, offset, limit);
    out.push(...page.things.map((t) => t.id).slice(0, limit));
    const n = page.things.length;
    if (n === 0) return out;
    if (page.count !== undefined && offset + n >= page.count) return out;
    if (page.count === undefined && n < limit) return out;
    offset += n;
  }
}

function modelClient(m: ListModel) {
  return clientAnswering(async (request) => {
    const q = new URL(request.url).searchParams;
    const offset = Number(q.get("offset") ?? 0);
    const limit = Number(q.get("limit") ?? 1000);
    // Answers arrive out of order: a few event-loop turns, different per request.
    for (let turn = (offset * 7 + limit) % 4; turn > 0; turn--) await new Promise((resolve) => setImmediate(resolve));
    const { things, ...rest } = modelAnswer(m, offset, limit);
    // The model's items travel as CBR backups.
    return new Response(JSON.stringify({ backups: things, ...rest }), { status: 200, headers: { "Content-Type": "application/json" } });
  });
}

describe("paginate against a model server", () => {
  it("yields exactly the sequential items at concurrency 1, 2, 4 and 8 (300 runs)", { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(listModel, async (m) => {
        const expected = referenceList(m);
        for (const concurrency of [1, 2, 4, 8]) {
          const got: string[] = [];
          const options = { pageSize: m.pageSize, concurrency, ...(m.maxItems === undefined ? {} : { maxItems: m.maxItems }) };
          for await (const backup of paginate(modelClient(m), "/v3/{project_id}/backups", undefined, options)) got.push(backup.id);
          expect(got, `concurrency ${concurrency}`).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
