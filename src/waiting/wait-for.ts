// waitFor: the wait for any operation with x-async, read from the client's (or its service's)
// generated x-async table.
import {
  keyOfOperation,
  metaOf,
  pathOfKey,
  readPath,
  type AsyncMeta,
  type AsyncTable,
  type ClientMeta,
  type OperationTable,
  type WithClientMeta,
} from "../operations.js";
import { cbrAsync } from "../../generated/cbr.meta.js";
import { vbsAsync } from "../../generated/vbs.meta.js";
import { waitSettings, type WaitOptions } from "./options.js";
import { poll } from "./poller.js";
import { statusReader, statusSets } from "./status.js";
import { lastParam, requireId, type Target } from "./target.js";
import type { AsyncOperation, WaitResult } from "./types.js";

/** Each service's x-async: only waitFor reads it, so only waitFor bundles it. */
const ASYNC: Readonly<Record<string, AsyncTable>> = { cbr: cbrAsync, vbs: vbsAsync };
const asyncOf = (meta: ClientMeta): AsyncTable => meta.async ?? ASYNC[meta.service] ?? {};

/** What the starting call returned: pass its result (`{ data, response }`), plus path parameters if its URL is not available. */
export interface Started {
  data?: unknown;
  response?: Response;
  /** Path parameters of the starting call (`{ backup_id }`); read from `response.url` when omitted. */
  path?: Record<string, string | number> | undefined;
}

/**
 * Waits for the work an operation started, as its x-async metadata says:
 *
 *     const started = await vbs.POST("/v2/{project_id}/cloudbackups", { body });
 *     const job = await waitFor(vbs, "POST /v2/{project_id}/cloudbackups", started);
 *
 * Resolves with the polled resource (undefined for deletions, which end when it is gone). For
 * work on an existing resource (`id: path:…`) the first poll waits one interval, so that the
 * status the resource had before the call is not taken for the result.
 */
export function waitFor<C extends WithClientMeta<string, OperationTable>, K extends AsyncOperation<C>>(
  client: C,
  operation: K,
  started: Started,
  options?: WaitOptions<WaitResult<C, K>>,
): Promise<WaitResult<C, K>>;
export async function waitFor(client: object, operation: string, started: Started, waitOptions?: object): Promise<unknown> {
  const options = (waitOptions ?? {}) as WaitOptions<never>;
  const meta = metaOf(client);
  if (!meta) throw new TypeError("waitFor: this client carries no operation metadata");
  const table = asyncOf(meta);
  const a = Object.hasOwn(table, operation) ? table[operation] : undefined;
  const operationId = meta.operations[operation];
  if (!a || typeof operationId !== "string")
    throw new TypeError(`waitFor: ${operation} does not start asynchronous work (it has no x-async)`);
  const onExisting = a.id.startsWith("path:");
  const settings = waitSettings("waitFor", options, onExisting ? undefined : 0);
  if (onExisting && options.initialDelayMs === undefined) settings.initialDelayMs = settings.intervalMs;
  return poll(client, asyncTarget(meta, operation, operationId, a, started), settings);
}

/** The wait x-async `a` of `operation` describes, with the id and path parameters from the starting call. */
function asyncTarget(meta: ClientMeta, operation: string, operationId: string, a: AsyncMeta, started: Started): Target {
  const poll = keyOfOperation(meta.operations, a.poll);
  if (!poll) throw new TypeError(`waitFor: ${operation} polls ${a.poll}, which this client does not have`);
  const pollTemplate = pathOfKey(poll);
  const fromUrl = started.response?.url ? paramsFromUrl(pathOfKey(operation), started.response.url) : {};
  const known: Record<string, string> = { ...fromUrl };
  for (const [k, v] of Object.entries(started.path ?? {})) known[k] = String(v);
  const [source, ref] = [a.id.slice(0, a.id.indexOf(":")), a.id.slice(a.id.indexOf(":") + 1)];
  const id = source === "response" ? readPath(started.data, ref) : known[ref];
  const idText = requireId(id, source === "response" ? `the response's ${ref}` : `path parameter ${ref} (pass started.path)`);
  const idParam = lastParam(pollTemplate);
  const pathParams: Record<string, string> = {};
  for (const m of pollTemplate.matchAll(/\{([^{}]+)\}/g)) {
    const name = m[1]!;
    if (name === "project_id") continue;
    if (name === idParam) pathParams[name] = idText;
    else if (known[name] !== undefined) pathParams[name] = known[name]!;
    else throw new TypeError(`waitFor: polling ${a.poll} needs path parameter ${name}; pass it in started.path`);
  }
  return {
    what: `${operationId} (${a.kind === "job" ? "job" : "resource"} ${idText})`,
    operationId: a.poll,
    path: pollTemplate,
    pathParams,
    gone: a.gone === "success",
    result: (data) => data,
    read: statusReader(a, statusSets(a.pending ?? [], a.success, a.failure)),
  };
}

/** Path parameters of `template` read from the end of a request URL's path (any base path before it). */
function paramsFromUrl(template: string, url: string): Record<string, string> {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return {};
  }
  const names: string[] = [];
  const pattern = template
    .split(/(\{[^{}]+\})/)
    .map((part) => {
      const m = /^\{([^{}]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(m[1]!);
      return "([^/]+)";
    })
    .join("");
  const match = new RegExp(`${pattern}/?$`).exec(pathname);
  if (!match) return {};
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    try {
      out[name] = decodeURIComponent(match[i + 1]!);
    } catch {
      out[name] = match[i + 1]!;
    }
  });
  return out;
}
