// waitForVaultResources: not one status but one per resource (`vault.resources[].protect_status`),
// so it has its own reader; the polling is the same engine's.
import { choiceOption, listOption } from "../options/check.js";
import { keyOfOperation, metaOf, pathOfKey, readPath } from "../operations.js";
import { waitSettings, type WaitOptions } from "./options.js";
import { poll } from "./poller.js";
import { text } from "./status.js";
import { lastParam, requireId, type Reading } from "./target.js";
import type { VaultResult } from "./types.js";

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
export async function waitForVaultResources<C extends object>(
  client: C,
  vaultId: string,
  options: VaultResourcesWaitOptions<VaultResult<C>> = {},
): Promise<VaultResult<C>> {
  const where = "waitForVaultResources";
  const settings = waitSettings(where, options as WaitOptions<never>);
  const wanted = listOption(where, "resourceIds", options.resourceIds, (id): id is string => typeof id === "string", "strings");
  const until = choiceOption(where, "until", options.until, ["protected", "removed"] as const);
  const id = requireId(vaultId, "vaultId");
  const meta = metaOf(client);
  const key = meta ? keyOfOperation(meta.operations, "showVault") : undefined;
  const path = key ? pathOfKey(key) : VAULT_PATH;
  const removal = until === "removed";
  const target = {
    what: `resources of vault ${id}`,
    operationId: "showVault",
    path,
    pathParams: { [lastParam(path)]: id },
    gone: false,
    read: (data: unknown) => resourcesReading(data, wanted, removal),
    result: (data: unknown) => readPath(data, "vault"),
  };
  return poll(client, target, settings);
}

/** Settled when every wanted resource is `available` (or, for a removal, gone from the vault). */
function resourcesReading(data: unknown, wanted: readonly string[] | undefined, removal: boolean): Reading {
  const list = readPath(data, "vault.resources");
  const resources = (Array.isArray(list) ? list : []) as Array<{ id?: unknown; protect_status?: unknown }>;
  const byId = new Map(resources.map((r) => [text(r?.id), text(r?.protect_status)]));
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
