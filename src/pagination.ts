// paginate / paginatePages: every item (or page) of a list operation, whatever its paging style,
// driven by the operation's x-pagination metadata (spec/EXTENSIONS.md).
//
// Stops on an empty page, on the reported total, (links) on a missing `next` link, or on a page
// shorter than asked for; evidence of more (a total not yet reached, a `next` link) wins over
// the short-page rule. Throws PaginationError when the service would make it loop forever: a
// marker or next link seen before, or the same page twice. With concurrency, offset pages are
// requested ahead, but at any concurrency the items are those of one page at a time.
import { unwrapResult } from "./call-results.js";
import type { BodyOf, InitOf, OpsOf, PathOfKey, PathsOf } from "./client-types.js";
import { PaginationError } from "./errors.js";
import { metaOf, type PaginationMeta, type PaginationTable } from "./operations.js";
import { PAGINATION_COMMON, PAGINATION_STYLES } from "./pagination-meta.js";
import { cbrPagination } from "../generated/cbr.meta.js";
import { vbsPagination } from "../generated/vbs.meta.js";

/** Each service's x-pagination: only paginate reads it, so only paginate bundles it. */
const PAGINATION: Readonly<Record<string, PaginationTable>> = { cbr: cbrPagination, vbs: vbsPagination };

export interface PaginateOptions {
  /** Items per request (default: the operation's maxLimit, else a `limit` given in init, else the service default). */
  pageSize?: number | undefined;
  /** Stop after this many items (the last request asks for no more than needed). */
  maxItems?: number | undefined;
  /** Stop after this many pages. */
  maxPages?: number | undefined;
  /** Aborts the paging, including requests in flight. */
  signal?: AbortSignal | undefined;
  /**
   * Requests in flight at once, for offset lists (default 1); pages are still yielded in order,
   * and the items are exactly those of one page at a time. With a known page size (pageSize,
   * maxLimit or a `limit` in init) the first pages start together.
   */
  concurrency?: number | undefined;
  /** The operation's paging metadata, for clients without generated tables or to override them. */
  pagination?: PaginationMeta | undefined;
  /** With `pagination`: the method (default GET, POST for body-offset). */
  method?: "GET" | "POST" | undefined;
}

export interface Page<Item = unknown, Data = unknown> {
  /** The page's items (cut short on the last page when maxItems is reached). */
  items: Item[];
  /** The whole response body. */
  data: Data;
  response: Response;
  /** 0 for the first page. */
  index: number;
  /** The total the service reported on this page, if any. */
  total: number | undefined;
}

// ---- types: what a client's generated tables say about a path ----

type PagedKey<O> = { [K in keyof O]: O[K] extends { readonly pagination: object } ? K : never }[keyof O] & string;
type KeyFor<C, P extends string> = Extract<PagedKey<OpsOf<C>>, `${string} ${P}`>;
type MethodFor<C, P extends string> = KeyFor<C, P> extends `${infer M} ${string}` ? Lowercase<M> : never;
type ItemsKey<C, P extends string> = OpsOf<C>[KeyFor<C, P>] extends { readonly pagination: { readonly items: infer I } } ? I : never;

/** Clients typed without generated tables (a plain table, no paths type): any path, untyped items. */
type Loose<C> = unknown extends PathsOf<C> ? true : string extends keyof OpsOf<C> ? true : false;
type LooseInit = { params?: Record<string, unknown>; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } & Record<string, unknown>;

/** Paths of the client's list operations (those with x-pagination). */
export type PaginatedPath<C> = Loose<C> extends true ? string : PathOfKey<PagedKey<OpsOf<C>>>;
/** The init (params, body, headers) of a list operation, as for client.GET / client.POST. */
export type PageInit<C, P extends string> = Loose<C> extends true ? LooseInit : InitOf<C, P, MethodFor<C, P>>;
/** The success body of a list operation. */
export type PageData<C, P extends string> = Loose<C> extends true ? unknown : BodyOf<C, P, MethodFor<C, P>>;
/** One item of a list operation. */
export type PageItem<C, P extends string> = Loose<C> extends true
  ? unknown
  : PageData<C, P> extends infer D
    ? ItemsKey<C, P> extends keyof D
      ? NonNullable<D[ItemsKey<C, P>]> extends readonly (infer I)[]
        ? I
        : unknown
      : unknown
    : unknown;

type AnyClient = object;

// ---- public functions ----
// One signature each (no overloads): a mistake in `init` is then reported at the parameter
// that is wrong, instead of as "no overload matches this call" about another signature.

/**
 * Every item of a list operation, in order: `for await (const vault of paginate(cbr,
 * "/v3/{project_id}/vaults")) …`. `init` is what you would pass to client.GET (or client.POST for
 * the tag-filter queries), minus the paging parameters, which paginate sets. A client not made by
 * this package needs `options.pagination`.
 */
export function paginate<C extends AnyClient, P extends PaginatedPath<C>>(
  client: C,
  path: P,
  init?: PageInit<C, P>,
  options: PaginateOptions = {},
): AsyncGenerator<PageItem<C, P>, void, undefined> {
  return itemsOf(pageGenerator(client, path, init, options)) as AsyncGenerator<PageItem<C, P>, void, undefined>;
}

type Step = IteratorResult<unknown, undefined>;
const DONE: Step = Object.freeze({ value: undefined, done: true });

/**
 * The items of the pages, as an async generator would yield them (next, return and throw, one
 * step at a time), without an async generator's cost per item: the items of a page that has
 * arrived are handed out at once. Calls made while a page is awaited wait their turn.
 */
function itemsOf(pages: AsyncGenerator<Page, void, undefined>): AsyncGenerator<unknown, void, undefined> {
  let items: unknown[] = [];
  let index = 0;
  let finished = false;
  let busy: Promise<Step> | undefined;
  const next = (): Promise<Step> => {
    if (busy) return busy.then(next, next);
    if (index < items.length) return Promise.resolve({ value: items[index++], done: false });
    if (finished) return Promise.resolve(DONE);
    busy = pages.next().then(
      (result) => {
        busy = undefined;
        if (result.done) {
          finished = true;
          return DONE;
        }
        items = result.value.items;
        index = 0;
        return next();
      },
      (error: unknown) => {
        busy = undefined;
        finished = true;
        throw error;
      },
    );
    return busy;
  };
  const stop = async (): Promise<void> => {
    finished = true;
    items = [];
    await pages.return(undefined);
  };
  const iterator = {
    next,
    async return(): Promise<Step> {
      await stop();
      return DONE;
    },
    async throw(error: unknown): Promise<Step> {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator as unknown as AsyncGenerator<unknown, void, undefined>;
}

/** Like paginate, one page at a time, with the whole body and response of each. */
export function paginatePages<C extends AnyClient, P extends PaginatedPath<C>>(
  client: C,
  path: P,
  init?: PageInit<C, P>,
  options: PaginateOptions = {},
): AsyncGenerator<Page<PageItem<C, P>, PageData<C, P>>, void, undefined> {
  return pageGenerator(client, path, init, options) as AsyncGenerator<Page<PageItem<C, P>, PageData<C, P>>, void, undefined>;
}

// ---- the pager: one loop, one strategy per paging style ----

type Init = Record<string, unknown> & { params?: Record<string, unknown>; body?: unknown; signal?: AbortSignal };
type Call = (path: string, init: Init) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
/** Paging parameters of one request; undefined removes a parameter the caller gave. */
type Values = Record<string, string | number | undefined>;

/** What a strategy may ask the pager when it plans a request. */
interface Planning {
  /** The page size to ask for with `before` items of the list before the page (undefined: the service's default; 0: nothing left to ask for). */
  limit(before: number): number | undefined;
  /** Items yielded so far. */
  readonly seen: number;
  /** The latest total the service reported. */
  readonly total: number | undefined;
}

/**
 * How one paging style moves through a list. `plan(k)` gives the paging values of the k-th
 * request after the pages read so far, or undefined for none (k > 0 only for offsets, whose
 * next requests are known before the answers are); `advance` takes the page that answered
 * request 0 and says whether the list goes on, and whether the requests already planned are
 * still the right ones.
 */
interface Strategy {
  /** More than one request may be planned ahead. */
  readonly ahead: boolean;
  plan(k: number, planning: Planning): Values | undefined;
  advance(page: Page, asked: number | undefined): "next" | "replan" | "done";
}

interface Setup<M extends PaginationMeta = PaginationMeta> {
  meta: M;
  name: string;
  operationId: string | undefined;
  given: Given;
  /** Page size to ask for, when known. */
  pageSize: number | undefined;
}

/**
 * Offsets (query or body). With a known page size, request k starts k pages further, assuming
 * full pages; each answer is consumed only at the offset where the last one ended, so a page
 * shorter (or longer) than planned drops the requests planned after it and plans again from
 * where it ended, stepping by the size it had. Every request is one the sequential pager would
 * make had the pages before it been of the size planned, so the items are exactly the sequential
 * pager's, at any concurrency.
 */
function offsetStrategy({ meta, given, pageSize }: Setup<PaginationMeta & { style: "offset" | "body-offset" }>): Strategy {
  const start = given.offset ?? 0;
  let offset = start;
  let step = pageSize;
  return {
    ahead: true,
    plan(k, { limit, total }) {
      if (k > 0 && (step === undefined || step === 0)) return undefined;
      const at = offset + k * (step ?? 0);
      if (k > 0 && total !== undefined && at >= total) return undefined;
      const n = limit(at - start);
      if (n === 0) return undefined;
      return n === undefined ? { [meta.offset]: at } : { [meta.limit]: n, [meta.offset]: at };
    },
    advance(page, asked) {
      const n = page.items.length;
      offset += n;
      if (page.total === undefined && asked !== undefined && n < asked) return "done";
      if (n === step) return "next";
      step = n;
      return "replan";
    },
  };
}

/** Markers: the next page starts after the last item's `markerFrom` value. */
function markerStrategy({ meta, given, name, operationId }: Setup<PaginationMeta & { style: "marker" }>): Strategy {
  let marker = given.marker;
  let afterFirst = false;
  const seenMarkers = new Set<string>(given.marker === undefined ? [] : [given.marker]);
  return {
    ahead: false,
    plan(k, { limit, seen }) {
      const n = limit(seen);
      if (k > 0 || n === 0) return undefined;
      const values: Values = { [meta.marker]: marker };
      if (n !== undefined) values[meta.limit] = n;
      // An offset given for the first page does not apply after a marker.
      if (afterFirst && meta.offset !== undefined) values[meta.offset] = undefined;
      return values;
    },
    advance(page, asked) {
      afterFirst = true;
      const n = page.items.length;
      if (page.total === undefined && asked !== undefined && n < asked) return "done";
      const last = page.items[n - 1] as Record<string, unknown> | undefined;
      const next = last && typeof last === "object" ? last[meta.markerFrom] : undefined;
      if (typeof next !== "string" && typeof next !== "number") {
        throw new PaginationError(`${name}: the last item of page ${page.index + 1} has no ${meta.markerFrom} to continue from`, { operationId, pages: page.index + 1 });
      }
      const key = String(next);
      if (seenMarkers.has(key)) {
        throw new PaginationError(`${name}: the service led back to marker ${key} (page ${page.index + 2}); stopping instead of looping forever`, {
          operationId,
          pages: page.index + 1,
        });
      }
      seenMarkers.add(key);
      marker = key;
      return "next";
    },
  };
}

/** OpenStack `next` links: only the link's query is read, never its host. */
function linksStrategy({ meta, name, operationId }: Setup<PaginationMeta & { style: "links" }>): Strategy {
  let fromLink: Values | undefined;
  const seenLinks = new Set<string>();
  return {
    ahead: false,
    plan(k, { limit, seen }) {
      const n = limit(seen);
      if (k > 0 || n === 0) return undefined;
      return { ...(n === undefined ? {} : { [meta.limit]: n }), ...fromLink };
    },
    advance(page) {
      const link = nextLink(page.data, meta.next);
      if (link === undefined) return "done";
      const next = linkQuery(link, meta);
      if (typeof next === "string") {
        throw new PaginationError(`${name}: the next link of page ${page.index + 1} ${next}: ${link.slice(0, 200)}`, { operationId, pages: page.index + 1 });
      }
      const key = JSON.stringify(next);
      if (seenLinks.has(key)) {
        throw new PaginationError(`${name}: the service's next link repeats an earlier page (${key}); stopping instead of looping forever`, {
          operationId,
          pages: page.index + 1,
        });
      }
      seenLinks.add(key);
      fromLink = next;
      return "next";
    },
  };
}

function strategyFor(setup: Setup): Strategy {
  const meta = setup.meta;
  switch (meta.style) {
    case "offset":
    case "body-offset":
      return offsetStrategy({ ...setup, meta });
    case "marker":
      return markerStrategy({ ...setup, meta });
    case "links":
      return linksStrategy({ ...setup, meta });
  }
}

interface Plan {
  method: "GET" | "POST";
  meta: PaginationMeta;
  operationId: string | undefined;
  call: Call;
}

function plan(client: AnyClient, path: string, options: PaginateOptions): Plan {
  let method: "GET" | "POST";
  let meta: PaginationMeta | undefined;
  const table = metaOf(client);
  if (options.pagination) {
    meta = options.pagination;
    method = options.method ?? (meta.style === "body-offset" ? "POST" : "GET");
  } else {
    if (!table) throw new TypeError("paginate: this client carries no operation metadata; pass options.pagination");
    const pages = table.pagination ?? PAGINATION[table.service] ?? {};
    method = "GET";
    for (const candidate of ["GET", "POST"] as const) {
      meta = pages[`${candidate} ${path}`];
      if (meta) {
        method = candidate;
        break;
      }
    }
    if (!meta) throw new TypeError(`paginate: ${path} is not a list operation of the ${table.service.toUpperCase()} API (it has no x-pagination)`);
  }
  const operationId = table?.operations[`${method} ${path}`];
  const problem = checkMeta(meta);
  if (problem) throw new TypeError(`paginate: ${operationId ?? path}: ${problem}`);
  const fn = (client as Record<string, unknown>)[method];
  if (typeof fn !== "function") throw new TypeError(`paginate: the client has no ${method} method`);
  return { method, meta, operationId, call: fn as Call };
}

/** Metadata passed by hand (options.pagination) is checked at run time too: the table of keys says what each style needs. */
function checkMeta(meta: PaginationMeta): string | undefined {
  const name = String(meta.style);
  const style = Object.hasOwn(PAGINATION_STYLES, name) ? (PAGINATION_STYLES as Record<string, { readonly required: readonly string[] }>)[name] : undefined;
  if (!style) return `unknown pagination style ${name}`;
  const missing = [...PAGINATION_COMMON.required, ...style.required].filter((key) => !(meta as unknown as Record<string, unknown>)[key]);
  return missing.length ? `style ${meta.style} needs ${missing.join(" and ")}` : undefined;
}

function positiveInt(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new TypeError(`paginate: ${name} must be a positive integer`);
  return value;
}

interface Pending {
  promise: Promise<Page>;
  asked: number | undefined;
  controller: AbortController | undefined;
  /** Still counted as in flight (until it settles or is dropped). */
  counted: boolean;
}

async function* pageGenerator(client: AnyClient, path: string, rawInit: object | undefined, options: PaginateOptions): AsyncGenerator<Page, void, undefined> {
  const { meta, operationId, call, method } = plan(client, path, options);
  const init = (rawInit ?? {}) as Init;
  const inBody = meta.style === "body-offset";
  const maxItems = options.maxItems === undefined ? undefined : Math.max(0, Math.floor(options.maxItems));
  const maxPages = positiveInt(options.maxPages, "maxPages");
  const concurrency = positiveInt(options.concurrency, "concurrency") ?? 1;
  const given = givenValues(init, meta, inBody);
  let pageSize = positiveInt(options.pageSize, "pageSize") ?? meta.maxLimit ?? given.limit;
  if (pageSize !== undefined && meta.maxLimit !== undefined) pageSize = Math.min(pageSize, meta.maxLimit);
  const name = operationId ?? `${method} ${path}`;
  const strategy = strategyFor({ meta, name, operationId, given, pageSize });
  const ahead = strategy.ahead ? concurrency : 1;
  const startOffset = given.offset ?? 0;
  // A total counts as the end of the list for offsets, and for cursors started from the beginning.
  const totalCounts = meta.style === "offset" || meta.style === "body-offset" || (given.marker === undefined && given.offset === undefined);

  // One controller for our own requests: aborted when the caller stops early or a page fails.
  const controller = new AbortController();
  const signals = [controller.signal, options.signal, init.signal].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length === 1 ? controller.signal : AbortSignal.any(signals);

  let index = 0;
  let seen = 0;
  let total: number | undefined;
  let lastFingerprint: string | undefined;
  /** Requests started and not yet consumed, in list order; the first is the next page to yield. */
  const queue: Pending[] = [];
  let inFlight = 0;
  let finished = false;
  const planning: Planning = {
    limit: (before) => {
      if (maxItems === undefined) return pageSize;
      const n = Math.max(0, Math.min(pageSize ?? Infinity, maxItems - before));
      return n === Infinity ? undefined : n; // maxItems: Infinity without a page size
    },
    get seen() {
      return seen;
    },
    get total() {
      return total;
    },
  };

  /** Starts request k after the pages read so far, if the strategy and the limits allow one. */
  const start = (k: number): boolean => {
    if (maxPages !== undefined && index + k >= maxPages) return false;
    const values = strategy.plan(k, planning);
    if (values === undefined) return false;
    const limit = values[meta.limit];
    const asked = typeof limit === "number" ? limit : meta.defaultLimit;
    const own = ahead > 1 ? new AbortController() : undefined;
    const requestSignal = own ? AbortSignal.any([signal, own.signal]) : signal;
    const pageIndex = index + k;
    inFlight++;
    const promise = call(path, requestInit(init, meta, inBody, values, requestSignal)).then((result) => {
      const data = unwrapResult(result, { method, url: result.response.url, operationId });
      return readPage(data, result.response, meta, name, pageIndex);
    });
    const pending: Pending = { promise, asked, controller: own, counted: true };
    // Observed when its turn comes (never an unhandled rejection); meanwhile its place in flight
    // goes to the next request at once, as a pool of workers would give it.
    const settled = () => {
      if (!pending.counted) return;
      pending.counted = false;
      inFlight--;
      fill();
    };
    promise.then(settled, settled);
    queue.push(pending);
    return true;
  };
  /** Keeps `concurrency` requests in flight, and at most as many answers again waiting to be yielded. */
  const fill = () => {
    while (!finished && inFlight < ahead && queue.length < (ahead === 1 ? 1 : 2 * ahead) && start(queue.length));
  };

  const checkRepeat = (items: unknown[], index: number) => {
    if (items.length === 0) return;
    const fingerprint = `${items.length}|${identity(items[0])}|${identity(items[items.length - 1])}`;
    if (fingerprint === lastFingerprint) {
      throw new PaginationError(`${name}: the service returned the same page twice (page ${index + 1}); stopping instead of looping forever`, {
        operationId,
        pages: index,
      });
    }
    lastFingerprint = fingerprint;
  };

  try {
    while (true) {
      signal.throwIfAborted();
      fill();
      const pending = queue[0];
      if (!pending) return;
      // The page stays first in the queue until the strategy has moved past it: requests started
      // meanwhile are planned from where the strategy stands.
      const page = await pending.promise;
      const n = page.items.length;
      checkRepeat(page.items, index);
      if (page.total !== undefined) total = page.total;
      if (maxItems !== undefined && seen + n > maxItems) page.items = page.items.slice(0, maxItems - seen);
      seen += n;
      index++;
      yield page;

      if (n === 0) return;
      if (totalCounts && page.total !== undefined && startOffset + seen >= page.total) return;
      const verdict = strategy.advance(page, pending.asked);
      queue.shift();
      if (verdict === "done") return;
      // The pages planned after this one start where it would have ended at full size: drop them.
      if (verdict === "replan") {
        for (const dropped of queue.splice(0)) {
          dropped.controller?.abort();
          if (dropped.counted) inFlight--;
          dropped.counted = false;
        }
      }
    }
  } finally {
    finished = true;
    controller.abort();
  }
}

/** limit/offset/marker that the caller put into init themselves. */
interface Given {
  limit?: number;
  offset?: number;
  marker?: string;
}

function givenValues(init: Init, meta: PaginationMeta, inBody: boolean): Given {
  const source = (inBody ? init.body : (init.params as Record<string, unknown> | undefined)?.query) as Record<string, unknown> | undefined;
  if (!source || typeof source !== "object") return {};
  const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
  const out: Given = {};
  const limit = num(source[meta.limit]);
  if (limit !== undefined && limit > 0) out.limit = limit;
  const offset = meta.offset ? num(source[meta.offset]) : undefined;
  if (offset !== undefined) out.offset = offset;
  const marker = "marker" in meta && meta.marker ? source[meta.marker] : undefined;
  if (typeof marker === "string" && marker !== "") out.marker = marker;
  return out;
}

function requestInit(init: Init, meta: PaginationMeta, inBody: boolean, values: Values, signal: AbortSignal): Init {
  const encode = (v: string | number) => (meta.stringValues ? String(v) : v);
  const merge = (into: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete into[k];
      else into[k] = encode(v);
    }
    return into;
  };
  if (inBody) return { ...init, body: merge({ ...((init.body as Record<string, unknown> | undefined) ?? {}) }), signal };
  const params = (init.params ?? {}) as Record<string, unknown>;
  const query = merge({ ...((params.query as Record<string, unknown> | undefined) ?? {}) });
  return { ...init, params: { ...params, query }, signal };
}

function readPage(data: unknown, response: Response, meta: PaginationMeta, name: string, index: number): Page {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new PaginationError(`${name}: page ${index + 1} is not a JSON object with a \`${meta.items}\` array`, { operationId: undefined, pages: index });
  }
  const body = data as Record<string, unknown>;
  const raw = body[meta.items];
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
    throw new PaginationError(`${name}: \`${meta.items}\` of page ${index + 1} is not an array`, { operationId: undefined, pages: index });
  }
  let total: number | undefined;
  if (meta.total !== undefined) {
    const t = body[meta.total];
    if (typeof t === "number" && Number.isFinite(t)) total = t;
    else if (typeof t === "string" && /^\d+$/.test(t)) total = Number(t);
  }
  return { items: (raw as unknown[] | undefined | null) ?? [], data, response, index, total };
}

function identity(item: unknown): string {
  if (item !== null && typeof item === "object") {
    const id = (item as Record<string, unknown>).id;
    if (typeof id === "string" || typeof id === "number") return `id:${id}`;
  }
  return JSON.stringify(item) ?? String(item);
}

function nextLink(data: unknown, property: string): string | undefined {
  const links = (data as Record<string, unknown>)[property];
  if (!Array.isArray(links)) return undefined;
  for (const link of links) {
    if (link && typeof link === "object" && (link as Record<string, unknown>).rel === "next") {
      const href = (link as Record<string, unknown>).href;
      if (typeof href === "string" && href !== "") return href;
    }
  }
  return undefined;
}

/**
 * The paging parameters of a next link. Only its query is read, never its host (the references
 * show internal hosts in those links). A marker without an offset means "after the marker": the
 * offset of the first request is dropped.
 */
function linkQuery(href: string, meta: PaginationMeta & { style: "links" }): Values | string {
  let url: URL;
  try {
    url = new URL(href, "http://link.invalid/");
  } catch {
    return "is not a URL";
  }
  const q = url.searchParams;
  const out: Values = {};
  const marker = q.get(meta.marker);
  out[meta.marker] = marker ?? undefined;
  if (meta.offset) {
    const offset = q.get(meta.offset);
    out[meta.offset] = offset !== null && /^\d+$/.test(offset) ? Number(offset) : undefined;
  }
  if (marker === null && (meta.offset === undefined || out[meta.offset] === undefined)) return `has neither ${meta.marker}${meta.offset ? ` nor ${meta.offset}` : ""}`;
  return out;
}
