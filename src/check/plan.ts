// What `otc-backup-api check` calls: read-only operations only (GETs, and POSTs the spec marks
// `x-read-only`), starting from the lists, and how list items lead to detail calls.
import { operationValidators } from "../validate/compiled.js";
import type { ServiceName } from "../validate/types.js";

/** A call that needs nothing but the project: a list, a quota, the tag filters. */
export interface RootCall {
  operationId: string;
  /** JSON body of a read-only POST. */
  body?: Record<string, unknown>;
}

/**
 * A detail call fed by a list: each item of `from`'s `items` array gives the path parameter
 * `param` from its property `field`; parameters of `from` itself are passed on (`inherit`).
 */
export interface LinkedCall {
  operationId: string;
  from: string;
  items: string;
  field: string;
  param: string;
  inherit?: readonly string[];
}

export interface Plan {
  roots: readonly RootCall[];
  links: readonly LinkedCall[];
}

// The tag filters read one page of everything: no tag condition, a small page.
const FILTER_PAGE = { action: "filter", limit: "10", offset: "0" };

const PLANS: Record<ServiceName, Plan> = {
  cbr: {
    roots: [
      { operationId: "listVersions" },
      { operationId: "listVault" },
      { operationId: "listBackups" },
      { operationId: "listPolicies" },
      { operationId: "listOpLogs" },
      { operationId: "showReplicationCapabilities" },
      { operationId: "showVaultProjectTag" },
      { operationId: "showVaultResourceInstances", body: FILTER_PAGE },
    ],
    links: [
      { operationId: "showVersion", from: "listVersions", items: "versions", field: "id", param: "api_version" },
      { operationId: "showVault", from: "listVault", items: "vaults", field: "id", param: "vault_id" },
      { operationId: "showVaultTag", from: "listVault", items: "vaults", field: "id", param: "vault_id" },
      { operationId: "showBackup", from: "listBackups", items: "backups", field: "id", param: "backup_id" },
      { operationId: "showCheckpoint", from: "listBackups", items: "backups", field: "checkpoint_id", param: "checkpoint_id" },
      { operationId: "showMembersDetail", from: "listBackups", items: "backups", field: "id", param: "backup_id" },
      {
        operationId: "showMemberDetail",
        from: "showMembersDetail",
        items: "members",
        field: "dest_project_id",
        param: "member_id",
        inherit: ["backup_id"],
      },
      { operationId: "showPolicy", from: "listPolicies", items: "policies", field: "id", param: "policy_id" },
      { operationId: "showOpLog", from: "listOpLogs", items: "operation_logs", field: "id", param: "operation_log_id" },
    ],
  },
  vbs: {
    roots: [
      { operationId: "listBackupPolicies" },
      { operationId: "listBackupPolicyProjectTags" },
      { operationId: "listBackupPoliciesByTags", body: FILTER_PAGE },
      { operationId: "showQuotas" },
      { operationId: "listNativeBackupDetails" },
      { operationId: "listNativeBackupDetailsV2" },
      { operationId: "listNativeBackups" },
      { operationId: "countBackupSharings" },
      { operationId: "listBackupSharingDetails" },
    ],
    links: [
      {
        operationId: "listBackupPolicyTasks",
        from: "listBackupPolicies",
        items: "backup_policies",
        field: "backup_policy_id",
        param: "policy_id",
      },
      {
        operationId: "listBackupPolicyTags",
        from: "listBackupPolicies",
        items: "backup_policies",
        field: "backup_policy_id",
        param: "policy_id",
      },
      { operationId: "showJob", from: "listBackupPolicyTasks", items: "tasks", field: "job_id", param: "job_id" },
      { operationId: "showNativeBackup", from: "listNativeBackupDetails", items: "backups", field: "id", param: "backup_id" },
      { operationId: "showNativeBackupV2", from: "listNativeBackupDetailsV2", items: "backups", field: "id", param: "backup_id" },
      { operationId: "showBackupSharing", from: "listBackupSharingDetails", items: "shared", field: "id", param: "id" },
    ],
  },
};

export function planFor(service: ServiceName): Plan {
  return PLANS[service];
}

/**
 * The method and path of a planned operation, refusing anything that could write: a plan that
 * names a POST without `x-read-only`, or any other method, is a bug, caught before any call.
 */
export function readOnlyCall(service: ServiceName, operationId: string): { method: "GET" | "POST"; path: string } {
  const op = operationValidators(service, operationId, "check");
  if (op.method === "get") return { method: "GET", path: op.path };
  if (op.method === "post" && op.readOnly) return { method: "POST", path: op.path };
  throw new Error(`check: ${service} ${operationId} (${op.method.toUpperCase()} ${op.path}) is not read-only`);
}
