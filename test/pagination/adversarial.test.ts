// Services that do not move on through their lists: each ends the paging with a PaginationError
// naming the page, after a bounded number of requests, instead of paging forever or ending early
// without a word. The services answer through an injected fetch and count the requests.
import { describe, expect, it } from "vitest";
import { createVbsClient, paginate, PaginationError, staticTokenAuth } from "../../src/index.js";
import { PROJECT_ID } from "../support/loopback.js";
import { clientAnswering } from "../support/properties.js";

type Answer = (query: URLSearchParams, request: number) => unknown;

/** A CBR client whose GET /v3/{project_id}/backups answers `answer`; `requests()` counts the calls. */
function service(answer: Answer) {
  let requests = 0;
  const client = clientAnswering(async (request) => {
    const body = answer(new URL(request.url).searchParams, requests++);
    return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
  });
  return { client, requests: () => requests };
}

const backups = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `b${from + i}`, status: "available" }));
/** The same items in another order on each request (a seeded rotation and reversal). */
const reordered = (items: { id: string }[], request: number) => {
  const k = (request * 7919) % items.length;
  const rotated = [...items.slice(k), ...items.slice(0, k)];
  return request % 2 ? rotated.reverse() : rotated;
};

async function outcome(iterable: AsyncIterable<unknown>): Promise<{ items: number; error: unknown }> {
  let items = 0;
  try {
    for await (const _ of iterable) items++;
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

describe("paginate: services that do not move on", () => {
  it.each([1, 4, 8])("a service that ignores the offset and reorders its items fails on page 2 (concurrency %i)", async (concurrency) => {
    const { client, requests } = service((_q, n) => ({ backups: reordered(backups(0, 1000), n) }));
    const { items, error } = await outcome(paginate(client, "/v3/{project_id}/backups", undefined, { concurrency }));
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/^listBackups: page 2 repeats an item received before \(id "b\d+"\)/);
    expect((error as PaginationError).pages).toBe(2);
    expect(items).toBe(1000);
    // Page 2 is the first answer judged after page 1; requests already in flight are at most 2 × concurrency.
    expect(requests()).toBeLessThanOrEqual(1 + 2 * concurrency);
  });

  it("a total of 5,000 over 1,000 distinct items fails on page 2 instead of yielding 5,000", async () => {
    const { client, requests } = service((_q, n) => ({ backups: reordered(backups(0, 1000), n), count: 5000 }));
    const { items, error } = await outcome(paginate(client, "/v3/{project_id}/backups"));
    expect(error).toBeInstanceOf(PaginationError);
    expect(items).toBe(1000);
    expect(requests()).toBe(2);
  });

  it("two alternating full pages fail on page 3", async () => {
    const { client, requests } = service((q) => ({ backups: backups((Number(q.get("offset")) / 1000) % 2 ? 1000 : 0, 1000) }));
    const { items, error } = await outcome(paginate(client, "/v3/{project_id}/backups"));
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/page 3 repeats an item received before \(id "b0"\)/);
    expect(items).toBe(2000);
    expect(requests()).toBe(3);
  });

  it.each([
    ["missing", {}],
    ["null", { backups: null }],
  ])("a page whose items array is %s while the total says 5 fails, never an empty end", async (_what, page) => {
    const { client } = service(() => ({ ...page, count: 5 }));
    const { items, error } = await outcome(paginate(client, "/v3/{project_id}/backups"));
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/page 1 has no `backups` array while its total says 5/);
    expect(items).toBe(0);
  });

  it("a page without its items array and without a total fails too; a total of 0 without items is an empty list", async () => {
    expect((await outcome(paginate(service(() => ({})).client, "/v3/{project_id}/backups"))).error).toBeInstanceOf(PaginationError);
    expect(await outcome(paginate(service(() => ({ count: 0 })).client, "/v3/{project_id}/backups"))).toEqual({
      items: 0,
      error: undefined,
    });
  });

  it.each([-1, 0, 1])("a total of %i below the first full page of a 2,500-item list fails instead of ending after 1,000", async (total) => {
    const { client, requests } = service((q) => ({
      backups: backups(Number(q.get("offset")), Math.min(1000, 2500 - Number(q.get("offset")))),
      count: total,
    }));
    const { items, error } = await outcome(paginate(client, "/v3/{project_id}/backups"));
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/page 1 reports (a negative total|a total of \d, but 1000 items)/);
    expect(items).toBe(0);
    expect(requests()).toBe(1);
  });

  it("a total that later falls below what has arrived fails on that page", async () => {
    const { client } = service((q) => {
      const offset = Number(q.get("offset"));
      return { backups: backups(offset, 10), count: offset === 0 ? 100 : 15 };
    });
    const { items, error } = await outcome(paginate(client, "/v3/{project_id}/backups", undefined, { pageSize: 10 }));
    expect((error as Error).message).toMatch(/page 2 reports a total of 15, but 20 items of the list have arrived/);
    expect(items).toBe(10);
  });

  it("a links service whose next links ignore the marker fails on page 2", async () => {
    let requests = 0;
    const vbs = createVbsClient({
      endpoint: "https://vbs.example.test",
      projectId: PROJECT_ID,
      auth: staticTokenAuth("MIItoken"),
      retry: false,
      fetch: async () => {
        requests++;
        const body = { backups: backups(0, 3), backups_links: [{ rel: "next", href: `/v2/p/backups?marker=b2&limit=3&n=${requests}` }] };
        return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
      },
    });
    const { error } = await outcome(paginate(vbs, "/v2/{project_id}/backups", undefined, { pageSize: 3 }));
    expect(error).toBeInstanceOf(PaginationError);
    expect(requests).toBe(2);
  });
});

describe("paginate: options checked before anything is sent", () => {
  it.each([
    [{ maxItems: Number.NaN }, /paginate: `maxItems` must be an integer ≥ 0 \(or Infinity\)/],
    [{ maxItems: -1 }, /`maxItems` must be/],
    [{ pageSize: -5 }, /paginate: `pageSize` must be an integer ≥ 1/],
    [{ pageSize: 2.5 }, /`pageSize` must be/],
    [{ pageSize: "10" }, /`pageSize` must be/],
    [{ maxPages: 0 }, /paginate: `maxPages` must be/],
    [{ concurrency: 0 }, /paginate: `concurrency` must be an integer from 1 to 64/],
    [{ concurrency: Number.POSITIVE_INFINITY }, /`concurrency` must be/],
    [{ signal: "stop" }, /paginate: `signal` must be an AbortSignal/],
    [{ method: "PUT" }, /paginate: `method` must be one of "GET", "POST"/],
  ])("refuses %o", async (options, message) => {
    const { client, requests } = service(() => ({ backups: [] }));
    await expect(paginate(client, "/v3/{project_id}/backups", undefined, options as never).next()).rejects.toThrow(message);
    expect(requests()).toBe(0);
  });
});
