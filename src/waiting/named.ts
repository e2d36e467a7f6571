// The named waiters. What each polls and which statuses end it come from the specs: generate.mjs
// writes one definition per x-waiter (with the statuses of every x-async entry polling the same
// operation) into generated/*.meta.ts; this file only gives them their typed signatures.
import { choiceOption } from "../options/check.js";
import { keyOfOperation, metaOf, pathOfKey, readPath } from "../operations.js";
import { cbrWaitForBackup, cbrWaitForCheckpoint, cbrWaitForTask } from "../../generated/cbr.meta.js";
import { vbsWaitForBackup, vbsWaitForJob } from "../../generated/vbs.meta.js";
import { waitSettings, type WaitOptions } from "./options.js";
import { poll } from "./poller.js";
import { statusReader, statusSets, withClientStatuses, type StatusSets } from "./status.js";
import { lastParam, requireId, type Target } from "./target.js";
import type { BackupResult, CheckpointResult, JobResult, TaskResult } from "./types.js";

/** A generated waiter definition (x-waiter plus the x-async entries polling its operation). */
interface WaiterDefinition {
  readonly name: string;
  /** Names the work in messages ("VBS job job-1"). */
  readonly subject: string;
  /** Name of the waiter's id argument, for messages. */
  readonly idName: string;
  /** operationId and path to poll. */
  readonly poll: string;
  readonly path: string;
  readonly status: string;
  /** Dot path of what the waiter resolves to (default: the whole body). */
  readonly result?: string;
  readonly pending: readonly string[];
  readonly success: readonly string[];
  readonly failure: readonly string[];
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly percent?: string;
}

/** The definition for the client's service; a client without metadata gets the services' definitions merged. */
function definitionFor(client: object, byService: { readonly cbr?: WaiterDefinition; readonly vbs?: WaiterDefinition }): WaiterDefinition {
  const service = metaOf(client)?.service;
  const own = service === "cbr" || service === "vbs" ? byService[service] : undefined;
  if (own) return own;
  const all = [byService.cbr, byService.vbs].filter((d) => d !== undefined);
  const union = (k: "pending" | "success" | "failure") => [...new Set(all.flatMap((d) => d[k]))];
  return { ...all[0]!, pending: union("pending"), success: union("success"), failure: union("failure") };
}

/** The wait a definition describes, for one id; `statuses` replaces the definition's (until: "deleted"). */
function targetOf(client: object, definition: WaiterDefinition, id: unknown, gone = false, statuses?: StatusSets): Target {
  const text = requireId(id, definition.idName);
  const meta = metaOf(client);
  const key = meta ? keyOfOperation(meta.operations, definition.poll) : undefined;
  const path = key ? pathOfKey(key) : definition.path;
  const s = statuses ?? withClientStatuses(client, definition.poll, statusSets(definition.pending, definition.success, definition.failure));
  const result = definition.result;
  return {
    what: `${definition.subject} ${text}`,
    operationId: definition.poll,
    path,
    pathParams: { [lastParam(path)]: text },
    gone,
    read: statusReader(definition, s),
    result: result === undefined ? (data) => data : (data) => readPath(data, result),
  };
}

/**
 * Waits for a VBS job (`job_id` of creating, deleting or restoring through `cloudbackups`):
 * `INIT`/`RUNNING` → resolves with the job (its `entities` and `sub_jobs`) on `SUCCESS`; rejects
 * with OperationFailedError carrying the job's `error_code` and `fail_reason` on `FAIL`.
 */
export async function waitForJob<C extends object>(
  client: C,
  jobId: string,
  options: WaitOptions<JobResult<C>> = {},
): Promise<JobResult<C>> {
  const settings = waitSettings("waitForJob", options as WaitOptions<never>);
  return poll(client, targetOf(client, definitionFor(client, { vbs: vbsWaitForJob }), jobId), settings);
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
export function waitForBackup<C extends object>(
  client: C,
  backupId: string,
  options?: BackupWaitOptions<BackupResult<C>> & { until?: "available" | undefined },
): Promise<BackupResult<C>>;
export function waitForBackup<C extends object>(
  client: C,
  backupId: string,
  options: BackupWaitOptions<BackupResult<C> | undefined> & { until: "deleted" },
): Promise<undefined>;
export async function waitForBackup(client: object, backupId: string, options: BackupWaitOptions<unknown> = {}): Promise<unknown> {
  const settings = waitSettings("waitForBackup", options as WaitOptions<never>);
  const deleted = choiceOption("waitForBackup", "until", options.until, ["available", "deleted"] as const) === "deleted";
  const definition = definitionFor(client, { cbr: cbrWaitForBackup, vbs: vbsWaitForBackup });
  return poll(
    client,
    targetOf(client, definition, backupId, deleted, deleted ? statusSets([], [], definition.failure) : undefined),
    settings,
  );
}

/**
 * Waits for a CBR restore point (`checkpoint.id` of createCheckpoint) to become `available` and
 * resolves with it; rejects with OperationFailedError on `error`, `error-deleting` or `deleted`.
 */
export async function waitForCheckpoint<C extends object>(
  client: C,
  checkpointId: string,
  options: WaitOptions<CheckpointResult<C>> = {},
): Promise<CheckpointResult<C>> {
  const settings = waitSettings("waitForCheckpoint", options as WaitOptions<never>);
  return poll(client, targetOf(client, definitionFor(client, { cbr: cbrWaitForCheckpoint }), checkpointId), settings);
}

/**
 * Waits for a CBR task (operation log): `waiting`/`running` → resolves with the task on
 * `success` or `skipped`; rejects with OperationFailedError (the task's `error_info` code and
 * message) on `failed` or `timeout`. Progress reports carry `extra_info.common.progress`.
 */
export async function waitForTask<C extends object>(
  client: C,
  taskId: string,
  options: WaitOptions<TaskResult<C>> = {},
): Promise<TaskResult<C>> {
  const settings = waitSettings("waitForTask", options as WaitOptions<never>);
  return poll(client, targetOf(client, definitionFor(client, { cbr: cbrWaitForTask }), taskId), settings);
}
