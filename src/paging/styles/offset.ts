// Offsets, in the query or in a JSON body (styles `offset` and `body-offset`).
import type { PaginationMeta } from "../../operations.js";
import type { Cursor, CursorSetup } from "./cursor.js";

/**
 * With a known page size, request k starts k pages further, assuming full pages; each answer is
 * consumed only at the offset where the last one ended, so a page shorter (or longer) than
 * planned drops the requests planned after it and plans again from where it ended, stepping by
 * the size it had. Every request is one the sequential pager would make had the pages before it
 * been of the size planned, so the items are exactly the sequential pager's, at any concurrency.
 */
export function offsetCursor({ meta, given, pageSize }: CursorSetup<PaginationMeta & { style: "offset" | "body-offset" }>): Cursor {
  const start = given.offset ?? 0;
  let offset = start;
  let step = pageSize;
  return {
    ahead: true,
    plan(k, { limit, total }) {
      if (k > 0 && (step === undefined || step === 0)) return undefined;
      const at = offset + k * (step ?? 0);
      if (k > 0 && total !== undefined && at >= total) return undefined;
      const n = limit(at - start);
      if (n === 0) return undefined;
      return n === undefined ? { [meta.offset]: at } : { [meta.limit]: n, [meta.offset]: at };
    },
    advance(page, asked) {
      const n = page.items.length;
      offset += n;
      if (page.total === undefined && asked !== undefined && n < asked) return "done";
      if (n === step) return "next";
      step = n;
      return "replan";
    },
  };
}
