// Markers: the next page starts after the last item's `markerFrom` value.
import { PaginationError } from "../../errors.js";
import type { PaginationMeta } from "../../operations.js";
import type { Cursor, CursorSetup, Values } from "./cursor.js";

export function markerCursor({ meta, given, name, operationId }: CursorSetup<PaginationMeta & { style: "marker" }>): Cursor {
  let marker = given.marker;
  let afterFirst = false;
  const seenMarkers = new Set<string>(given.marker === undefined ? [] : [given.marker]);
  return {
    ahead: false,
    plan(k, { limit, seen }) {
      const n = limit(seen);
      if (k > 0 || n === 0) return undefined;
      const values: Values = { [meta.marker]: marker };
      if (n !== undefined) values[meta.limit] = n;
      // An offset given for the first page does not apply after a marker.
      if (afterFirst && meta.offset !== undefined) values[meta.offset] = undefined;
      return values;
    },
    advance(page, asked) {
      afterFirst = true;
      const n = page.items.length;
      if (page.total === undefined && asked !== undefined && n < asked) return "done";
      const last = page.items[n - 1] as Record<string, unknown> | undefined;
      const next = last && typeof last === "object" ? last[meta.markerFrom] : undefined;
      if (typeof next !== "string" && typeof next !== "number") {
        throw new PaginationError(`${name}: the last item of page ${page.index + 1} has no ${meta.markerFrom} to continue from`, {
          operationId,
          pages: page.index + 1,
        });
      }
      const key = String(next);
      if (seenMarkers.has(key)) {
        throw new PaginationError(
          `${name}: the service led back to marker ${key} (page ${page.index + 2}); stopping instead of looping forever`,
          {
            operationId,
            pages: page.index + 1,
          },
        );
      }
      seenMarkers.add(key);
      marker = key;
      return "next";
    },
  };
}
