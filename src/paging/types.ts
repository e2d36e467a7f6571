// The public types of paginate and paginatePages: their options, a page, and what a client's
// generated tables say about a list operation's path (its init, its body, one item).
import type { BodyOf, InitOf, OpsOf, PathOfKey, PathsOf } from "../client-types.js";
import type { PaginationMeta } from "../operations.js";

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

type PagedKey<O> = { [K in keyof O]: O[K] extends { readonly pagination: object } ? K : never }[keyof O] & string;
type KeyFor<C, P extends string> = Extract<PagedKey<OpsOf<C>>, `${string} ${P}`>;
type MethodFor<C, P extends string> = KeyFor<C, P> extends `${infer M} ${string}` ? Lowercase<M> : never;
type ItemsKey<C, P extends string> = OpsOf<C>[KeyFor<C, P>] extends { readonly pagination: { readonly items: infer I } } ? I : never;

/** Clients typed without generated tables (a plain table, no paths type): any path, untyped items. */
type Loose<C> = unknown extends PathsOf<C> ? true : string extends keyof OpsOf<C> ? true : false;
type LooseInit = { params?: Record<string, unknown>; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } & Record<
  string,
  unknown
>;

/** Paths of the client's list operations (those with x-pagination). */
export type PaginatedPath<C> = Loose<C> extends true ? string : PathOfKey<PagedKey<OpsOf<C>>>;
/** The init (params, body, headers) of a list operation, as for client.GET / client.POST. */
export type PageInit<C, P extends string> = Loose<C> extends true ? LooseInit : InitOf<C, P, MethodFor<C, P>>;
/** The success body of a list operation. */
export type PageData<C, P extends string> = Loose<C> extends true ? unknown : BodyOf<C, P, MethodFor<C, P>>;
/** One item of a list operation. */
export type PageItem<C, P extends string> =
  Loose<C> extends true
    ? unknown
    : PageData<C, P> extends infer D
      ? ItemsKey<C, P> extends keyof D
        ? NonNullable<D[ItemsKey<C, P>]> extends readonly (infer I)[]
          ? I
          : unknown
        : unknown
      : unknown;
