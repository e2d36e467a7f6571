// The per-operation facts read at run time (generated/*.meta.ts: operationIds, and the specs'
// x-pagination and x-async; see spec/EXTENSIONS.md), and how a client carries them. They are
// three tables keyed by "METHOD /path", one per reader: a client carries only its operationIds;
// paginate and waitFor look their table up by the client's service, so that an application
// that only makes calls bundles neither (the named waiters keep their statuses in their own rows).

import type { PaginationMeta } from "./pagination-meta.js";

export type { PaginationMeta, PaginationStyle } from "./pagination-meta.js";

/** `x-async` of an operation that starts work the service finishes later. */
export interface AsyncMeta {
  readonly kind: "job" | "resource";
  /** operationId of the GET operation to poll. */
  readonly poll: string;
  /** `response:<dot.path>` or `path:<name>`. */
  readonly id: string;
  /** Dot path of the status in the poll response. */
  readonly status: string;
  readonly pending?: readonly string[];
  readonly success: readonly string[];
  readonly gone?: "success";
  readonly failure: readonly string[];
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** operationIds by `"METHOD /path"` (`"GET /v3/{project_id}/vaults": "listVault"`). */
export type OperationIds = { readonly [key: string]: string };
/** x-pagination by `"METHOD /path"`, for the list operations. */
export type PaginationTable = { readonly [key: string]: PaginationMeta };
/** x-async by `"METHOD /path"`, for the operations that start work. */
export type AsyncTable = { readonly [key: string]: AsyncMeta };

/** What is known about one operation: the three tables' entries for its key, as one type. */
export interface OperationMeta {
  readonly operationId: string;
  readonly pagination?: PaginationMeta;
  readonly async?: AsyncMeta;
}

/** The three tables as one type, keyed by `"METHOD /path"`: what the helpers' types read from a client's type. */
export type OperationTable = { readonly [key: string]: OperationMeta };

/** Where a client created by this package keeps its service name and operationIds. */
export const clientMeta: unique symbol = Symbol.for("otc-backup-api.client") as never;

/** Type-only key of a client's OperationTable type (nothing is stored under it). */
export declare const clientOperations: unique symbol;

export interface ClientMeta<Service extends string = string> {
  readonly service: Service;
  readonly operations: OperationIds;
  /** The client's own x-pagination (clients made from hand-written tables); else paginate uses its service's. */
  readonly pagination?: PaginationTable | undefined;
  /** The client's own x-async (also extends the named waiters' statuses); else waitFor uses its service's. */
  readonly async?: AsyncTable | undefined;
}

/** A value carrying client metadata (every client made by createVbsClient / createCbrClient). */
export interface WithClientMeta<Service extends string = string, Ops extends OperationTable = OperationTable> {
  readonly [clientMeta]: ClientMeta<Service>;
  readonly [clientOperations]?: Ops;
}

export function metaOf(client: unknown): ClientMeta | undefined {
  if ((typeof client !== "object" && typeof client !== "function") || client === null) return undefined;
  return (client as { [clientMeta]?: ClientMeta })[clientMeta];
}

/** The `"METHOD /path"` key of the operation with this operationId. */
export function keyOfOperation(operations: OperationIds, operationId: string): string | undefined {
  for (const key in operations) if (operations[key] === operationId) return key;
  return undefined;
}

/** The path of a `"GET /v3/{project_id}/vaults"` key. */
export function pathOfKey(key: string): string {
  return key.slice(key.indexOf(" ") + 1);
}

/** Reads a dot path (`backup.status`) from a JSON value. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
