// The per-operation facts the helpers read at run time (generated/*.meta.ts, from the specs'
// x-pagination and x-async; see spec/EXTENSIONS.md), and how a client carries them.

/** `x-pagination` of a list operation. */
export interface PaginationMeta {
  readonly style: "offset" | "marker" | "links" | "body-offset";
  /** Top-level response property holding the page's items. */
  readonly items: string;
  /** Page-size parameter (query parameter, or body property for `body-offset`). */
  readonly limit: string;
  readonly offset?: string;
  readonly marker?: string;
  /** Item property whose value on a page's last item is the next marker. */
  readonly markerFrom?: string;
  /** Top-level response property holding the `[{ rel, href }]` links. */
  readonly next?: string;
  /** Top-level response property holding the total number of matching items. */
  readonly total?: string;
  readonly maxLimit?: number;
  readonly defaultLimit?: number;
  /** `limit`/`offset` travel as JSON strings. */
  readonly stringValues?: boolean;
}

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

/** The table entry for `method path`, if the client has a table. */
export function findOperation(client: unknown, method: string, path: string): OperationMeta | undefined {
  return metaOf(client)?.operations[`${method.toUpperCase()} ${path}`];
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
