// Waiters: poll a VBS job, a backup, a restore point, a vault's resources or a CBR task until the
// work ends. The files beside this one: the polling engine (poller, poll, backoff), the options
// and their checks, status reading, the named waiters (defined in the specs, generated into
// generated/*.meta.ts), the vault-resources waiter, and waitFor for any operation with x-async.
export { waitForBackup, waitForCheckpoint, waitForJob, waitForTask, type BackupWaitOptions } from "./named.js";
export { MIN_INTERVAL_MS, type WaitOptions, type WaitProgress } from "./options.js";
export type { AsyncOperation, BackupResult, CheckpointResult, JobResult, TaskResult, VaultResult, WaitResult } from "./types.js";
export { waitForVaultResources, type VaultResourcesWaitOptions } from "./vault-resources.js";
export { waitFor, type Started } from "./wait-for.js";
