// The pager: one loop that joins a paging style's cursor, the ordered prefetch scheduler, the
// progress guard and the caller's limits. It stops on an empty page, on the reported total,
// (links) on a missing `next` link, or on a page shorter than asked for; evidence of more (a
// total not yet reached, a `next` link) wins over the short-page rule.
import { unwrapResult } from "../call-results.js";
import { choiceOption, numberOption, signalOption } from "../options/check.js";
import { itemLimits, type ItemLimits } from "./limits.js";
import { listOperation, type Init, type ListOperation } from "./operation.js";
import { ProgressGuard } from "./progress.js";
import { PrefetchScheduler, type Started } from "./scheduler.js";
import { cursorFor, type Cursor, type Given, type Planning } from "./styles/index.js";
import type { Page, PaginateOptions } from "./types.js";
import { givenValues, readPage, requestInit } from "./wire.js";

/** Everything one listing needs, checked before anything is sent. */
interface Listing {
  path: string;
  init: Init;
  operation: ListOperation;
  given: Given;
  limits: ItemLimits;
  concurrency: number;
  signals: AbortSignal[];
}

function prepare(client: object, path: string, rawInit: object | undefined, options: PaginateOptions): Listing {
  const method = choiceOption("paginate", "method", options.method, ["GET", "POST"] as const);
  const operation = listOperation(client, path, options.pagination, method);
  const init = (rawInit ?? {}) as Init;
  const given = givenValues(init, operation.meta);
  const limits = itemLimits(options, operation.meta, given);
  const concurrency = numberOption("paginate", "concurrency", options.concurrency, { min: 1, max: 64, integer: true }) ?? 1;
  const signals = [signalOption("paginate", "signal", options.signal), signalOption("paginate", "init.signal", init.signal)].filter(
    (s) => s !== undefined,
  );
  return { path, init, operation, given, limits, concurrency, signals };
}

/** Every page of a listing, in order. Options are checked when the generator is made. */
export function pages(
  client: object,
  path: string,
  rawInit: object | undefined,
  options: PaginateOptions,
): AsyncGenerator<Page, void, undefined> {
  let listing: Listing;
  try {
    listing = prepare(client, path, rawInit, options);
  } catch (error) {
    return failing(error);
  }
  return run(listing);
}

// Fails on its first step: a wrong option surfaces where the listing is consumed, before any request.
async function* failing(error: unknown): AsyncGenerator<Page, void, undefined> {
  throw error;
}

async function* run(listing: Listing): AsyncGenerator<Page, void, undefined> {
  const { operation, given, limits } = listing;
  const { meta, name, operationId } = operation;
  const cursor = cursorFor({ meta, name, operationId, given, pageSize: limits.pageSize });
  const startOffset = given.offset ?? 0;
  // A total counts as the end of the list for offsets, and for cursors started from the beginning.
  const totalCounts = meta.style === "offset" || meta.style === "body-offset" || (given.marker === undefined && given.offset === undefined);
  const guard = new ProgressGuard({ name, operationId, idKey: meta.id, startOffset, totalCounts });
  // One controller for our own requests: aborted when the caller stops early or a page fails.
  const controller = new AbortController();
  const signal = listing.signals.length === 0 ? controller.signal : AbortSignal.any([controller.signal, ...listing.signals]);
  const state = { index: 0, seen: 0, total: undefined as number | undefined };
  const planning: Planning = {
    limit: limits.limit,
    get seen() {
      return state.seen;
    },
    get total() {
      return state.total;
    },
  };
  const scheduler = new PrefetchScheduler<Page>(cursor.ahead ? listing.concurrency : 1, signal, (k, requestSignal) =>
    limits.morePages(state.index + k) ? startPage(listing, cursor, planning, state.index + k, k, requestSignal) : undefined,
  );
  try {
    while (true) {
      signal.throwIfAborted();
      const pending = scheduler.head();
      if (!pending) return;
      // The page stays at the head until the cursor has moved past it: requests started
      // meanwhile are planned from where the cursor stands.
      const page = await pending.promise;
      const n = page.items.length;
      guard.check(page);
      if (page.total !== undefined) state.total = page.total;
      page.items = limits.cut(page.items, state.seen);
      state.seen += n;
      state.index++;
      yield page;
      if (n === 0) return;
      if (totalCounts && page.total !== undefined && startOffset + state.seen >= page.total) return;
      const verdict = cursor.advance(page, pending.asked);
      if (verdict === "done") return;
      if (verdict === "replan") scheduler.replan();
      else scheduler.shift();
    }
  } finally {
    scheduler.close();
    controller.abort();
  }
}

/** Starts the k-th request after the pages read so far, if the cursor plans one. */
function startPage(
  listing: Listing,
  cursor: Cursor,
  planning: Planning,
  pageIndex: number,
  k: number,
  signal: AbortSignal,
): Started<Page> | undefined {
  const { meta, method, operationId, name, call } = listing.operation;
  const values = cursor.plan(k, planning);
  if (values === undefined) return undefined;
  const limit = values[meta.limit];
  const asked = typeof limit === "number" ? limit : meta.defaultLimit;
  const promise = call(listing.path, requestInit(listing.init, meta, values, signal)).then((result) => {
    const data = unwrapResult(result, { method, url: result.response.url, operationId });
    return readPage(data, result.response, meta, name, pageIndex);
  });
  return { promise, asked };
}
