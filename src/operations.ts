// The per-operation facts the helpers read at run time (generated/*.meta.ts, from the specs'
// x-pagination and x-async; see spec/EXTENSIONS.md), and how a client carries them.

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
  readonly task?: string;
}

export interface OperationMeta {
  readonly operationId: string;
  readonly deprecated?: boolean;
  readonly pagination?: PaginationMeta;
  readonly async?: AsyncMeta;
}

/** Operation metadata keyed by `"METHOD /path"` (`"GET /v3/{project_id}/vaults"`). */
export type OperationTable = { readonly [key: string]: OperationMeta };

/** Where a client created by this package keeps its service name and operation table. */
export const clientMeta: unique symbol = Symbol.for("otc-backup-api.client") as never;

export interface ClientMeta<Service extends string = string, Ops extends OperationTable = OperationTable> {
  readonly service: Service;
  readonly operations: Ops;
}

/** A value carrying client metadata (every client made by createVbsClient / createCbrClient). */
export interface WithClientMeta<Service extends string = string, Ops extends OperationTable = OperationTable> {
  readonly [clientMeta]: ClientMeta<Service, Ops>;
}

export function metaOf(client: unknown): ClientMeta | undefined {
  if ((typeof client !== "object" && typeof client !== "function") || client === null) return undefined;
  return (client as { [clientMeta]?: ClientMeta })[clientMeta];
}

/** The `"METHOD /path"` key and entry of the operation with this operationId. */
export function findOperationById(operations: OperationTable, operationId: string): [string, OperationMeta] | undefined {
  for (const key of Object.keys(operations)) {
    const entry = operations[key];
    if (entry?.operationId === operationId) return [key, entry];
  }
  return undefined;
}

/** Splits `"GET /v3/{project_id}/vaults"` into method and path. */
export function splitKey(key: string): { method: string; path: string } {
  const space = key.indexOf(" ");
  return { method: key.slice(0, space), path: key.slice(space + 1) };
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
