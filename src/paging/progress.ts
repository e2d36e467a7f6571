// The progress guard: judges each page on its content, so that a service that does not move on
// through its list (it ignores the offset or marker, reorders the list, alternates pages, or
// reports a total that what arrived contradicts) ends the paging with a PaginationError naming
// the page, instead of looping forever or ending early without a word.
import { PaginationError } from "../errors.js";
import type { Page } from "./types.js";

export interface ProgressSetup {
  /** The operation, for messages. */
  name: string;
  operationId: string | undefined;
  /** The item property x-pagination names as the item's id; else items are compared by their JSON. */
  idKey: string | undefined;
  /** Items of the list before the first page (an offset the caller gave). */
  startOffset: number;
  /** The reported total counts from the start of the list (offsets, or cursors started from the beginning). */
  totalCounts: boolean;
}

export class ProgressGuard {
  private readonly seen = new Set<string>();
  private received = 0;

  constructor(private readonly setup: ProgressSetup) {}

  /** Checks a page before any of its items is handed out, and counts its items as received. */
  check(page: Page): void {
    this.checkTotal(page);
    for (const item of page.items) {
      const key = identity(item, this.setup.idKey);
      if (this.seen.has(key)) {
        const why = "the service did not move on through the list (it may ignore the paging parameters or reorder the list)";
        throw this.error(page, `page ${page.index + 1} repeats an item received before (${describe(key)}): ${why}`);
      }
      this.seen.add(key);
    }
    this.received += page.items.length;
  }

  private checkTotal(page: Page): void {
    const total = page.total;
    if (total === undefined) return;
    if (total < 0) throw this.error(page, `page ${page.index + 1} reports a negative total (${total})`);
    if (!this.setup.totalCounts) return;
    const reach = this.setup.startOffset + this.received + page.items.length;
    if (reach > total) {
      const why = "the total cannot be trusted to end the list";
      throw this.error(page, `page ${page.index + 1} reports a total of ${total}, but ${reach} items of the list have arrived; ${why}`);
    }
  }

  private error(page: Page, what: string): PaginationError {
    return new PaginationError(`${this.setup.name}: ${what}`, { operationId: this.setup.operationId, pages: page.index + 1 });
  }
}

/** The item's id (by the property x-pagination names), else its canonical JSON. */
function identity(item: unknown, idKey: string | undefined): string {
  if (idKey !== undefined && item !== null && typeof item === "object") {
    const id = (item as Record<string, unknown>)[idKey];
    if (typeof id === "string" || typeof id === "number") return `${idKey} ${JSON.stringify(id)}`;
  }
  return `json ${canonicalJson(item)}`;
}

/** JSON with object keys sorted, so that the same item with its keys in another order is the same item. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function describe(key: string): string {
  return key.length > 120 ? `${key.slice(0, 117)}…` : key;
}
