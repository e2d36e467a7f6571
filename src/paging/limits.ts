// The caller's limits on a listing: the page size to ask for, maxItems and maxPages, checked
// before anything is sent.
import { numberOption } from "../options/check.js";
import type { PaginationMeta } from "../operations.js";
import type { Given } from "./styles/index.js";

const WHERE = "paginate";

export interface LimitOptions {
  pageSize?: number | undefined;
  maxItems?: number | undefined;
  maxPages?: number | undefined;
}

export interface ItemLimits {
  /** Page size to ask for, when known. */
  readonly pageSize: number | undefined;
  /** The page size to ask for with `before` items of the list before the page (undefined: the service's default; 0: nothing left to ask for). */
  limit(before: number): number | undefined;
  /** Another page may be requested after `pages` pages. */
  morePages(pages: number): boolean;
  /** The items of a page that fit within maxItems, with `before` items handed out already. */
  cut<T>(items: T[], before: number): T[];
}

export function itemLimits(options: LimitOptions, meta: PaginationMeta, given: Given): ItemLimits {
  const maxItems = numberOption(WHERE, "maxItems", options.maxItems, { min: 0, integer: true, infinity: true });
  const maxPages = numberOption(WHERE, "maxPages", options.maxPages, { min: 1, integer: true, infinity: true });
  let pageSize = numberOption(WHERE, "pageSize", options.pageSize, { min: 1, integer: true }) ?? meta.maxLimit ?? given.limit;
  if (pageSize !== undefined && meta.maxLimit !== undefined) pageSize = Math.min(pageSize, meta.maxLimit);
  return {
    pageSize,
    limit(before) {
      if (maxItems === undefined) return pageSize;
      const n = Math.max(0, Math.min(pageSize ?? Infinity, maxItems - before));
      return n === Infinity ? undefined : n; // maxItems: Infinity without a page size
    },
    morePages: (pages) => maxPages === undefined || pages < maxPages,
    cut: (items, before) => (maxItems !== undefined && before + items.length > maxItems ? items.slice(0, maxItems - before) : items),
  };
}
