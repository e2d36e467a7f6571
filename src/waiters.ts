// Waiters: poll a VBS job, a backup, a restore point, a vault's resources or a CBR task until the
// work ends. One polling engine (run) does the waiting: a growing interval, an overall deadline
// that also bounds the poll in flight, polls that fail for a passing reason retried within the
// deadline, an AbortSignal and progress reports. The named waiters are rows of a table (what
// to poll, where the status is, which statuses end the wait, what to resolve to); waitFor()
// reads the same facts from an operation's x-async metadata (spec/EXTENSIONS.md).
import { discard } from "./pipeline/web-response.js";
import { unwrapResult } from "./call-results.js";
import type { BodyOf, OpsOf, PathOfKey } from "./client-types.js";
import { systemClock, type Clock } from "./clock.js";
import { OperationFailedError, WaitTimeoutError, isOtcApiError } from "./errors.js";
import { isTransient, RETRYABLE_STATUSES } from "./pipeline/transient.js";
import { keyOfOperation, metaOf, pathOfKey, readPath, type AsyncTable, type ClientMeta, type OperationTable, type WithClientMeta } from "./operations.js";
import { cbrAsync } from "../generated/cbr.meta.js";
import { vbsAsync } from "../generated/vbs.meta.js";

export interface WaitProgress<T = unknown> {
  /** The status just read (`RUNNING`, `protecting`, `running`…); the last one seen when the poll failed. */
  status: string | undefined;
  /** Completion in percent, when the service reports it (CBR tasks, vault resources). */
  percent: number | undefined;
  /** Polls so far, including this one. */
  polls: number;
  elapsedMs: number;
  /** What the waiter resolves to, as just polled (the job, the backup, the task…). */
  resource: T;
  /** Set when this poll failed for a passing reason (a network error, 429, 502, 503, 504): the wait goes on. */
  error?: unknown;
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
  /**
   * Give up with WaitTimeoutError after this long (default 3 600 000 ms; Infinity waits
   * forever). A poll still in flight then is aborted.
   */
  timeoutMs?: number | undefined;
  /** Stops waiting (and the poll in flight); the waiter rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called after every poll. */
  onProgress?: ((progress: WaitProgress<T>) => void) | undefined;
  /** The time and the waits between polls (tests; default: the system clock). */
  clock?: Clock | undefined;
}

// ---- types ----

type AnyClient = object;
/** The success body of GET `P` on client `C`. */
type GetData<C, P> = BodyOf<C, P, "get">;
/** Property `K` of a body (the `backup` of `{ backup }`), or unknown for untyped clients. */
type Field<D, K extends string> = unknown extends D ? unknown : D extends { readonly [P in K]?: infer V } ? NonNullable<V> : unknown;
type AsyncKey<O> = string extends keyof O ? string : { [K in keyof O]: O[K] extends { readonly async: object } ? K : never }[keyof O] & string;
type PollIdOf<O, K> = K extends keyof O ? (O[K] extends { readonly async: { readonly poll: infer P } } ? P : never) : never;
type KeyById<O, Id> = { [K in keyof O]: O[K] extends { readonly operationId: Id } ? K : never }[keyof O] & string;
/** Operations of the client that start asynchronous work (those with x-async). */
export type AsyncOperation<C> = AsyncKey<OpsOf<C>>;
/** What waitFor resolves to for an operation: the polled body (undefined when it is gone). */
export type WaitResult<C, K> = string extends keyof OpsOf<C> ? unknown : GetData<C, PathOfKey<KeyById<OpsOf<C>, PollIdOf<OpsOf<C>, K>>>>;

/** Each service's x-async: only waitFor reads it, so only waitFor bundles it. */
const ASYNC: Readonly<Record<string, AsyncTable>> = { cbr: cbrAsync, vbs: vbsAsync };
const asyncOf = (meta: ClientMeta): AsyncTable => meta.async ?? ASYNC[meta.service] ?? {};

const JOB_PATH = "/v1/{project_id}/jobs/{job_id}";
const BACKUP_PATH = "/v3/{project_id}/backups/{backup_id}";
const CHECKPOINT_PATH = "/v3/{project_id}/checkpoints/{checkpoint_id}";
const VAULT_PATH = "/v3/{project_id}/vaults/{vault_id}";
const TASK_PATH = "/v3/{project_id}/operation-logs/{operation_log_id}";

/** What waitForJob resolves to: the VBS job. */
export type JobResult<C> = GetData<C, typeof JOB_PATH>;
/** What waitForBackup resolves to: the backup (CBR, or a VBS native backup). */
export type BackupResult<C> = Field<GetData<C, typeof BACKUP_PATH>, "backup">;
/** What waitForCheckpoint resolves to: the restore point. */
export type CheckpointResult<C> = Field<GetData<C, typeof CHECKPOINT_PATH>, "checkpoint">;
/** What waitForVaultResources resolves to: the vault. */
export type VaultResult<C> = Field<GetData<C, typeof VAULT_PATH>, "vault">;
/** What waitForTask resolves to: the task (operation log). */
export type TaskResult<C> = Field<GetData<C, typeof TASK_PATH>, "operation_log">;

// ---- the polling engine ----

type Verdict = "pending" | "success" | "failure";

interface Reading {
  verdict: Verdict;
  status: string | undefined;
  code?: string | undefined;
  reason?: string | undefined;
  percent?: number | undefined;
}

/** One wait: what to poll and how to read it. */
interface Target {
  /** "VBS job 4010b39b…", for messages. */
  what: string;
  operationId: string | undefined;
  path: string;
  pathParams: Record<string, string>;
  /** A 404 means the work is done (deletions). */
  gone: boolean;
  read(data: unknown): Reading;
  /** What the waiter resolves to, from a polled body. */
  result(data: unknown): unknown;
}

const GONE = Symbol("gone");

async function run<T>(client: AnyClient, target: Target, options: WaitOptions<T>): Promise<T> {
  const clock = options.clock ?? systemClock;
  const signal = options.signal;
  const interval = nonNegative(options.intervalMs, 2_000, "intervalMs");
  const maxInterval = nonNegative(options.maxIntervalMs, 30_000, "maxIntervalMs");
  const factor = options.backoff ?? 1.5;
  if (!(factor >= 1)) throw new TypeError("wait: backoff must be at least 1");
  const timeout = options.timeoutMs === 0 ? Infinity : nonNegative(options.timeoutMs, 3_600_000, "timeoutMs");
  const initialDelay = nonNegative(options.initialDelayMs, 0, "initialDelayMs");

  const started = clock.now();
  const elapsed = () => clock.now() - started;
  let delay = Math.min(interval, maxInterval);
  let polls = 0;
  let last: Reading | undefined;
  let lastResource: unknown;
  const timedOut = () =>
    new WaitTimeoutError(`${target.what} did not finish within ${timeout} ms (last status ${last?.status ?? "unknown"} after ${polls} polls)`, {
      lastStatus: last?.status,
      resource: lastResource,
      elapsedMs: elapsed(),
      polls,
    });
  const pause = async (ms: number) => {
    await clock.sleep(Math.min(ms, timeout - elapsed()), signal);
    if (elapsed() >= timeout) throw timedOut();
  };

  signal?.throwIfAborted();
  if (initialDelay > 0) await pause(initialDelay);
  while (true) {
    signal?.throwIfAborted();
    let data: unknown;
    let failure: unknown;
    try {
      data = await pollWithin(client, target, timeout - elapsed(), signal);
    } catch (error) {
      if (error === DEADLINE) throw timedOut();
      if (signal?.aborted || !passing(error)) throw error;
      failure = error;
    }
    polls++;
    if (failure !== undefined) {
      options.onProgress?.({ status: last?.status, percent: last?.percent, polls, elapsedMs: elapsed(), resource: lastResource as T, error: failure });
    } else if (data === GONE) {
      options.onProgress?.({ status: undefined, percent: 100, polls, elapsedMs: elapsed(), resource: undefined as T });
      return undefined as T;
    } else {
      last = target.read(data);
      lastResource = target.result(data);
      options.onProgress?.({ status: last.status, percent: last.percent, polls, elapsedMs: elapsed(), resource: lastResource as T });
      if (last.verdict === "success") return lastResource as T;
      if (last.verdict === "failure") {
        const detail = [last.code, last.reason].filter((p) => p !== undefined && p !== "").join(": ");
        throw new OperationFailedError(`${target.what} ended with status ${last.status ?? "(none)"}${detail ? `: ${detail}` : ""}`, {
          status: last.status ?? "",
          code: last.code,
          reason: last.reason,
          operationId: target.operationId,
          resource: data,
        });
      }
    }
    if (elapsed() >= timeout) throw timedOut();
    await pause(delay);
    delay = Math.min(delay * factor, maxInterval);
  }
}

/** A poll failure worth polling again: no (complete) answer, or 429, 502, 503, 504. */
function passing(error: unknown): boolean {
  if (isOtcApiError(error) && error.kind === "http") return RETRYABLE_STATUSES.includes(error.status);
  return isTransient(error);
}

const DEADLINE: unique symbol = Symbol("wait deadline");

/**
 * One poll, aborted when the wait's deadline passes (`remainingMs` from now; a timer, since a
 * poll in flight is real I/O) or when the caller's signal aborts.
 */
async function pollWithin(client: AnyClient, target: Target, remainingMs: number, signal: AbortSignal | undefined): Promise<unknown> {
  if (remainingMs <= 0) throw DEADLINE;
  if (remainingMs === Infinity) return pollOnce(client, target, signal);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(DEADLINE), remainingMs);
  try {
    return await pollOnce(client, target, signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal);
  } catch (error) {
    if (deadline.signal.aborted && !signal?.aborted) throw DEADLINE;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function pollOnce(client: AnyClient, target: Target, signal: AbortSignal | undefined): Promise<unknown> {
  const get = (client as { GET?: unknown }).GET;
  if (typeof get !== "function") throw new TypeError("wait: the client has no GET method");
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    result = await get(target.path, { params: { path: target.pathParams }, throwOnError: false, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (target.gone && isOtcApiError(error) && error.status === 404) return GONE;
    throw error;
  }
  if (target.gone && result.response.status === 404) {
    await discard(result.response);
    return GONE;
  }
  return unwrapResult(result, { method: "GET", url: result.response.url, operationId: target.operationId });
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
 * Built-in status sets extended with what the x-async entries of a client made from its own
 * tables declare for `pollId`, when they end in a success status (deletions, which end by
 * disappearing, are left out). The rows below already hold every status the generated x-async of
 * both specs declares for the operations they poll (the waiter tests check each one), so the
 * generated tables are not read here: only waitFor bundles them.
 */
function mergedSets(client: AnyClient, pollId: string, builtin: StatusSets): StatusSets {
  const own = metaOf(client)?.async;
  if (!own) return builtin;
  const merged = sets([...builtin.pending], [...builtin.success], [...builtin.failure]);
  for (const a of Object.values(own)) {
    if (a.poll !== pollId || a.success.length === 0) continue;
    a.pending?.forEach((v) => merged.pending.add(v));
    a.success.forEach((v) => merged.success.add(v));
    a.failure.forEach((v) => merged.failure.add(v));
  }
  return merged;
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
const whole = (data: unknown) => data;

// ---- the named waiters ----

/** A named waiter, as data. Dot paths are read from the polled body. */
interface Waiter {
  /** Names the work in messages ("VBS job job-1"). */
  what: string;
  /** The operationId to poll: one, or per service (backups: CBR's, or VBS's native backups). */
  poll: string | { readonly vbs: string; readonly cbr: string };
  /** The poll's path, for clients without an operation table. */
  path: string;
  /** Name of the waiter's id argument, for messages. */
  idName: string;
  status: string;
  pending: readonly string[];
  success: readonly string[];
  failure: readonly string[];
  /** Dot paths of the failure's code and reason, and of a completion percentage. */
  code?: string;
  reason?: string;
  percent?: string;
  /** Dot path of what the waiter resolves to (default: the whole body). */
  result?: string;
}

// One constant per waiter, so that an application bundles only the rows of the waiters it calls.
const JOB_WAITER = {
  what: "VBS job",
  poll: "showJob",
  path: JOB_PATH,
  idName: "jobId",
  status: "status",
  pending: ["INIT", "RUNNING"],
  success: ["SUCCESS"],
  failure: ["FAIL"],
  code: "error_code",
  reason: "fail_reason",
} as const satisfies Waiter;
const BACKUP_WAITER = {
  what: "backup",
  poll: { vbs: "showNativeBackup", cbr: "showBackup" },
  path: BACKUP_PATH,
  idName: "backupId",
  status: "backup.status",
  pending: ["protecting", "deleting", "restoring", "waiting_protect", "waiting_delete", "waiting_restore", "creating"],
  success: ["available"],
  failure: ["error", "error_deleting", "error_restoring"],
  reason: "backup.fail_reason",
  result: "backup",
} as const satisfies Waiter;
const CHECKPOINT_WAITER = {
  what: "restore point",
  poll: "showCheckpoint",
  path: CHECKPOINT_PATH,
  idName: "checkpointId",
  status: "checkpoint.status",
  pending: ["protecting", "deleting"],
  success: ["available"],
  failure: ["error", "error-deleting", "deleted"],
  result: "checkpoint",
} as const satisfies Waiter;
const TASK_WAITER = {
  what: "CBR task",
  poll: "showOpLog",
  path: TASK_PATH,
  idName: "taskId",
  status: "operation_log.status",
  pending: ["waiting", "running"],
  success: ["success", "skipped"],
  failure: ["failed", "timeout"],
  code: "operation_log.error_info.code",
  reason: "operation_log.error_info.message",
  percent: "operation_log.extra_info.common.progress",
  result: "operation_log",
} as const satisfies Waiter;

/** The poll operation and path of a waiter on this client (from its table when it has one). */
function pollOf(client: AnyClient, poll: Waiter["poll"], fallback: string): { operationId: string; path: string } {
  const meta = metaOf(client);
  const operationId = typeof poll === "string" ? poll : meta?.service === "vbs" ? poll.vbs : poll.cbr;
  const key = meta ? keyOfOperation(meta.operations, operationId) : undefined;
  return { operationId, path: key ? pathOfKey(key) : fallback };
}

/** The wait a waiter row describes, for one id; `statuses` replaces the row's (until: "deleted"). */
function targetOf(client: AnyClient, waiter: Waiter, id: unknown, gone = false, statuses?: StatusSets): Target {
  const text = requireId(id, waiter.idName);
  const { operationId, path } = pollOf(client, waiter.poll, waiter.path);
  const s = statuses ?? mergedSets(client, operationId, sets(waiter.pending, waiter.success, waiter.failure));
  return {
    what: `${waiter.what} ${text}`,
    operationId,
    path,
    pathParams: { [lastParam(path)]: text },
    gone,
    read: statusReader(waiter, s),
    result: waiter.result === undefined ? whole : (data) => readPath(data, waiter.result!),
  };
}

/** Dot paths in a poll's answer: its status, and optionally the failure's code and reason and a completion percentage. */
interface StatusPaths {
  status: string;
  code?: string | undefined;
  reason?: string | undefined;
  percent?: string | undefined;
}

/** Reads a poll's answer at `paths` and judges its status by `s`. */
function statusReader(paths: StatusPaths, s: StatusSets): (data: unknown) => Reading {
  return (data) => {
    const status = str(readPath(data, paths.status));
    const percent = paths.percent === undefined ? undefined : readPath(data, paths.percent);
    return {
      verdict: verdictOf(status, s),
      status,
      code: paths.code === undefined ? undefined : str(readPath(data, paths.code)),
      reason: paths.reason === undefined ? undefined : str(readPath(data, paths.reason)),
      percent: typeof percent === "number" ? percent : undefined,
    };
  };
}

/**
 * Waits for a VBS job (`job_id` of creating, deleting or restoring through `cloudbackups`):
 * `INIT`/`RUNNING` → resolves with the job (its `entities` and `sub_jobs`) on `SUCCESS`; rejects
 * with OperationFailedError carrying the job's `error_code` and `fail_reason` on `FAIL`.
 */
export async function waitForJob<C extends AnyClient>(client: C, jobId: string, options: WaitOptions<JobResult<C>> = {}): Promise<JobResult<C>> {
  return run(client, targetOf(client, JOB_WAITER, jobId), options);
}

export interface BackupWaitOptions<T> extends WaitOptions<T> {
  /** `available` (default): until the backup is usable; `deleted`: until it is gone (404). */
  until?: "available" | "deleted" | undefined;
}

/**
 * Waits for a backup's `status` to settle: a CBR backup (`GET /v3/{project_id}/backups/{id}`)
 * or, with a VBS client, a native OpenStack backup. Resolves with the backup on `available` (or
 * with undefined once it is gone, `until: "deleted"`); rejects with OperationFailedError on
 * `error` (and VBS's `error_deleting`, `error_restoring`).
 */
export function waitForBackup<C extends AnyClient>(client: C, backupId: string, options?: BackupWaitOptions<BackupResult<C>> & { until?: "available" | undefined }): Promise<BackupResult<C>>;
export function waitForBackup<C extends AnyClient>(client: C, backupId: string, options: BackupWaitOptions<BackupResult<C> | undefined> & { until: "deleted" }): Promise<undefined>;
export async function waitForBackup(client: AnyClient, backupId: string, options: BackupWaitOptions<unknown> = {}): Promise<unknown> {
  const deleted = options.until === "deleted";
  return run(client, targetOf(client, BACKUP_WAITER, backupId, deleted, deleted ? sets([], [], BACKUP_WAITER.failure) : undefined), options);
}

/**
 * Waits for a CBR restore point (`checkpoint.id` of createCheckpoint) to become `available` and
 * resolves with it; rejects with OperationFailedError on `error`, `error-deleting` or `deleted`.
 */
export async function waitForCheckpoint<C extends AnyClient>(client: C, checkpointId: string, options: WaitOptions<CheckpointResult<C>> = {}): Promise<CheckpointResult<C>> {
  return run(client, targetOf(client, CHECKPOINT_WAITER, checkpointId), options);
}

/**
 * Waits for a CBR task (operation log): `waiting`/`running` → resolves with the task on
 * `success` or `skipped`; rejects with OperationFailedError (the task's `error_info` code and
 * message) on `failed` or `timeout`. Progress reports carry `extra_info.common.progress`.
 */
export async function waitForTask<C extends AnyClient>(client: C, taskId: string, options: WaitOptions<TaskResult<C>> = {}): Promise<TaskResult<C>> {
  return run(client, targetOf(client, TASK_WAITER, taskId), options);
}

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
export async function waitForVaultResources<C extends AnyClient>(client: C, vaultId: string, options: VaultResourcesWaitOptions<VaultResult<C>> = {}): Promise<VaultResult<C>> {
  const id = requireId(vaultId, "vaultId");
  const { operationId, path } = pollOf(client, "showVault", VAULT_PATH);
  const wanted = options.resourceIds;
  const removal = options.until === "removed";
  return run(client, {
    what: `resources of vault ${id}`,
    operationId,
    path,
    pathParams: { [lastParam(path)]: id },
    gone: false,
    read: (data) => resourcesReading(data, wanted, removal),
    result: (data) => readPath(data, "vault"),
  }, options);
}

/** Settled when every wanted resource is `available` (or, for a removal, gone from the vault). */
function resourcesReading(data: unknown, wanted: readonly string[] | undefined, removal: boolean): Reading {
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
  const meta = metaOf(client);
  if (!meta) throw new TypeError("waitFor: this client carries no operation metadata");
  const table = asyncOf(meta);
  const a = Object.hasOwn(table, operation) ? table[operation] : undefined;
  const operationId = meta.operations[operation];
  if (!a || typeof operationId !== "string") throw new TypeError(`waitFor: ${operation} does not start asynchronous work (it has no x-async)`);
  const poll = keyOfOperation(meta.operations, a.poll);
  if (!poll) throw new TypeError(`waitFor: ${operation} polls ${a.poll}, which this client does not have`);
  const pollTemplate = pathOfKey(poll);
  const startTemplate = pathOfKey(operation);
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
    what: `${operationId} (${a.kind === "job" ? "job" : "resource"} ${idText})`,
    operationId: a.poll,
    path: pollTemplate,
    pathParams,
    gone: a.gone === "success",
    result: whole,
    read: statusReader({ status: a.status, code: a.errorCode || undefined, reason: a.errorMessage || undefined }, s),
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
