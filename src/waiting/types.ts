// What each waiter resolves to, read from a client's generated types.
import type { BodyOf, OpsOf, PathOfKey } from "../client-types.js";

/** The success body of GET `P` on client `C`. */
type GetData<C, P> = BodyOf<C, P, "get">;
/** Property `K` of a body (the `backup` of `{ backup }`), or unknown for untyped clients. */
type Field<D, K extends string> = unknown extends D ? unknown : D extends { readonly [P in K]?: infer V } ? NonNullable<V> : unknown;
type AsyncKey<O> = string extends keyof O
  ? string
  : { [K in keyof O]: O[K] extends { readonly async: object } ? K : never }[keyof O] & string;
type PollIdOf<O, K> = K extends keyof O ? (O[K] extends { readonly async: { readonly poll: infer P } } ? P : never) : never;
type KeyById<O, Id> = { [K in keyof O]: O[K] extends { readonly operationId: Id } ? K : never }[keyof O] & string;

/** Operations of the client that start asynchronous work (those with x-async). */
export type AsyncOperation<C> = AsyncKey<OpsOf<C>>;
/** What waitFor resolves to for an operation: the polled body (undefined when it is gone). */
export type WaitResult<C, K> = string extends keyof OpsOf<C> ? unknown : GetData<C, PathOfKey<KeyById<OpsOf<C>, PollIdOf<OpsOf<C>, K>>>>;

/** What waitForJob resolves to: the VBS job. */
export type JobResult<C> = GetData<C, "/v1/{project_id}/jobs/{job_id}">;
/** What waitForBackup resolves to: the backup (CBR, or a VBS native backup). */
export type BackupResult<C> = Field<GetData<C, "/v3/{project_id}/backups/{backup_id}">, "backup">;
/** What waitForCheckpoint resolves to: the restore point. */
export type CheckpointResult<C> = Field<GetData<C, "/v3/{project_id}/checkpoints/{checkpoint_id}">, "checkpoint">;
/** What waitForVaultResources resolves to: the vault. */
export type VaultResult<C> = Field<GetData<C, "/v3/{project_id}/vaults/{vault_id}">, "vault">;
/** What waitForTask resolves to: the task (operation log). */
export type TaskResult<C> = Field<GetData<C, "/v3/{project_id}/operation-logs/{operation_log_id}">, "operation_log">;
