// Waiters: poll a VBS job, a backup, a restore point, a vault's resources or a CBR task until the
// work ends, with a growing interval, an overall timeout, an AbortSignal and progress reports.
// waitFor() follows an operation's x-async metadata (spec/EXTENSIONS.md); the named waiters use
// the documented status values, merged with the metadata where the spec declares some.
import type { Client, FetchResponse } from "openapi-fetch";
import { OperationFailedError, WaitTimeoutError, isOtcApiError, unwrapResult } from "./errors.js";
import {
  findOperationById,
  metaOf,
  readPath,
  splitKey,
  type AsyncMeta,
  type OperationTable,
  type WithClientMeta,
} from "./operations.js";
import { sleep } from "./retry.js";

export interface WaitClock {
  now(): number;
  /** Waits `ms`; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface WaitProgress<T = unknown> {
  /** The status just read (`RUNNING`, `protecting`, `running`…); undefined if the answer had none. */
  status: string | undefined;
  /** Completion in percent, when the service reports it (CBR tasks). */
  percent: number | undefined;
  /** Polls so far, including this one. */
  polls: number;
  elapsedMs: number;
  /** The body just polled. */
  resource: T;
}

export interface WaitOptions<T = unknown> {
  /** Wait before the second poll (default 2 000 ms); it grows by `backoff` up to maxIntervalMs. */
  intervalMs?: number | undefined;
  /** Longest wait between polls (default 30 000 ms). */
  maxIntervalMs?: number | undefined;
  /** Growth factor of the interval (default 1.5). */
  backoff?: number | undefined;
  /** Wait before the first poll (default 0; waitFor uses intervalMs for work on existing resources). */
  initialDelayMs?: number | undefined;
  /** Give up with WaitTimeoutError after this long (default 3 600 000 ms; Infinity waits forever). */
  timeoutMs?: number | undefined;
  /** Stops waiting (and the poll in flight); the waiter rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called after every poll. */
  onProgress?: ((progress: WaitProgress<T>) => void) | undefined;
  /** Time source and sleep (tests). */
  clock?: WaitClock | undefined;
}

// ---- types ----

type AnyClient = object;
type OpsOf<C> = C extends WithClientMeta<string, infer O> ? O : never;
type PathsOf<C> = C extends Client<infer Paths, infer _Media> ? Paths : never;
type PathOfKey<K> = K extends `${string} ${infer P}` ? P : never;
/** The success body of GET `P` on client `C`. */
export type GetData<C, P> = [PathsOf<C>] extends [never]
  ? unknown
  : P extends keyof PathsOf<C>
  ? "get" extends keyof PathsOf<C>[P]
    ? NonNullable<FetchResponse<PathsOf<C>[P]["get"] & Record<string | number, any>, {}, `${string}/${string}`>["data"]>
    : unknown
  : unknown;
type AsyncKey<O> = string extends keyof O ? string : { [K in keyof O]: O[K] extends { readonly async: object } ? K : never }[keyof O] & string;
type PollIdOf<O, K> = K extends keyof O ? (O[K] extends { readonly async: { readonly poll: infer P } } ? P : never) : never;
type KeyById<O, Id> = { [K in keyof O]: O[K] extends { readonly operationId: Id } ? K : never }[keyof O] & string;
/** Operations of the client that start asynchronous work (those with x-async). */
export type AsyncOperation<C> = AsyncKey<OpsOf<C>>;
/** What waitFor resolves to for an operation: the polled resource (undefined when it is gone). */
export type WaitResult<C, K> = string extends keyof OpsOf<C> ? unknown : GetData<C, PathOfKey<KeyById<OpsOf<C>, PollIdOf<OpsOf<C>, K>>>>;

// ---- the polling loop ----

type Verdict = "pending" | "success" | "failure";

interface Reading {
  verdict: Verdict;
  status: string | undefined;
  code?: string | undefined;
  reason?: string | undefined;
  percent?: number | undefined;
}

interface Plan {
  /** "VBS job 4010b39b…", for messages. */
  what: string;
  operationId: string | undefined;
  path: string;
  pathParams: Record<string, string>;
  /** A 404 means the work is done (deletions). */
  gone: boolean;
  read(data: unknown): Reading;
}

const GONE = Symbol("gone");
const defaultClock: WaitClock = { now: () => Date.now(), sleep };

async function run<T>(client: AnyClient, plan: Plan, options: WaitOptions<T>): Promise<T> {
  const clock = options.clock ?? defaultClock;
  const signal = options.signal;
  const interval = nonNegative(options.intervalMs, 2_000, "intervalMs");
  const maxInterval = nonNegative(options.maxIntervalMs, 30_000, "maxIntervalMs");
  const factor = options.backoff ?? 1.5;
  if (!(factor >= 1)) throw new TypeError("wait: backoff must be at least 1");
  const timeout = options.timeoutMs === 0 ? Infinity : nonNegative(options.timeoutMs, 3_600_000, "timeoutMs");
  const initialDelay = nonNegative(options.initialDelayMs, 0, "initialDelayMs");

  const started = clock.now();
  let delay = Math.min(interval, maxInterval);
  let polls = 0;
  let last: Reading | undefined;
  let lastData: unknown;

  signal?.throwIfAborted();
  if (initialDelay > 0) await clock.sleep(Math.min(initialDelay, timeout), signal);
  while (true) {
    signal?.throwIfAborted();
    const data = await pollOnce(client, plan, signal);
    polls++;
    const elapsed = clock.now() - started;
    if (data === GONE) {
      options.onProgress?.({ status: undefined, percent: 100, polls, elapsedMs: elapsed, resource: undefined as T });
      return undefined as T;
    }
    last = plan.read(data);
    lastData = data;
    options.onProgress?.({ status: last.status, percent: last.percent, polls, elapsedMs: elapsed, resource: data as T });
    if (last.verdict === "success") return data as T;
    if (last.verdict === "failure") {
      const detail = [last.code, last.reason].filter((p) => p !== undefined && p !== "").join(": ");
      throw new OperationFailedError(`${plan.what} ended with status ${last.status ?? "(none)"}${detail ? `: ${detail}` : ""}`, {
        status: last.status ?? "",
        code: last.code,
        reason: last.reason,
        operationId: plan.operationId,
        resource: data,
      });
    }
    if (elapsed >= timeout) {
      throw new WaitTimeoutError(
        `${plan.what} did not finish within ${timeout} ms (last status ${last.status ?? "unknown"} after ${polls} polls)`,
        { lastStatus: last.status, resource: lastData, elapsedMs: elapsed, polls },
      );
    }
    await clock.sleep(Math.min(delay, timeout - elapsed), signal);
    delay = Math.min(delay * factor, maxInterval);
  }
}

async function pollOnce(client: AnyClient, plan: Plan, signal: AbortSignal | undefined): Promise<unknown> {
  const get = (client as { GET?: unknown }).GET;
  if (typeof get !== "function") throw new TypeError("wait: the client has no GET method");
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    result = await get(plan.path, { params: { path: plan.pathParams }, throwOnError: false, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (plan.gone && isOtcApiError(error) && error.status === 404) return GONE;
    throw error;
  }
  if (plan.gone && result.response.status === 404) {
    await result.response.body?.cancel().catch(() => {});
    return GONE;
  }
  return unwrapResult(result, { method: "GET", url: result.response.url, operationId: plan.operationId });
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) throw new TypeError(`wait: ${name} must be a non-negative number`);
  return value;
}

// ---- status sets ----

interface StatusSets {
  pending: Set<string>;
  success: Set<string>;
  failure: Set<string>;
}

function sets(pending: readonly string[], success: readonly string[], failure: readonly string[]): StatusSets {
  return { pending: new Set(pending), success: new Set(success), failure: new Set(failure) };
}

/** Failure wins over success wins over pending; a status outside all three counts as pending. */
function verdictOf(status: string | undefined, s: StatusSets): Verdict {
  if (status === undefined) return "pending";
  if (s.failure.has(status)) return "failure";
  if (s.success.has(status)) return "success";
  return "pending";
}

/**
 * Built-in status sets extended with what the spec's x-async entries that poll `pollId` and end
 * in a success status declare (deletions, which end by disappearing, are left out).
 */
function mergedSets(client: AnyClient, pollId: string, builtin: StatusSets): StatusSets {
  const table = metaOf(client)?.operations;
  if (!table) return builtin;
  const merged = sets([...builtin.pending], [...builtin.success], [...builtin.failure]);
  for (const entry of Object.values(table)) {
    const a = entry.async;
    if (!a || a.poll !== pollId || a.success.length === 0) continue;
    a.pending?.forEach((v) => merged.pending.add(v));
    a.success.forEach((v) => merged.success.add(v));
    a.failure.forEach((v) => merged.failure.add(v));
  }
  return merged;
}

function pollPath(client: AnyClient, pollId: string, fallback: string): { path: string; operationId: string } {
  const table = metaOf(client)?.operations;
  const found = table ? findOperationById(table, pollId) : undefined;
  return { path: found ? splitKey(found[0]).path : fallback, operationId: pollId };
}

function lastParam(path: string): string {
  const names = [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
  const last = names[names.length - 1];
  if (last === undefined || last === "project_id") throw new TypeError(`wait: ${path} has no id parameter to poll with`);
  return last;
}

function requireId(id: unknown, what: string): string {
  if (typeof id !== "string" && typeof id !== "number") throw new TypeError(`wait: ${what} must be a non-empty string`);
  const text = String(id);
  if (text === "") throw new TypeError(`wait: ${what} must be a non-empty string`);
  return text;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

// ---- VBS jobs ----

const JOB_SETS = sets(["INIT", "RUNNING"], ["SUCCESS"], ["FAIL"]);
const JOB_PATH = "/v1/{project_id}/jobs/{job_id}";

/**
 * Waits for a VBS job (`job_id` of creating, deleting or restoring through `cloudbackups`):
 * `INIT`/`RUNNING` → resolves with the job (its `entities` and `sub_jobs`) on `SUCCESS`; rejects
 * with OperationFailedError carrying the job's `error_code` and `fail_reason` on `FAIL`.
 */
export async function waitForJob<C extends AnyClient>(client: C, jobId: string, options: WaitOptions<GetData<C, typeof JOB_PATH>> = {}): Promise<GetData<C, typeof JOB_PATH>> {
  const id = requireId(jobId, "jobId");
  const table = metaOf(client)?.operations;
  const jobMeta = table ? Object.values(table).find((e) => e.async?.kind === "job")?.async : undefined;
  const s = jobMeta ? sets(jobMeta.pending ?? [], jobMeta.success, jobMeta.failure) : JOB_SETS;
  const { path, operationId } = pollPath(client, jobMeta?.poll ?? "showJob", JOB_PATH);
  const codePath = jobMeta?.errorCode ?? "error_code";
  const reasonPath = jobMeta?.errorMessage ?? "fail_reason";
  const statusPath = jobMeta?.status ?? "status";
  return run(client, {
    what: `VBS job ${id}`,
    operationId,
    path,
    pathParams: { [lastParam(path)]: id },
    gone: false,
    read: (data) => {
      const status = str(readPath(data, statusPath));
      return { verdict: verdictOf(status, s), status, code: str(readPath(data, codePath)), reason: str(readPath(data, reasonPath)) };
    },
  }, options);
}

// ---- backups (CBR, and VBS native backups) ----

const BACKUP_PATH = "/v3/{project_id}/backups/{backup_id}";
const BACKUP_SETS = sets(
  ["protecting", "deleting", "restoring", "waiting_protect", "waiting_delete", "waiting_restore", "creating"],
  ["available"],
  ["error", "error_deleting", "error_restoring"],
);

export interface BackupWaitOptions<T> extends WaitOptions<T> {
  /** `available` (default): until the backup is usable; `deleted`: until it is gone (404). */
  until?: "available" | "deleted" | undefined;
}

/**
 * Waits for a backup's `status` to settle: a CBR backup (`GET /v3/{project_id}/backups/{id}`)
 * or, with a VBS client, a native OpenStack backup. Resolves with the backup body on
 * `available` (or with undefined once it is gone, `until: "deleted"`); rejects with
 * OperationFailedError on `error` (and VBS's `error_deleting`, `error_restoring`).
 */
export async function waitForBackup<C extends AnyClient>(
  client: C,
  backupId: string,
  options: BackupWaitOptions<GetData<C, typeof BACKUP_PATH>> = {},
): Promise<GetData<C, typeof BACKUP_PATH>> {
  const id = requireId(backupId, "backupId");
  const meta = metaOf(client);
  const pollId = meta?.service === "vbs" ? "showNativeBackup" : "showBackup";
  const { path, operationId } = pollPath(client, pollId, BACKUP_PATH);
  const deleted = options.until === "deleted";
  const s = deleted ? sets([], [], [...BACKUP_SETS.failure]) : mergedSets(client, pollId, BACKUP_SETS);
  return run(client, {
    what: `backup ${id}`,
    operationId,
    path,
    pathParams: { [lastParam(path)]: id },
    gone: deleted,
    read: (data) => {
      const status = str(readPath(data, "backup.status"));
      const fail = readPath(data, "backup.fail_reason");
      return { verdict: verdictOf(status, s), status, reason: str(fail) };
    },
  }, options);
}

// ---- CBR restore points ----

const CHECKPOINT_PATH = "/v3/{project_id}/checkpoints/{checkpoint_id}";
const CHECKPOINT_SETS = sets(["protecting", "deleting"], ["available"], ["error", "error-deleting", "deleted"]);

/**
 * Waits for a CBR restore point (`checkpoint.id` of createCheckpoint) to become `available`;
 * rejects with OperationFailedError on `error`, `error-deleting` or `deleted`.
 */
export async function waitForCheckpoint<C extends AnyClient>(
  client: C,
  checkpointId: string,
  options: WaitOptions<GetData<C, typeof CHECKPOINT_PATH>> = {},
): Promise<GetData<C, typeof CHECKPOINT_PATH>> {
  const id = requireId(checkpointId, "checkpointId");
  const { path, operationId } = pollPath(client, "showCheckpoint", CHECKPOINT_PATH);
  const s = mergedSets(client, "showCheckpoint", CHECKPOINT_SETS);
  return run(client, {
    what: `restore point ${id}`,
    operationId,
    path,
    pathParams: { [lastParam(path)]: id },
    gone: false,
    read: (data) => {
      const status = str(readPath(data, "checkpoint.status"));
      return { verdict: verdictOf(status, s), status };
    },
  }, options);
}

// ---- CBR vault resources ----

const VAULT_PATH = "/v3/{project_id}/vaults/{vault_id}";

export interface VaultResourcesWaitOptions<T> extends WaitOptions<T> {
  /** The resources to wait for (default: every resource in the vault). */
  resourceIds?: readonly string[] | undefined;
  /** `protected` (default): until each is `available`; `removed`: until each has left the vault. */
  until?: "protected" | "removed" | undefined;
}

/**
 * Waits for the resources of a CBR vault (`vault.resources[].protect_status`) to settle after
 * associating, backing up, restoring or removing them. Resolves with the vault; rejects with
 * OperationFailedError when a resource reports `error` or (until `protected`) is not in the vault.
 */
export async function waitForVaultResources<C extends AnyClient>(
  client: C,
  vaultId: string,
  options: VaultResourcesWaitOptions<GetData<C, typeof VAULT_PATH>> = {},
): Promise<GetData<C, typeof VAULT_PATH>> {
  const id = requireId(vaultId, "vaultId");
  const { path, operationId } = pollPath(client, "showVault", VAULT_PATH);
  const wanted = options.resourceIds;
  const removal = options.until === "removed";
  return run(client, {
    what: `resources of vault ${id}`,
    operationId,
    path,
    pathParams: { [lastParam(path)]: id },
    gone: false,
    read: (data) => {
      const list = readPath(data, "vault.resources");
      const resources = (Array.isArray(list) ? list : []) as Array<{ id?: unknown; protect_status?: unknown }>;
      const byId = new Map(resources.map((r) => [str(r?.id), str(r?.protect_status)]));
      const targets = wanted ?? (removal ? [] : [...byId.keys()].filter((k): k is string => k !== undefined));
      let pendingStatus: string | undefined;
      let done = 0;
      for (const target of targets) {
        const present = byId.has(target);
        const status = byId.get(target);
        if (status === "error") return { verdict: "failure", status: "error", reason: `resource ${target} reports protect_status error` };
        if (removal ? !present : status === "available") done++;
        else if (!removal && !present) return { verdict: "failure", status: "missing", reason: `resource ${target} is not in the vault` };
        else pendingStatus ??= status ?? "unknown";
      }
      const all = targets.length;
      const percent = all === 0 ? 100 : Math.round((done / all) * 100);
      if (done === all) return { verdict: "success", status: removal ? "removed" : "available", percent };
      return { verdict: "pending", status: pendingStatus, percent };
    },
  }, options);
}

// ---- CBR tasks (operation logs) ----

const TASK_PATH = "/v3/{project_id}/operation-logs/{operation_log_id}";
const TASK_SETS = sets(["waiting", "running"], ["success", "skipped"], ["failed", "timeout"]);

/**
 * Waits for a CBR task (operation log): `waiting`/`running` → resolves with the task on
 * `success` or `skipped`; rejects with OperationFailedError (the task's `error_info` code and
 * message) on `failed` or `timeout`. Progress reports carry `extra_info.common.progress`.
 */
export async function waitForTask<C extends AnyClient>(
  client: C,
  taskId: string,
  options: WaitOptions<GetData<C, typeof TASK_PATH>> = {},
): Promise<GetData<C, typeof TASK_PATH>> {
  const id = requireId(taskId, "taskId");
  const { path, operationId } = pollPath(client, "showOpLog", TASK_PATH);
  return run(client, {
    what: `CBR task ${id}`,
    operationId,
    path,
    pathParams: { [lastParam(path)]: id },
    gone: false,
    read: (data) => {
      const status = str(readPath(data, "operation_log.status"));
      const progress = readPath(data, "operation_log.extra_info.common.progress");
      return {
        verdict: verdictOf(status, TASK_SETS),
        status,
        code: str(readPath(data, "operation_log.error_info.code")),
        reason: str(readPath(data, "operation_log.error_info.message")),
        percent: typeof progress === "number" ? progress : undefined,
      };
    },
  }, options);
}

// ---- any operation with x-async ----

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
export async function waitFor(client: AnyClient, operation: string, started: Started, waitOptions?: object): Promise<unknown> {
  const options = (waitOptions ?? {}) as WaitOptions;
  const table = metaOf(client)?.operations;
  if (!table) throw new TypeError("waitFor: this client carries no operation metadata");
  const entry = table[operation];
  const a: AsyncMeta | undefined = entry?.async;
  if (!entry || !a) throw new TypeError(`waitFor: ${operation} does not start asynchronous work (it has no x-async)`);
  const poll = findOperationById(table, a.poll);
  if (!poll) throw new TypeError(`waitFor: ${operation} polls ${a.poll}, which this client does not have`);
  const pollTemplate = splitKey(poll[0]).path;
  const startTemplate = splitKey(operation).path;
  const fromUrl = started.response?.url ? paramsFromUrl(startTemplate, started.response.url) : {};
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
  const s = sets(a.pending ?? [], a.success, a.failure);
  const onExisting = source === "path";
  return run(client, {
    what: `${entry.operationId} (${a.kind === "job" ? "job" : "resource"} ${idText})`,
    operationId: a.poll,
    path: pollTemplate,
    pathParams,
    gone: a.gone === "success",
    read: (data) => {
      const status = str(readPath(data, a.status));
      return {
        verdict: verdictOf(status, s),
        status,
        code: a.errorCode ? str(readPath(data, a.errorCode)) : undefined,
        reason: a.errorMessage ? str(readPath(data, a.errorMessage)) : undefined,
      };
    },
  }, { ...options, initialDelayMs: options.initialDelayMs ?? (onExisting ? (options.intervalMs ?? 2_000) : 0) });
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
      if (m) {
        names.push(m[1]!);
        return "([^/]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
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
