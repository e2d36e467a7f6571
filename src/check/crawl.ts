// Walks one service's read-only operations: the plan's roots, a bounded number of pages of each
// list, and detail calls for the first items of each list. Every answer is kept as an
// Observation (status, headers, the raw body) for validation; nothing is retried here beyond the
// client's own retries (which back off on 429).
import type { Middleware } from "openapi-fetch";
import { cbrPagination } from "../../generated/cbr.meta.js";
import { vbsPagination } from "../../generated/vbs.meta.js";
import type { PaginationMeta } from "../pagination-meta.js";
import { peekText } from "../validate/body.js";
import type { ServiceName } from "../validate/types.js";
import { planFor, readOnlyCall } from "./plan.js";

export interface CrawlLimits {
  /** Requests for the whole run, all services together. */
  maxRequests: number;
  /** Pages of each list (the first page included). */
  maxPages: number;
  /** Items of each list page followed into detail calls. */
  maxDetails: number;
  /** Page size asked of each list. */
  pageSize: number;
}

export const DEFAULT_LIMITS: CrawlLimits = { maxRequests: 200, maxPages: 2, maxDetails: 3, pageSize: 25 };

export interface PlannedCall {
  service: ServiceName;
  operationId: string;
  method: "GET" | "POST";
  path: string;
  params: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface Observation {
  call: PlannedCall;
  status: number;
  headers: Headers;
  /** The body as parsed JSON; `undefined` when empty. */
  body: unknown;
  /** The body was not JSON (then `body` is undefined). */
  notJson: boolean;
}

export interface Failure {
  call: PlannedCall;
  /** OtcApiError kind (network, timeout…) or the error's name. */
  kind: string;
}

/** What the crawler needs of a client: openapi-fetch's `request` and `use`. */
export interface CrawlClient {
  request(method: string, path: string, init: Record<string, unknown>): Promise<unknown>;
  use(...middleware: Middleware[]): void;
}

export interface CrawlEvents {
  onCall?: (call: PlannedCall, done: number) => void;
  onObservation?: (observation: Observation) => void;
  onFailure?: (failure: Failure) => void;
}

/** Shared by the services of one run: the request budget. */
export class Budget {
  used = 0;
  exhausted = false;
  constructor(readonly max: number) {}
  take(): boolean {
    if (this.used >= this.max) {
      this.exhausted = true;
      return false;
    }
    this.used++;
    return true;
  }
}

const PAGINATION: Record<ServiceName, Record<string, PaginationMeta>> = { cbr: cbrPagination, vbs: vbsPagination };

/** The root calls of a service, as --dry-run lists them. */
export function rootCalls(service: ServiceName, limits: CrawlLimits): PlannedCall[] {
  return planFor(service).roots.map((root) => firstPage(service, root.operationId, {}, root.body, limits));
}

export async function crawl(
  service: ServiceName,
  client: CrawlClient,
  limits: CrawlLimits,
  budget: Budget,
  events: CrawlEvents = {},
): Promise<void> {
  const queue: { call: PlannedCall; page: number }[] = rootCalls(service, limits).map((call) => ({ call, page: 1 }));
  // The raw answer of the call in flight, read beside the client (peekText).
  let captured: { status: number; headers: Headers; text: string } | undefined;
  client.use({
    async onResponse({ response }) {
      captured = { status: response.status, headers: response.headers, text: (await peekText(response)) ?? "" };
      return undefined;
    },
  });
  const plan = planFor(service);
  while (queue.length > 0) {
    const { call, page } = queue.shift()!;
    if (!budget.take()) return;
    events.onCall?.(call, budget.used);
    captured = undefined;
    try {
      await client.request(call.method, call.path, {
        params: { path: call.params, ...(call.query ? { query: call.query } : {}) },
        ...(call.body ? { body: call.body } : {}),
      });
    } catch (error) {
      // The client refuses what it cannot read (a success body that is no JSON); the captured
      // answer is still validated. Without an answer, the call failed.
      if (!captured) {
        const kind = (error as { kind?: string; name?: string }).kind ?? (error as Error).name ?? "error";
        if (kind === "AuthenticationError") throw error;
        events.onFailure?.({ call, kind });
        continue;
      }
    }
    if (!captured) continue;
    const observation = observe(call, captured);
    events.onObservation?.(observation);
    if (observation.status < 200 || observation.status >= 300 || observation.body === undefined) continue;
    const next = nextPage(service, call, observation.body, page, limits);
    if (next) queue.push({ call: next, page: page + 1 });
    for (const link of plan.links.filter((l) => l.from === call.operationId)) {
      const items = (observation.body as Record<string, unknown>)[link.items];
      if (!Array.isArray(items)) continue;
      for (const item of items.slice(0, limits.maxDetails)) {
        const value = (item as Record<string, unknown> | null)?.[link.field];
        if (typeof value !== "string" || value === "") continue;
        const params: Record<string, string> = { [link.param]: value };
        for (const name of link.inherit ?? []) if (call.params[name] !== undefined) params[name] = call.params[name];
        queue.push({ call: firstPage(service, link.operationId, params, undefined, limits), page: 1 });
      }
    }
  }
}

function observe(call: PlannedCall, raw: { status: number; headers: Headers; text: string }): Observation {
  if (raw.text.trim() === "") return { call, status: raw.status, headers: raw.headers, body: undefined, notJson: false };
  try {
    return { call, status: raw.status, headers: raw.headers, body: JSON.parse(raw.text), notJson: false };
  } catch {
    return { call, status: raw.status, headers: raw.headers, body: undefined, notJson: true };
  }
}

/** The first page of an operation: a small page size where the list takes one. */
function firstPage(
  service: ServiceName,
  operationId: string,
  params: Record<string, string>,
  body: Record<string, unknown> | undefined,
  limits: CrawlLimits,
): PlannedCall {
  const { method, path } = readOnlyCall(service, operationId);
  const paging = PAGINATION[service][`${method} ${path}`];
  const call: PlannedCall = { service, operationId, method, path, params };
  if (body) call.body = body;
  if (paging && paging.style !== "body-offset") call.query = { [paging.limit]: String(limits.pageSize) };
  return call;
}

/** The next page of a full page, while pages remain in the limits. */
function nextPage(service: ServiceName, call: PlannedCall, body: unknown, page: number, limits: CrawlLimits): PlannedCall | undefined {
  const paging = PAGINATION[service][`${call.method} ${call.path}`];
  if (!paging || page >= limits.maxPages || body === null || typeof body !== "object") return undefined;
  const data = body as Record<string, unknown>;
  const items = data[paging.items];
  if (!Array.isArray(items) || items.length === 0) return undefined;
  switch (paging.style) {
    case "offset": {
      if (items.length < limits.pageSize) return undefined;
      const offset = Number(call.query?.[paging.offset] ?? 0) + items.length;
      return { ...call, query: { ...call.query, [paging.offset]: String(offset) } };
    }
    case "marker": {
      if (items.length < limits.pageSize) return undefined;
      const marker = (items.at(-1) as Record<string, unknown> | undefined)?.[paging.markerFrom];
      return typeof marker === "string" ? { ...call, query: { ...call.query, [paging.marker]: marker } } : undefined;
    }
    case "links": {
      const links = data[paging.next];
      const next = Array.isArray(links) ? (links as { rel?: unknown; href?: unknown }[]).find((l) => l.rel === "next") : undefined;
      if (typeof next?.href !== "string") return undefined;
      // Only the link's query is read, never its host (spec/EXTENSIONS.md).
      const marker = new URL(next.href, "http://next.invalid").searchParams.get(paging.marker);
      return marker ? { ...call, query: { ...call.query, [paging.marker]: marker } } : undefined;
    }
    case "body-offset": {
      const limit = Number(call.body?.[paging.limit] ?? 0);
      if (!limit || items.length < limit) return undefined;
      const offset = Number(call.body?.[paging.offset] ?? 0) + items.length;
      const value = paging.stringValues ? String(offset) : offset;
      return { ...call, body: { ...call.body, [paging.offset]: value } };
    }
  }
}
