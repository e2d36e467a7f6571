// paginate / paginatePages: every item (or page) of a list operation, whatever its paging style,
// driven by the operation's x-pagination metadata (spec/EXTENSIONS.md). The files beside this
// one: a cursor per paging style (styles/), the ordered prefetch scheduler, the progress guard,
// the caller's limits, and the pager that joins them.
import { itemsOf } from "./items.js";
import { pages } from "./pager.js";
import type { Page, PageData, PageInit, PageItem, PaginatedPath, PaginateOptions } from "./types.js";

export type { Page, PageData, PageInit, PageItem, PaginatedPath, PaginateOptions } from "./types.js";

// One signature each (no overloads): a mistake in `init` is then reported at the parameter
// that is wrong, instead of as "no overload matches this call" about another signature.

/**
 * Every item of a list operation, in order: `for await (const vault of paginate(cbr,
 * "/v3/{project_id}/vaults")) …`. `init` is what you would pass to client.GET (or client.POST for
 * the tag-filter queries), minus the paging parameters, which paginate sets. A client not made by
 * this package needs `options.pagination`. Throws PaginationError when the service does not move
 * on through its list (an item comes again, a page lacks its items, the total is contradicted).
 */
export function paginate<C extends object, P extends PaginatedPath<C>>(
  client: C,
  path: P,
  init?: PageInit<C, P>,
  options: PaginateOptions = {},
): AsyncGenerator<PageItem<C, P>, void, undefined> {
  return itemsOf(pages(client, path, init, options)) as AsyncGenerator<PageItem<C, P>, void, undefined>;
}

/** Like paginate, one page at a time, with the whole body and response of each. */
export function paginatePages<C extends object, P extends PaginatedPath<C>>(
  client: C,
  path: P,
  init?: PageInit<C, P>,
  options: PaginateOptions = {},
): AsyncGenerator<Page<PageItem<C, P>, PageData<C, P>>, void, undefined> {
  return pages(client, path, init, options) as AsyncGenerator<Page<PageItem<C, P>, PageData<C, P>>, void, undefined>;
}
