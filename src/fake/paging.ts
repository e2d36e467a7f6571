// Pages a filtered, sorted list exactly as the operation's x-pagination says: `offset` (limit,
// offset, total), `body-offset` (the same in the JSON body, as strings) and `links` (OpenStack:
// marker, limit and a `rel: next` link while more items follow).
import { fail } from "./errors.js";
import type { HandlerContext } from "./context.js";
import type { Json } from "./spec.js";

export interface PageResult {
  items: Json[];
  /** Extra top-level properties of the answer: the total and, for `links`, the next link. */
  fields: Record<string, unknown>;
}

export function page(ctx: HandlerContext, all: Json[], badRequest: string, idOf: (item: Json) => string = (item) => item.id): PageResult {
  const meta = ctx.operation.op["x-pagination"];
  if (!meta) return { items: all, fields: {} };
  const source = meta.style === "body-offset" ? (name: string) => ctx.body?.[name] : (name: string) => ctx.query.get(name) ?? undefined;
  const number = (name: string | undefined, fallback: number): number => {
    if (name === undefined) return fallback;
    const raw = source(name);
    if (raw === undefined || raw === null || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) fail(400, badRequest, `${name} must be a non-negative integer, not ${JSON.stringify(raw)}`);
    return value;
  };
  let limit = number(meta.limit, meta.defaultLimit ?? 1000);
  if (limit === 0 && meta.style !== "links") limit = meta.defaultLimit ?? 1000;
  if (meta.maxLimit !== undefined && limit > meta.maxLimit)
    fail(400, badRequest, `${meta.limit} must be at most ${meta.maxLimit}, not ${limit}`);
  let start = number(meta.offset, 0);
  const marker = meta.marker ? ctx.query.get(meta.marker) : null;
  if (marker) {
    const at = all.findIndex((item) => idOf(item) === marker);
    if (at < 0) fail(meta.style === "links" ? 400 : 400, badRequest, `marker ${marker} is not an item of this list`);
    start = at + 1 + start;
  }
  const items = all.slice(start, start + limit);
  const fields: Record<string, unknown> = {};
  if (meta.total) fields[meta.total] = meta.stringValues ? all.length : all.length;
  if (meta.style === "links" && meta.next) {
    if (start + limit < all.length && items.length > 0) {
      const next = new URLSearchParams(ctx.query);
      next.delete(meta.offset ?? "offset");
      next.set(meta.limit, String(limit));
      next.set(meta.marker, idOf(items[items.length - 1]));
      const path = ctx.operation.path.replace("{project_id}", ctx.projectId);
      fields[meta.next] = [{ href: `${ctx.baseUrl}${path}?${next}`, rel: "next" }];
    }
  }
  return { items, fields };
}

/** Sorts by `key` (a property), ascending or descending; ties keep their order. */
export function sortBy(items: Json[], key: string, direction: "asc" | "desc"): Json[] {
  const sign = direction === "asc" ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = a?.[key];
    const y = b?.[key];
    if (x === y) return 0;
    if (x === undefined || x === null) return 1;
    if (y === undefined || y === null) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}
