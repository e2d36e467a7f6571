// paginate / paginatePages against loopback servers that page 1,000 items in every style.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerResponse } from "node:http";
import {
  createCbrClient,
  createVbsClient,
  isOtcApiError,
  paginate,
  paginatePages,
  PaginationError,
  staticTokenAuth,
} from "../../src/index.js";
import type { OperationTable, PaginationMeta } from "../../src/operations.js";
import { PROJECT_ID, loopbackClient, sendJson, startLoopback, type Loopback, type LoopbackRequest } from "../support/loopback.js";

const ITEMS = Array.from({ length: 1000 }, (_, i) => ({ id: `item-${String(i).padStart(4, "0")}`, n: i }));
const ids = (items: readonly unknown[]) => items.map((x) => (x as { id: string }).id);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const offsetMeta: PaginationMeta = { style: "offset", items: "things", limit: "limit", offset: "offset", total: "count", maxLimit: 1000 };
const markerMeta: PaginationMeta = { style: "marker", items: "things", limit: "limit", marker: "marker", markerFrom: "id" };
const linksMeta: PaginationMeta = {
  style: "links",
  items: "things",
  limit: "limit",
  offset: "offset",
  marker: "marker",
  next: "things_links",
};
const bodyMeta: PaginationMeta = {
  style: "body-offset",
  items: "resources",
  limit: "limit",
  offset: "offset",
  total: "total_count",
  stringValues: true,
};

const table: OperationTable = {
  "GET /v3/{project_id}/things": { operationId: "listThings", pagination: offsetMeta },
  "GET /v3/{project_id}/things-no-total": {
    operationId: "listThingsNoTotal",
    pagination: { ...offsetMeta, total: undefined as never, maxLimit: undefined as never },
  },
  "GET /v3/{project_id}/marked": { operationId: "listMarked", pagination: markerMeta },
  "GET /v3/{project_id}/linked": { operationId: "listLinked", pagination: linksMeta },
  "POST /v3/{project_id}/resource_instances/action": { operationId: "filterResources", pagination: bodyMeta },
  "GET /v3/{project_id}/things/{thing_id}": { operationId: "showThing" },
};

interface ListState {
  /** Server-side cap of the page size (answers at most this many). */
  cap?: number;
  /** Milliseconds-free barrier: hold answers until this many requests are in flight. */
  barrier?: number;
}

function offsetPage(req: LoopbackRequest, res: ServerResponse, opts: { total: boolean; cap?: number }) {
  const limit = Math.min(Number(req.url.searchParams.get("limit") ?? 1000), opts.cap ?? Infinity);
  const offset = Number(req.url.searchParams.get("offset") ?? 0);
  const page = ITEMS.slice(offset, offset + limit);
  sendJson(res, 200, { things: page, ...(opts.total ? { count: ITEMS.length } : {}), limit, offset });
}

let server: Loopback;
const state: ListState = {};
const held: Array<() => void> = [];
let expectedParallel = 0;

beforeAll(async () => {
  server = await startLoopback(async (req, res) => {
    const path = req.url.pathname.replace(`/v3/${PROJECT_ID}`, "");
    if (path === "/things") {
      if (state.barrier && req.url.searchParams.get("offset") !== "0") {
        // Hold each answer until `barrier` requests are in flight (or no more will come).
        await new Promise<void>((resolve) => {
          held.push(resolve);
          if (held.length >= Math.min(state.barrier!, expectedParallel)) {
            expectedParallel -= held.length;
            held.splice(0).forEach((r) => r());
          }
        });
      }
      return offsetPage(req, res, { total: true, ...(state.cap ? { cap: state.cap } : {}) });
    }
    if (path === "/things-no-total") return offsetPage(req, res, { total: false });
    if (path === "/marked") {
      const limit = Number(req.url.searchParams.get("limit") ?? 1000);
      const marker = req.url.searchParams.get("marker");
      const start = marker === null ? 0 : ITEMS.findIndex((x) => x.id === marker) + 1;
      return sendJson(res, 200, { things: ITEMS.slice(start, start + limit) });
    }
    if (path === "/linked") {
      const limit = Number(req.url.searchParams.get("limit") ?? 1000);
      const marker = req.url.searchParams.get("marker");
      const offset = Number(req.url.searchParams.get("offset") ?? 0);
      const start = marker === null ? offset : ITEMS.findIndex((x) => x.id === marker) + 1;
      const page = ITEMS.slice(start, start + limit);
      const last = page[page.length - 1];
      const links =
        page.length === limit && last && start + limit < ITEMS.length
          ? [{ rel: "next", href: `http://192.168.82.222:8776/v3/${PROJECT_ID}/linked?limit=${limit}&marker=${last.id}` }]
          : [];
      return sendJson(res, 200, { things: page, things_links: links });
    }
    if (path === "/resource_instances/action" && req.method === "POST") {
      const body = req.json() as { action: string; limit: unknown; offset: unknown };
      if (body.action !== "filter" || typeof body.limit !== "string" || typeof body.offset !== "string") {
        return sendJson(res, 400, { error_code: "BackupService.0001", error_msg: `bad body ${req.body}` });
      }
      const limit = Number(body.limit);
      const offset = Number(body.offset);
      return sendJson(res, 200, { resources: ITEMS.slice(offset, offset + limit), total_count: ITEMS.length });
    }
    sendJson(res, 404, { error_code: "BackupService.0404", error_msg: "no such list" });
  });
});

afterAll(() => server.close());

function client(options = {}) {
  return loopbackClient("cbr", server.url, table, options);
}

function since(count: number) {
  return server.requests.slice(count);
}

describe("paginate: offset lists", () => {
  it("yields 1,000 items exactly once, in order, stopping at the reported total", async () => {
    const before = server.requests.length;
    const items = await collect(paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 100 }));
    expect(ids(items)).toEqual(ids(ITEMS));
    const requests = since(before);
    expect(requests).toHaveLength(10);
    expect(requests.map((r) => r.url.searchParams.get("offset"))).toEqual([
      "0",
      "100",
      "200",
      "300",
      "400",
      "500",
      "600",
      "700",
      "800",
      "900",
    ]);
    expect(requests.every((r) => r.url.searchParams.get("limit") === "100")).toBe(true);
  });

  it("answers next() calls made without waiting in order, as an async generator does, and ends for good", async () => {
    const items = paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 100, maxItems: 150 });
    const steps = await Promise.all(Array.from({ length: 152 }, () => items.next()));
    expect(ids(steps.slice(0, 150).map((s) => s.value))).toEqual(ids(ITEMS.slice(0, 150)));
    expect(steps.slice(150)).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
    expect(await items.next()).toEqual({ value: undefined, done: true });
    expect(items[Symbol.asyncIterator]()).toBe(items);
  });

  it("return() stops the paging, and next() then ends", async () => {
    const before = server.requests.length;
    const items = paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 100 });
    expect((await items.next()).value).toEqual(ITEMS[0]);
    expect(await items.return(undefined)).toEqual({ value: undefined, done: true });
    expect(await items.next()).toEqual({ value: undefined, done: true });
    expect(since(before)).toHaveLength(1);
  });

  it("keeps the caller's query parameters and uses maxLimit as the default page size", async () => {
    const before = server.requests.length;
    const items = await collect(paginate(client(), "/v3/{project_id}/things", { params: { query: { name: "x y" } } }));
    expect(items).toHaveLength(1000);
    const [only] = since(before);
    expect(since(before)).toHaveLength(1);
    expect(only!.url.searchParams.get("name")).toBe("x y");
    expect(only!.url.searchParams.get("limit")).toBe("1000");
  });

  it("stops on a short page when there is no total", async () => {
    const before = server.requests.length;
    const items = await collect(paginate(client(), "/v3/{project_id}/things-no-total", undefined, { pageSize: 128 }));
    expect(ids(items)).toEqual(ids(ITEMS));
    expect(since(before)).toHaveLength(8); // 7 full pages, then 104 items
  });

  it("stops on an empty page when the last page happens to be full", async () => {
    const before = server.requests.length;
    const items = await collect(paginate(client(), "/v3/{project_id}/things-no-total", undefined, { pageSize: 250 }));
    expect(ids(items)).toEqual(ids(ITEMS));
    expect(since(before)).toHaveLength(5);
  });

  it("keeps going after a short page while the total says there is more (the service capped the page size)", async () => {
    state.cap = 70;
    try {
      const before = server.requests.length;
      const items = await collect(paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 100 }));
      expect(ids(items)).toEqual(ids(ITEMS));
      expect(since(before)).toHaveLength(Math.ceil(1000 / 70));
    } finally {
      delete state.cap;
    }
  });

  it("starts at an offset the caller gives", async () => {
    const items = await collect(paginate(client(), "/v3/{project_id}/things", { params: { query: { offset: 990 } } }, { pageSize: 3 }));
    expect(ids(items)).toEqual(ids(ITEMS.slice(990)));
  });

  it("stops after maxItems and asks for no more than needed", async () => {
    const before = server.requests.length;
    const items = await collect(paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 100, maxItems: 250 }));
    expect(ids(items)).toEqual(ids(ITEMS.slice(0, 250)));
    expect(since(before).map((r) => r.url.searchParams.get("limit"))).toEqual(["100", "100", "50"]);
  });

  it("with maxItems: Infinity and no page size, leaves the page size to the service", async () => {
    const before = server.requests.length;
    const items = await collect(paginate(client(), "/v3/{project_id}/things-no-total", undefined, { maxItems: Infinity }));
    expect(ids(items)).toEqual(ids(ITEMS));
    expect(since(before).map((r) => r.url.searchParams.has("limit"))).toEqual([false, false]);
  });

  it("stops after maxPages", async () => {
    const items = await collect(paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 10, maxPages: 3 }));
    expect(items).toHaveLength(30);
  });
});

describe("paginate: marker, links and body-offset lists", () => {
  it("follows markers through 1,000 items", async () => {
    const before = server.requests.length;
    const items = await collect(paginate(client(), "/v3/{project_id}/marked", undefined, { pageSize: 100 }));
    expect(ids(items)).toEqual(ids(ITEMS));
    const markers = since(before).map((r) => r.url.searchParams.get("marker"));
    expect(markers[0]).toBeNull();
    expect(markers[1]).toBe("item-0099");
    expect(since(before)).toHaveLength(11); // the 11th page is empty
  });

  it("follows next links by their query only, never their host", async () => {
    const before = server.requests.length;
    const items = await collect(paginate(client(), "/v3/{project_id}/linked", { params: { query: { offset: 0 } } }, { pageSize: 100 }));
    expect(ids(items)).toEqual(ids(ITEMS));
    const requests = since(before);
    expect(requests).toHaveLength(10); // the last page has no next link
    // after the first page the marker replaces the offset
    expect(requests[1]!.url.searchParams.get("offset")).toBeNull();
    expect(requests[1]!.url.searchParams.get("marker")).toBe("item-0099");
  });

  it("pages a POST query with limit and offset as strings in the body", async () => {
    const before = server.requests.length;
    const items = await collect(
      paginate(
        client(),
        "/v3/{project_id}/resource_instances/action",
        { body: { action: "filter", tags: [{ key: "k", values: ["v"] }] } },
        { pageSize: 300 },
      ),
    );
    expect(ids(items)).toEqual(ids(ITEMS));
    const bodies = since(before).map((r) => r.json() as Record<string, unknown>);
    expect(bodies.map((b) => [b.limit, b.offset])).toEqual([
      ["300", "0"],
      ["300", "300"],
      ["300", "600"],
      ["300", "900"],
    ]);
    expect(bodies[0]!.tags).toEqual([{ key: "k", values: ["v"] }]);
  });

  it("gives whole pages with the body, response and total", async () => {
    const pages = await collect(paginatePages(client(), "/v3/{project_id}/things", undefined, { pageSize: 400 }));
    expect(pages.map((p) => [p.index, p.items.length, p.total, p.response.status])).toEqual([
      [0, 400, 1000, 200],
      [1, 400, 1000, 200],
      [2, 200, 1000, 200],
    ]);
    expect((pages[0]!.data as { limit: number }).limit).toBe(400);
  });
});

describe("paginate: endless-loop guards", () => {
  let bad: Loopback;
  let linkedPages = 0;
  beforeAll(async () => {
    bad = await startLoopback(
      (req, res) => {
        const path = req.url.pathname.replace(`/v3/${PROJECT_ID}`, "");
        const marker = req.url.searchParams.get("marker");
        if (path === "/marked") {
          // a broken service: after the second page it leads back to the first marker
          const pages: Record<string, unknown[]> = {
            "": [{ id: "a" }, { id: "b" }],
            b: [{ id: "c" }, { id: "d" }],
            d: [{ id: "e" }, { id: "b" }],
          };
          return sendJson(res, 200, { things: pages[marker ?? ""] ?? [] });
        }
        if (path === "/things-no-total") return sendJson(res, 200, { things: [{ id: "same-1" }, { id: "same-2" }] }); // ignores offset
        if (path === "/linked") {
          // new items on every page, but the same next link
          linkedPages++;
          return sendJson(res, 200, {
            things: [{ id: `x${linkedPages}` }, { id: `y${linkedPages}` }],
            things_links: [{ rel: "next", href: "/v3/p/linked?marker=m1&limit=2" }],
          });
        }
        if (path === "/things") return sendJson(res, 200, { things: "nope", count: 5 });
        sendJson(res, 200, {});
      },
      { maxRequests: 50 },
    );
  });
  afterAll(() => bad.close());
  const badClient = () => loopbackClient("cbr", bad.url, table);

  it("throws on a marker seen before", async () => {
    const before = bad.requests.length;
    const error = await collect(paginate(badClient(), "/v3/{project_id}/marked", undefined, { pageSize: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    // The item b comes again on page 3 (the marker it leads back to as well).
    expect((error as PaginationError).message).toMatch(/listMarked: page 3 repeats an item received before \(json \{"id":"b"\}\)/);
    expect(bad.requests.length - before).toBe(3);
  });

  it("throws when the service returns the same page again", async () => {
    const before = bad.requests.length;
    const error = await collect(paginate(badClient(), "/v3/{project_id}/things-no-total", undefined, { pageSize: 2 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/page 2 repeats an item received before/);
    expect(bad.requests.length - before).toBe(2);
  });

  it("throws when a next link repeats", async () => {
    const before = bad.requests.length;
    const error = await collect(paginate(badClient(), "/v3/{project_id}/linked", undefined, { pageSize: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/next link repeats/);
    expect(bad.requests.length - before).toBe(2);
  });

  it("says which field is malformed", async () => {
    await expect(collect(paginate(badClient(), "/v3/{project_id}/things"))).rejects.toThrow(/`things` of page 1 is not an array/);
  });

  it("refuses operations that do not page", async () => {
    await expect(paginate(badClient(), "/v3/{project_id}/things/{thing_id}" as never).next()).rejects.toThrow(
      /not a list operation of the CBR API/,
    );
    await expect(paginate({ GET: () => undefined }, "/x", undefined, {} as never).next()).rejects.toThrow(/no operation metadata/);
  });
});

describe("paginate: concurrency", () => {
  it("fetches pages in parallel, never more than asked, and yields them in order", async () => {
    state.barrier = 4;
    expectedParallel = 9; // pages 2..10 of 100
    try {
      const before = server.requests.length;
      const items = await collect(paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 100, concurrency: 4 }));
      expect(ids(items)).toEqual(ids(ITEMS));
      expect(since(before)).toHaveLength(10);
      expect(server.maxInFlight).toBe(4);
    } finally {
      delete state.barrier;
    }
  });

  it("steps by the page size the service actually gave", async () => {
    state.cap = 64;
    try {
      const items = await collect(paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 100, concurrency: 3 }));
      expect(ids(items)).toEqual(ids(ITEMS));
    } finally {
      delete state.cap;
    }
  });

  it("respects maxItems in parallel mode", async () => {
    const before = server.requests.length;
    const items = await collect(paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 100, concurrency: 5, maxItems: 333 }));
    expect(ids(items)).toEqual(ids(ITEMS.slice(0, 333)));
    expect(since(before).map((r) => r.url.searchParams.get("limit"))).toEqual(["100", "100", "100", "33"]);
  });

  it("stops cleanly when the consumer breaks early", async () => {
    let count = 0;
    for await (const _ of paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 50, concurrency: 3 })) {
      if (++count === 120) break;
    }
    expect(count).toBe(120);
  });
});

describe("paginate: errors and abort", () => {
  it("throws the page's OtcApiError", async () => {
    const error = await collect(paginate(client(), "/v3/{project_id}/resource_instances/action", { body: { action: "count" } })).catch(
      (e: unknown) => e,
    );
    expect(isOtcApiError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, code: "BackupService.0001", operationId: "filterResources" });
  });

  it("throws the OtcApiError also for clients that throw on errors", async () => {
    const error = await collect(
      paginate(client({ throwOnError: true }), "/v3/{project_id}/resource_instances/action", { body: { action: "count" } }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "OtcApiError", status: 400 });
  });

  it("stops with the signal's reason", async () => {
    const controller = new AbortController();
    const before = server.requests.length;
    let count = 0;
    const run = async () => {
      for await (const _ of paginate(client(), "/v3/{project_id}/things", undefined, { pageSize: 100, signal: controller.signal })) {
        if (++count === 100) controller.abort(new Error("enough"));
      }
    };
    await expect(run()).rejects.toThrow("enough");
    expect(count).toBe(100);
    expect(server.requests.length - before).toBe(1);
  });

  it("aborts requests in flight in parallel mode", async () => {
    const controller = new AbortController();
    let count = 0;
    const run = async () => {
      for await (const _ of paginate(client(), "/v3/{project_id}/things", undefined, {
        pageSize: 100,
        concurrency: 4,
        signal: controller.signal,
      })) {
        if (++count === 150) controller.abort(new Error("stop now"));
      }
    };
    await expect(run()).rejects.toThrow("stop now");
  });
});

describe("paginate: generated tables", () => {
  it("tells VBS's and CBR's GET /v3/{project_id}/backups apart", async () => {
    const seen: string[] = [];
    const svc = await startLoopback((req, res) => {
      seen.push(`${req.url.pathname}?${req.url.searchParams.toString()}`);
      const limit = Number(req.url.searchParams.get("limit"));
      const offset = Number(req.url.searchParams.get("offset") ?? 0);
      const marker = req.url.searchParams.get("marker");
      const start = marker ? ITEMS.findIndex((x) => x.id === marker) + 1 : offset;
      const page = ITEMS.slice(start, start + limit);
      const links =
        page.length === limit
          ? [{ rel: "next", href: `http://10.0.0.1/v3/${PROJECT_ID}/backups?limit=${limit}&marker=${page.at(-1)!.id}` }]
          : [];
      sendJson(res, 200, { backups: page, count: ITEMS.length, backups_links: links });
    });
    try {
      const auth = staticTokenAuth("t");
      const cbr = createCbrClient({ endpoint: svc.url, projectId: PROJECT_ID, auth, retry: false });
      const vbs = createVbsClient({ endpoint: svc.url, projectId: PROJECT_ID, auth, retry: false });
      const fromCbr = await collect(paginate(cbr, "/v3/{project_id}/backups", undefined, { pageSize: 400 }));
      expect(ids(fromCbr)).toEqual(ids(ITEMS));
      expect(seen.splice(0).map((s) => s.replace(/.*\?/, ""))).toEqual([
        "limit=400&offset=0",
        "limit=400&offset=400",
        "limit=400&offset=800",
      ]);
      const fromVbs = await collect(paginate(vbs, "/v3/{project_id}/backups", undefined, { pageSize: 400 }));
      expect(ids(fromVbs)).toEqual(ids(ITEMS));
      expect(seen.splice(0).map((s) => s.replace(/.*\?/, ""))).toEqual([
        "limit=400",
        "limit=400&marker=item-0399",
        "limit=400&marker=item-0799",
      ]);
    } finally {
      await svc.close();
    }
  });
});

describe("paginate: concurrency never loses items and starts at once", () => {
  /** 1,000 items with a total; the page at offset 300 answers only 50 items (a service cap there, or the list changing). */
  let shortPage: Loopback;
  /** Holds the first answer until `concurrency` requests are in flight (at most 2 s, so that a pager that sends one at a time still finishes). */
  let barrier: Loopback;
  const firstAnswer: { inFlight: number } = { inFlight: 0 };
  beforeAll(async () => {
    shortPage = await startLoopback((req, res) => {
      const limit = Number(req.url.searchParams.get("limit"));
      const offset = Number(req.url.searchParams.get("offset") ?? 0);
      const n = offset === 300 ? Math.min(limit, 50) : limit;
      sendJson(res, 200, { things: ITEMS.slice(offset, offset + n), count: ITEMS.length });
    });
    let waiting: Array<() => void> = [];
    barrier = await startLoopback(async (req, res) => {
      const offset = Number(req.url.searchParams.get("offset") ?? 0);
      const limit = Number(req.url.searchParams.get("limit"));
      if (waiting !== undefined && offset < 400) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          const release = () => {
            firstAnswer.inFlight = barrier.inFlight;
            const all = waiting;
            waiting = [];
            all.forEach((r) => r());
          };
          if (waiting.length === 4) release();
          else setTimeout(release, 2_000);
        });
      }
      sendJson(res, 200, { things: ITEMS.slice(offset, offset + limit), count: ITEMS.length });
    });
  });
  afterAll(async () => {
    await shortPage.close();
    await barrier.close();
  });

  it.each([1, 2, 4, 8])("yields every item when a page comes back short (concurrency %i)", async (concurrency) => {
    const c = loopbackClient("cbr", shortPage.url, table);
    const items = await collect(paginate(c, "/v3/{project_id}/things", undefined, { pageSize: 100, concurrency }));
    expect(items).toHaveLength(1000);
    expect(ids(items)).toEqual(ids(ITEMS));
  });

  it("starts the first `concurrency` pages together when the page size is known", async () => {
    const c = loopbackClient("cbr", barrier.url, table);
    const before = barrier.requests.length;
    const items = await collect(paginate(c, "/v3/{project_id}/things", undefined, { pageSize: 100, concurrency: 4 }));
    expect(ids(items)).toEqual(ids(ITEMS));
    // The first four requests (offsets 0, 100, 200, 300) were all in flight before any answer.
    expect(barrier.requests.slice(before, before + 4).map((r) => r.url.searchParams.get("offset"))).toEqual(["0", "100", "200", "300"]);
    expect(firstAnswer.inFlight).toBe(4);
  });
});
