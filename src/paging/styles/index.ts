// The cursor of each paging style x-pagination declares.
import type { Cursor, CursorSetup } from "./cursor.js";
import { linksCursor } from "./links.js";
import { markerCursor } from "./marker.js";
import { offsetCursor } from "./offset.js";

export type { Cursor, CursorSetup, Given, Planning, Values } from "./cursor.js";

export function cursorFor(setup: CursorSetup): Cursor {
  const meta = setup.meta;
  switch (meta.style) {
    case "offset":
    case "body-offset":
      return offsetCursor({ ...setup, meta });
    case "marker":
      return markerCursor({ ...setup, meta });
    case "links":
      return linksCursor({ ...setup, meta });
  }
}
