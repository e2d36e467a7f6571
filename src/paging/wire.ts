// What travels: the paging values merged into the caller's init, the paging values the caller
// gave, and a page read from a response body.
import { PaginationError } from "../errors.js";
import type { PaginationMeta } from "../operations.js";
import type { Init } from "./operation.js";
import type { Given, Values } from "./styles/index.js";
import type { Page } from "./types.js";

/** Where the paging values go: the JSON body (body-offset) or the query. */
function pagingSource(init: Init, meta: PaginationMeta): Record<string, unknown> | undefined {
  const source = meta.style === "body-offset" ? init.body : (init.params as Record<string, unknown> | undefined)?.query;
  return source && typeof source === "object" ? (source as Record<string, unknown>) : undefined;
}

export function givenValues(init: Init, meta: PaginationMeta): Given {
  const source = pagingSource(init, meta);
  if (!source) return {};
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

export function requestInit(init: Init, meta: PaginationMeta, values: Values, signal: AbortSignal): Init {
  const encode = (v: string | number) => (meta.stringValues ? String(v) : v);
  const merged = { ...pagingSource(init, meta) };
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete merged[k];
    else merged[k] = encode(v);
  }
  if (meta.style === "body-offset") return { ...init, body: merged, signal };
  const params = (init.params ?? {}) as Record<string, unknown>;
  return { ...init, params: { ...params, query: merged }, signal };
}

/**
 * A page from a response body. A missing or null items array is an error, never an empty page
 * (which would end the list silently), unless the page reports a total of 0.
 */
export function readPage(data: unknown, response: Response, meta: PaginationMeta, name: string, index: number): Page {
  const fail = (what: string) => new PaginationError(`${name}: ${what}`, { operationId: undefined, pages: index });
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw fail(`page ${index + 1} is not a JSON object with a \`${meta.items}\` array`);
  const body = data as Record<string, unknown>;
  const total = readTotal(body, meta);
  const raw = body[meta.items];
  if (raw === undefined || raw === null) {
    if (total !== 0)
      throw fail(`page ${index + 1} has no \`${meta.items}\` array${total === undefined ? "" : ` while its total says ${total}`}`);
    return { items: [], data, response, index, total };
  }
  if (!Array.isArray(raw)) throw fail(`\`${meta.items}\` of page ${index + 1} is not an array`);
  return { items: raw as unknown[], data, response, index, total };
}

/** The reported total: a finite number, or a string of digits (with an optional minus, judged by the progress guard). */
function readTotal(body: Record<string, unknown>, meta: PaginationMeta): number | undefined {
  if (meta.total === undefined) return undefined;
  const t = body[meta.total];
  if (typeof t === "number" && Number.isFinite(t)) return t;
  if (typeof t === "string" && /^-?\d+$/.test(t)) return Number(t);
  return undefined;
}
