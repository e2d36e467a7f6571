// What a paging style is to the pager: a cursor that plans the paging values of the next
// requests and moves on with each page that answers. One file per style beside this one.
import type { PaginationMeta } from "../../operations.js";
import type { Page } from "../types.js";

/** Paging parameters of one request; undefined removes a parameter the caller gave. */
export type Values = Record<string, string | number | undefined>;

/** What a cursor may ask the pager when it plans a request. */
export interface Planning {
  /** The page size to ask for with `before` items of the list before the page (undefined: the service's default; 0: nothing left to ask for). */
  limit(before: number): number | undefined;
  /** Items received so far. */
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
export interface Cursor {
  /** More than one request may be planned ahead. */
  readonly ahead: boolean;
  plan(k: number, planning: Planning): Values | undefined;
  advance(page: Page, asked: number | undefined): "next" | "replan" | "done";
}

/** limit/offset/marker that the caller put into init themselves. */
export interface Given {
  limit?: number;
  offset?: number;
  marker?: string;
}

export interface CursorSetup<M extends PaginationMeta = PaginationMeta> {
  meta: M;
  /** The operation, for messages. */
  name: string;
  operationId: string | undefined;
  given: Given;
  /** Page size to ask for, when known. */
  pageSize: number | undefined;
}
