// paginate / paginatePages: every item (or page) of a list operation, whatever its paging style,
// driven by the operation's x-pagination metadata (spec/EXTENSIONS.md).
//
// Stops on an empty page, on the reported total, (links) on a missing `next` link, or on a page
// shorter than asked for; evidence of more (a total not yet reached, a `next` link) wins over
// the short-page rule. Throws PaginationError when the service would make it loop forever: a
// marker or next link seen before, or the same page twice.
import type { Client, FetchResponse, MaybeOptionalInit } from "openapi-fetch";
import { PaginationError, unwrapResult } from "./errors.js";
import { metaOf, type OperationTable, type PaginationMeta, type WithClientMeta } from "./operations.js";

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
   * Requests in flight at once, for offset lists whose total the service reports (default 1).
   * The first page is fetched alone; the rest in parallel, yielded in order.
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

type OpsOf<C> = C extends WithClientMeta<string, infer O> ? O : never;
type PagedKey<O> = { [K in keyof O]: O[K] extends { readonly pagination: object } ? K : never }[keyof O] & string;
type PathOfKey<K> = K extends `${string} ${infer P}` ? P : never;
type KeyFor<C, P extends string> = Extract<PagedKey<OpsOf<C>>, `${string} ${P}`>;
type MethodFor<C, P extends string> = KeyFor<C, P> extends `${infer M} ${string}` ? Lowercase<M> : never;
type PathsOf<C> = C extends Client<infer Paths, infer _Media> ? Paths : never;
type OperationOf<C, P extends string> = P extends keyof PathsOf<C> ? (MethodFor<C, P> extends keyof PathsOf<C>[P] ? PathsOf<C>[P][MethodFor<C, P>] : never) : never;
type ItemsKey<C, P extends string> = OpsOf<C>[KeyFor<C, P>] extends { readonly pagination: { readonly items: infer I } } ? I : never;

/** Clients typed without generated tables (a plain table, no paths type): any path, untyped items. */
type Loose<C> = [PathsOf<C>] extends [never] ? true : string extends keyof OpsOf<C> ? true : false;
type LooseInit = { params?: Record<string, unknown>; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } & Record<string, unknown>;

/** Paths of the client's list operations (those with x-pagination). */
export type PaginatedPath<C> = Loose<C> extends true ? string : PathOfKey<PagedKey<OpsOf<C>>>;
/** The init (params, body, headers) of a list operation, as for client.GET / client.POST. */
export type PageInit<C, P extends string> =
  Loose<C> extends true
    ? LooseInit
    : P extends keyof PathsOf<C>
      ? MethodFor<C, P> extends infer M extends keyof PathsOf<C>[P]
        ? NonNullable<MaybeOptionalInit<PathsOf<C>[P], M>>
        : never
      : never;
/** The success body of a list operation. */
export type PageData<C, P extends string> =
  Loose<C> extends true ? unknown : NonNullable<FetchResponse<OperationOf<C, P> & Record<string | number, any>, {}, `${string}/${string}`>["data"]>;
/** One item of a list operation. */
export type PageItem<C, P extends string> =
  Loose<C> extends true
    ? unknown
    : ItemsKey<C, P> extends keyof PageData<C, P>
      ? NonNullable<PageData<C, P>[ItemsKey<C, P>]> extends readonly (infer I)[]
        ? I
        : unknown
      : unknown;

type AnyClient = Record<string, unknown> | object;

// ---- public functions ----

/**
 * Every item of a list operation, in order: `for await (const vault of paginate(cbr,
 * "/v3/{project_id}/vaults")) …`. `init` is what you would pass to client.GET (or client.POST for
 * the tag-filter queries), minus the paging parameters, which paginate sets.
 */
export function paginate<C extends WithClientMeta<string, OperationTable>, P extends PaginatedPath<C>>(
  client: C,
  path: P,
  init?: PageInit<C, P>,
  options?: PaginateOptions,
): AsyncGenerator<PageItem<C, P>, void, undefined>;
export function paginate<Item = unknown>(
  client: AnyClient,
  path: string,
  init: object | undefined,
  options: PaginateOptions & { pagination: PaginationMeta },
): AsyncGenerator<Item, void, undefined>;
export async function* paginate(client: AnyClient, path: string, init?: object, options: PaginateOptions = {}): AsyncGenerator<unknown, void, undefined> {
  for await (const page of pageGenerator(client, path, init, options)) yield* page.items;
}

/** Like paginate, one page at a time, with the whole body and response of each. */
export function paginatePages<C extends WithClientMeta<string, OperationTable>, P extends PaginatedPath<C>>(
  client: C,
  path: P,
  init?: PageInit<C, P>,
  options?: PaginateOptions,
): AsyncGenerator<Page<PageItem<C, P>, PageData<C, P>>, void, undefined>;
export function paginatePages<Item = unknown, Data = unknown>(
  client: AnyClient,
  path: string,
  init: object | undefined,
  options: PaginateOptions & { pagination: PaginationMeta },
): AsyncGenerator<Page<Item, Data>, void, undefined>;
export function paginatePages(client: AnyClient, path: string, init?: object, options: PaginateOptions = {}): AsyncGenerator<Page, void, undefined> {
  return pageGenerator(client, path, init, options);
}

// ---- the pager ----

type Init = Record<string, unknown> & { params?: Record<string, unknown>; body?: unknown; signal?: AbortSignal };
type Call = (path: string, init: Init) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
type Values = Record<string, string | number | undefined>;

interface Plan {
  method: "GET" | "POST";
  meta: PaginationMeta;
  operationId: string | undefined;
  call: Call;
}

function plan(client: AnyClient, path: string, options: PaginateOptions): Plan {
  let method: "GET" | "POST";
  let meta: PaginationMeta | undefined;
  let operationId: string | undefined;
  const table = metaOf(client);
  if (options.pagination) {
    meta = options.pagination;
    method = options.method ?? (meta.style === "body-offset" ? "POST" : "GET");
    operationId = table?.operations[`${method} ${path}`]?.operationId;
  } else {
    if (!table) throw new TypeError("paginate: this client carries no operation metadata; pass options.pagination");
    method = "GET";
    for (const candidate of ["GET", "POST"] as const) {
      const op = table.operations[`${candidate} ${path}`];
      if (op?.pagination) {
        method = candidate;
        meta = op.pagination;
        operationId = op.operationId;
        break;
      }
    }
    if (!meta) throw new TypeError(`paginate: ${path} is not a list operation of the ${table.service.toUpperCase()} API (it has no x-pagination)`);
  }
  const problem = checkMeta(meta);
  if (problem) throw new TypeError(`paginate: ${operationId ?? path}: ${problem}`);
  const fn = (client as Record<string, unknown>)[method];
  if (typeof fn !== "function") throw new TypeError(`paginate: the client has no ${method} method`);
  return { method, meta, operationId, call: fn as Call };
}

function checkMeta(meta: PaginationMeta): string | undefined {
  if (!meta.items || !meta.limit) return "pagination metadata needs items and limit";
  switch (meta.style) {
    case "offset":
    case "body-offset":
      return meta.offset ? undefined : `style ${meta.style} needs offset`;
    case "marker":
      return meta.marker && meta.markerFrom ? undefined : "style marker needs marker and markerFrom";
    case "links":
      return meta.marker && meta.next ? undefined : "style links needs marker and next";
    default:
      return `unknown pagination style ${String((meta as { style?: unknown }).style)}`;
  }
}

function positiveInt(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new TypeError(`paginate: ${name} must be a positive integer`);
  return value;
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

  // One controller for our own requests: aborted when the caller stops early or a page fails.
  const controller = new AbortController();
  const signals = [controller.signal, options.signal, init.signal].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length === 1 ? controller.signal : AbortSignal.any(signals);

  const startOffset = given.offset ?? 0;
  let offset = startOffset;
  let marker = given.marker;
  let linkValues: Values | undefined;
  const seenLinks = new Set<string>();
  const seenMarkers = new Set<string>();
  let lastFingerprint: string | undefined;
  let seen = 0;
  let index = 0;

  const fetchPage = async (values: Values, pageIndex: number) => {
    const result = await call(path, requestInit(init, meta, inBody, values, signal));
    const data = unwrapResult(result, { method, url: result.response.url, operationId });
    return readPage(data, result.response, meta, name, pageIndex);
  };

  const checkRepeat = (items: unknown[], pageIndex: number) => {
    if (items.length === 0) return;
    const fingerprint = `${items.length}|${identity(items[0])}|${identity(items[items.length - 1])}`;
    if (fingerprint === lastFingerprint) {
      throw new PaginationError(`${name}: the service returned the same page twice (page ${pageIndex + 1}); stopping instead of looping forever`, {
        operationId,
        pages: pageIndex,
      });
    }
    lastFingerprint = fingerprint;
  };

  try {
    while (true) {
      if (maxPages !== undefined && index >= maxPages) return;
      if (maxItems !== undefined && seen >= maxItems) return;
      signal.throwIfAborted();
      const limit = maxItems === undefined ? pageSize : Math.min(pageSize ?? Infinity, maxItems - seen);
      const values: Values = {};
      if (limit !== undefined && limit !== Infinity) values[meta.limit] = limit;
      if (meta.style === "offset" || meta.style === "body-offset") values[meta.offset!] = offset;
      else if (meta.style === "marker") {
        values[meta.marker!] = marker;
        // An offset given for the first page does not apply after a marker.
        if (index > 0 && meta.offset) values[meta.offset] = undefined;
      }
      else if (linkValues) Object.assign(values, linkValues, limit !== undefined && limit !== Infinity ? { [meta.limit]: limit } : {});

      const page = await fetchPage(values, index);
      const n = page.items.length;
      checkRepeat(page.items, index);
      if (maxItems !== undefined && seen + n > maxItems) page.items = page.items.slice(0, maxItems - seen);
      seen += n;
      index++;
      yield page;

      if (n === 0) return;
      if (maxItems !== undefined && seen >= maxItems) return;
      const position = startOffset + seen;
      const totalKnown = page.total !== undefined && (meta.style === "offset" || meta.style === "body-offset" || (given.marker === undefined && given.offset === undefined));
      if (totalKnown && position >= page.total!) return;
      const asked = typeof limit === "number" && limit !== Infinity ? limit : meta.defaultLimit;

      if (meta.style === "offset" || meta.style === "body-offset") {
        offset += n;
        if (!totalKnown && asked !== undefined && n < asked) return;
        if (totalKnown && concurrency > 1) {
          // The service may cap the page size below what we asked: step by what it gave.
          const step = asked !== undefined && n < asked ? n : (asked ?? n);
          let end = page.total!;
          if (maxItems !== undefined) end = Math.min(end, startOffset + maxItems);
          if (maxPages !== undefined) end = Math.min(end, offset + (maxPages - index) * step);
          yield* parallelPages(offset, end, step);
          return;
        }
      } else if (meta.style === "marker") {
        if (!totalKnown && asked !== undefined && n < asked) return;
        const last = page.items[n - 1] as Record<string, unknown> | undefined;
        const next = last && typeof last === "object" ? last[meta.markerFrom!] : undefined;
        if (typeof next !== "string" && typeof next !== "number") {
          throw new PaginationError(`${name}: the last item of page ${index} has no ${meta.markerFrom} to continue from`, { operationId, pages: index });
        }
        const key = String(next);
        if (seenMarkers.has(key) || key === given.marker) {
          throw new PaginationError(`${name}: the service led back to marker ${key} (page ${index + 1}); stopping instead of looping forever`, {
            operationId,
            pages: index,
          });
        }
        seenMarkers.add(key);
        marker = key;
      } else {
        const link = nextLink(page.data, meta.next!);
        if (link === undefined) return;
        const next = linkQuery(link, meta);
        if (typeof next === "string") {
          throw new PaginationError(`${name}: the next link of page ${index} ${next}: ${link.slice(0, 200)}`, { operationId, pages: index });
        }
        const key = JSON.stringify(next);
        if (seenLinks.has(key)) {
          throw new PaginationError(`${name}: the service's next link repeats an earlier page (${key}); stopping instead of looping forever`, {
            operationId,
            pages: index,
          });
        }
        seenLinks.add(key);
        linkValues = next;
      }
    }
  } finally {
    controller.abort();
  }

  /** Pages at offsets [from, end) in steps of `step`, `concurrency` requests at a time, in order. */
  async function* parallelPages(from: number, end: number, step: number): AsyncGenerator<Page, void, undefined> {
    const offsets: number[] = [];
    for (let o = from; o < end; o += step) offsets.push(o);
    const inFlight: Promise<Page>[] = [];
    const base = index;
    let started = 0;
    const start = () => {
      const o = offsets[started]!;
      const values: Values = { [meta.limit]: Math.min(step, end - o), [meta.offset!]: o };
      const promise = fetchPage(values, base + started);
      promise.catch(() => {}); // observed when its turn comes; never an unhandled rejection
      inFlight.push(promise);
      started++;
    };
    while (started < offsets.length && started < concurrency) start();
    for (let i = 0; i < offsets.length; i++) {
      const page = await inFlight[i]!;
      delete inFlight[i];
      if (started < offsets.length) start();
      const n = page.items.length;
      checkRepeat(page.items, index);
      seen += n;
      index++;
      yield page;
      if (n === 0) return;
    }
  }
}

/** limit/offset/marker that the caller put into init themselves. */
function givenValues(init: Init, meta: PaginationMeta, inBody: boolean): { limit?: number; offset?: number; marker?: string } {
  const source = (inBody ? init.body : (init.params as Record<string, unknown> | undefined)?.query) as Record<string, unknown> | undefined;
  if (!source || typeof source !== "object") return {};
  const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
  const out: { limit?: number; offset?: number; marker?: string } = {};
  const limit = num(source[meta.limit]);
  if (limit !== undefined && limit > 0) out.limit = limit;
  const offset = meta.offset ? num(source[meta.offset]) : undefined;
  if (offset !== undefined) out.offset = offset;
  const marker = meta.marker ? source[meta.marker] : undefined;
  if (typeof marker === "string" && marker !== "") out.marker = marker;
  return out;
}

function requestInit(init: Init, meta: PaginationMeta, inBody: boolean, values: Values, signal: AbortSignal): Init {
  const encode = (v: string | number) => (meta.stringValues ? String(v) : v);
  if (inBody) {
    const body: Record<string, unknown> = { ...((init.body as Record<string, unknown> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete body[k];
      else body[k] = encode(v);
    }
    return { ...init, body, signal };
  }
  const params = (init.params ?? {}) as Record<string, unknown>;
  const query: Record<string, unknown> = { ...((params.query as Record<string, unknown> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete query[k];
    else query[k] = encode(v);
  }
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
 * show internal hosts there). A marker without an offset means "after the marker": the offset of
 * the first request is dropped.
 */
function linkQuery(href: string, meta: PaginationMeta): Values | string {
  let url: URL;
  try {
    url = new URL(href, "http://link.invalid/");
  } catch {
    return "is not a URL";
  }
  const q = url.searchParams;
  const out: Values = {};
  const marker = q.get(meta.marker!);
  out[meta.marker!] = marker ?? undefined;
  if (meta.offset) {
    const offset = q.get(meta.offset);
    out[meta.offset] = offset !== null && /^\d+$/.test(offset) ? Number(offset) : undefined;
  }
  if (marker === null && (meta.offset === undefined || out[meta.offset] === undefined)) return `has neither ${meta.marker}${meta.offset ? ` nor ${meta.offset}` : ""}`;
  return out;
}
