// Which list operation a paginate call pages: its x-pagination (from the client's tables, its
// service's generated tables, or options.pagination), its method and the client's call for it.
import { metaOf, type PaginationMeta, type PaginationTable } from "../operations.js";
import { PAGINATION_COMMON, PAGINATION_STYLES } from "../pagination-meta.js";
import { cbrPagination } from "../../generated/cbr.meta.js";
import { vbsPagination } from "../../generated/vbs.meta.js";

/** Each service's x-pagination: only paginate reads it, so only paginate bundles it. */
const PAGINATION: Readonly<Record<string, PaginationTable>> = { cbr: cbrPagination, vbs: vbsPagination };

export type Init = Record<string, unknown> & { params?: Record<string, unknown>; body?: unknown; signal?: AbortSignal };
export type Call = (path: string, init: Init) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export interface ListOperation {
  method: "GET" | "POST";
  meta: PaginationMeta;
  operationId: string | undefined;
  /** The operationId, else "METHOD /path", for messages. */
  name: string;
  call: Call;
}

export function listOperation(
  client: object,
  path: string,
  pagination: PaginationMeta | undefined,
  method: "GET" | "POST" | undefined,
): ListOperation {
  const table = metaOf(client);
  let found: { meta: PaginationMeta; method: "GET" | "POST" };
  if (pagination) {
    found = { meta: pagination, method: method ?? (pagination.style === "body-offset" ? "POST" : "GET") };
  } else {
    if (!table) throw new TypeError("paginate: this client carries no operation metadata; pass options.pagination");
    const pages = table.pagination ?? PAGINATION[table.service] ?? {};
    const candidate = (["GET", "POST"] as const).find((m) => pages[`${m} ${path}`]);
    if (!candidate)
      throw new TypeError(`paginate: ${path} is not a list operation of the ${table.service.toUpperCase()} API (it has no x-pagination)`);
    found = { meta: pages[`${candidate} ${path}`]!, method: candidate };
  }
  const operationId = table?.operations[`${found.method} ${path}`];
  const problem = checkMeta(found.meta);
  if (problem) throw new TypeError(`paginate: ${operationId ?? path}: ${problem}`);
  const fn = (client as Record<string, unknown>)[found.method];
  if (typeof fn !== "function") throw new TypeError(`paginate: the client has no ${found.method} method`);
  return { ...found, operationId, name: operationId ?? `${found.method} ${path}`, call: fn as Call };
}

/** Metadata passed by hand (options.pagination) is checked at run time too: the table of keys says what each style needs. */
function checkMeta(meta: PaginationMeta): string | undefined {
  const name = String(meta.style);
  const style = Object.hasOwn(PAGINATION_STYLES, name)
    ? (PAGINATION_STYLES as Record<string, { readonly required: readonly string[] }>)[name]
    : undefined;
  if (!style) return `unknown pagination style ${name}`;
  const missing = [...PAGINATION_COMMON.required, ...style.required].filter((key) => !(meta as unknown as Record<string, unknown>)[key]);
  return missing.length ? `style ${meta.style} needs ${missing.join(" and ")}` : undefined;
}
