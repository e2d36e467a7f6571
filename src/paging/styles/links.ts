// OpenStack `next` links: only the link's query is read, never its host (the references show
// internal hosts in those links).
import { PaginationError } from "../../errors.js";
import type { PaginationMeta } from "../../operations.js";
import type { Cursor, CursorSetup, Values } from "./cursor.js";

type LinksMeta = PaginationMeta & { style: "links" };

export function linksCursor({ meta, name, operationId }: CursorSetup<LinksMeta>): Cursor {
  let fromLink: Values | undefined;
  const seenLinks = new Set<string>();
  return {
    ahead: false,
    plan(k, { limit, seen }) {
      const n = limit(seen);
      if (k > 0 || n === 0) return undefined;
      return { ...(n === undefined ? {} : { [meta.limit]: n }), ...fromLink };
    },
    advance(page) {
      const link = nextLink(page.data, meta.next);
      if (link === undefined) return "done";
      const next = linkQuery(link, meta);
      if (typeof next === "string") {
        throw new PaginationError(`${name}: the next link of page ${page.index + 1} ${next}: ${link.slice(0, 200)}`, {
          operationId,
          pages: page.index + 1,
        });
      }
      const key = JSON.stringify(next);
      if (seenLinks.has(key)) {
        throw new PaginationError(
          `${name}: the service's next link repeats an earlier page (${key}); stopping instead of looping forever`,
          {
            operationId,
            pages: page.index + 1,
          },
        );
      }
      seenLinks.add(key);
      fromLink = next;
      return "next";
    },
  };
}

function nextLink(data: unknown, property: string): string | undefined {
  const links = (data as Record<string, unknown>)[property];
  if (!Array.isArray(links)) return undefined;
  for (const link of links) {
    if (link && typeof link === "object" && (link as Record<string, unknown>).rel === "next") {
      const href = (link as Record<string, unknown>).href;
      if (typeof href === "string" && href !== "") return href;
    }
  }
  return undefined;
}

/**
 * The paging parameters of a next link, or what is wrong with it. A marker without an offset
 * means "after the marker": the offset of the first request is dropped.
 */
function linkQuery(href: string, meta: LinksMeta): Values | string {
  let url: URL;
  try {
    url = new URL(href, "http://link.invalid/");
  } catch {
    return "is not a URL";
  }
  const q = url.searchParams;
  const out: Values = {};
  const marker = q.get(meta.marker);
  out[meta.marker] = marker ?? undefined;
  if (meta.offset) {
    const offset = q.get(meta.offset);
    out[meta.offset] = offset !== null && /^\d+$/.test(offset) ? Number(offset) : undefined;
  }
  if (marker === null && (meta.offset === undefined || out[meta.offset] === undefined))
    return `has neither ${meta.marker}${meta.offset ? ` nor ${meta.offset}` : ""}`;
  return out;
}
