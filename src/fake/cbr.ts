// CBR's semantics: vaults with their resources, policies and tags; restore points (checkpoints)
// that back up every resource of a vault, one backup each, moving from `protecting` to
// `available` as simulated time passes; restores and deletions with their operation logs
// (tasks); sharing through members; replication between the two regions.
import { type Handler, type HandlerContext, type Reply } from "./context.js";
import { fail } from "./errors.js";
import { page, sortBy } from "./paging.js";
import { successExample, type Json, type LoadedSpec } from "./spec.js";
import { HISTORY_LIMIT, REGIONS, cbrTime, keepNewest, type CbrState, type Region, type Store } from "./store.js";

const BAD = "BackupService.9900";
const NOT_FOUND = "BackupService.6302";
const VAULT_NOT_FOUND = "BackupService.6105";
const OPLOG_NOT_FOUND = "BackupService.6500";
const BUSY = "BackupService.0002";
const PROVIDER_ID = "0daac4c5-6707-4851-97ba-169e36266b66";
const RESOURCE_TYPES: Record<string, string> = { server: "OS::Nova::Server", disk: "OS::Cinder::Volume", turbo: "OS::Sfs::Turbo" };

const ok = (body?: unknown, status = 200): Reply => ({ status, body });
const state = (ctx: { store: Store; region: Region }): CbrState => ctx.store.state.cbr[ctx.region];

function vaultOf(ctx: HandlerContext, id: string): Json {
  const vault = state(ctx).vaults[id];
  if (!vault || vault.project_id !== ctx.projectId) fail(404, VAULT_NOT_FOUND, `The vault does not exist: no vault ${id} in this project.`);
  return vault;
}

function backupOf(ctx: HandlerContext, id: string): Json {
  const backup = state(ctx).backups[id];
  if (!backup || (backup.project_id !== ctx.projectId && !sharedWith(ctx, backup)))
    fail(404, NOT_FOUND, `The resource does not exist: no backup ${id} in this project.`);
  return backup;
}

function sharedWith(ctx: HandlerContext, backup: Json): boolean {
  return Object.values(state(ctx).members).some((m) => m.backup_id === backup.id && m.dest_project_id === ctx.projectId);
}

function policyOf(ctx: HandlerContext, id: string): Json {
  const policy = state(ctx).policies[id];
  if (!policy || policy._project !== ctx.projectId) fail(404, NOT_FOUND, `The resource does not exist: no policy ${id} in this project.`);
  return policy;
}

/** A record without the fake's own bookkeeping fields (those starting with `_`). */
function visible(record: Json): Json {
  const copy: Json = {};
  for (const [k, v] of Object.entries(record)) if (!k.startsWith("_")) copy[k] = v;
  return copy;
}

function vaultView(ctx: HandlerContext, vault: Json): Json {
  const view = structuredClone(vault);
  const backups = Object.values(state(ctx).backups).filter((b) => b.vault_id === vault.id);
  view.billing.used = backups.reduce((sum, b) => sum + (b.resource_size ?? 0), 0);
  for (const resource of view.resources) {
    const own = backups.filter((b) => b.resource_id === resource.id);
    resource.backup_count = own.length;
    resource.backup_size = own.reduce((sum, b) => sum + (b.resource_size ?? 0), 0);
  }
  return view;
}

function policyView(ctx: HandlerContext, policy: Json): Json {
  const view = visible(structuredClone(policy));
  view.associated_vaults = Object.entries(state(ctx).vaultPolicies)
    .filter(([, policyId]) => policyId === policy.id)
    .map(([vault_id]) => ({ vault_id, destination_vault_id: null }));
  return view;
}

function operationLog(
  ctx: HandlerContext,
  type: string,
  fields: { vault: Json; checkpointId?: string; extra: Json; policyId?: string },
): Json {
  const id = ctx.store.uuid();
  const now = cbrTime(ctx.now);
  const log: Json = {
    id,
    status: "running",
    operation_type: type,
    project_id: ctx.projectId,
    provider_id: PROVIDER_ID,
    checkpoint_id: fields.checkpointId ?? null,
    vault_id: fields.vault.id,
    vault_name: fields.vault.name,
    created_at: now,
    updated_at: now,
    started_at: now,
    ended_at: null,
    error_info: { code: "", message: "" },
    extra_info: { ...fields.extra, common: { progress: 0, request_id: `req-${ctx.store.hexId()}` } },
  };
  if (fields.policyId) log.policy_id = fields.policyId;
  state(ctx).operationLogs[id] = log;
  keepNewest(state(ctx).operationLogs, HISTORY_LIMIT);
  return log;
}

function finishLog(store: Store, region: Region, id: string, now: number, status = "success"): void {
  const log = store.state.cbr[region].operationLogs[id];
  if (!log) return;
  log.status = status;
  log.updated_at = cbrTime(now);
  log.ended_at = cbrTime(now);
  log.extra_info.common.progress = 100;
}

function newBackup(
  ctx: HandlerContext,
  vault: Json,
  resource: Json,
  checkpointId: string,
  name: string,
  description: string | undefined,
  autoTrigger: boolean,
): Json {
  const template = successExample(ctx.spec, "showBackup").backup;
  const objectType = vault.billing.object_type;
  return {
    ...template,
    id: ctx.store.uuid(),
    checkpoint_id: checkpointId,
    vault_id: vault.id,
    project_id: ctx.projectId,
    provider_id: PROVIDER_ID,
    enterprise_project_id: 0,
    name,
    description: description ?? "",
    resource_id: resource.id,
    resource_name: resource.name,
    resource_type: resource.type,
    resource_size: resource.size ?? 40,
    resource_az: `${ctx.region}-01`,
    image_type: vault.billing.protect_type === "replication" ? "replication" : "backup",
    status: "protecting",
    created_at: cbrTime(ctx.now),
    updated_at: cbrTime(ctx.now),
    protected_at: null,
    expired_at: null,
    parent_id: null,
    children: [],
    replication_records: [],
    extend_info: {
      auto_trigger: autoTrigger,
      bootable: objectType === "server",
      encrypted: false,
      incremental: false,
      supported_restore_mode: "backup",
      contain_system_disk: objectType === "server",
      support_lld: true,
    },
  };
}

export function registerCbrEvents(store: Store): void {
  store.onEvent("cbr.backup.protected", (event) => {
    const s = store.state.cbr[event.region];
    const backup = s.backups[event.id];
    if (backup?.status === "protecting") {
      backup.status = "available";
      backup.protected_at = cbrTime(event.at);
      backup.updated_at = cbrTime(event.at);
    }
    if (event.data?.log) finishLog(store, event.region, event.data.log, event.at);
    const checkpoint = s.checkpoints[event.data?.checkpoint];
    if (checkpoint && !Object.values(s.backups).some((b) => b.checkpoint_id === checkpoint.id && b.status === "protecting"))
      checkpoint.status = "available";
  });
  store.onEvent("cbr.backup.restored", (event) => {
    const s = store.state.cbr[event.region];
    const backup = s.backups[event.id];
    if (backup?.status === "restoring") backup.status = "available";
    const vault = backup && s.vaults[backup.vault_id];
    const resource = vault?.resources.find((r: Json) => r.id === backup.resource_id);
    if (resource?.protect_status === "restoring") resource.protect_status = "available";
    if (event.data?.log) finishLog(store, event.region, event.data.log, event.at);
  });
  store.onEvent("cbr.backup.deleted", (event) => {
    const s = store.state.cbr[event.region];
    delete s.backups[event.id];
    for (const [id, member] of Object.entries(s.members)) if (member.backup_id === event.id) delete s.members[id];
    if (event.data?.log) finishLog(store, event.region, event.data.log, event.at);
  });
  store.onEvent("cbr.vault.deleted", (event) => {
    const s = store.state.cbr[event.region];
    delete s.vaults[event.id];
    delete s.vaultPolicies[event.id];
    for (const [id, backup] of Object.entries(s.backups)) if (backup.vault_id === event.id) delete s.backups[id];
    for (const [id, checkpoint] of Object.entries(s.checkpoints)) if (checkpoint.vault?.id === event.id) delete s.checkpoints[id];
    if (event.data?.log) finishLog(store, event.region, event.data.log, event.at);
  });
}

/** Whether a vault's tags match one filter list of showVaultResourceInstances. */
function tagsMatch(tags: Json[], filters: Json[] | undefined, every: boolean): boolean {
  if (!filters || filters.length === 0) return true;
  const test = (f: Json) => tags.some((t) => t.key === f.key && (f.values.length === 0 || f.values.includes(t.value ?? "")));
  return every ? filters.every(test) : filters.some(test);
}

function filterBy<T extends Json>(items: T[], query: URLSearchParams, fields: Record<string, (item: T, value: string) => boolean>): T[] {
  let out = items;
  for (const [name, test] of Object.entries(fields)) {
    const value = query.get(name);
    if (value !== null && value !== "") out = out.filter((item) => test(item, value));
  }
  return out;
}

const eq = (key: string) => (item: Json, value: string) => String(item[key]) === value;

function sortParam(items: Json[], sort: string | null): Json[] {
  if (!sort) return sortBy(items, "created_at", "desc");
  const [key, dir] = sort.split(",")[0]!.split(":");
  return sortBy(items, key!, (dir as "asc" | "desc" | undefined) ?? "desc");
}

function startCheckpoint(ctx: HandlerContext, vault: Json, parameters: Json): Json {
  if (vault.billing.status !== "available")
    fail(400, BUSY, `The vault ${vault.id} is ${vault.billing.status}; a backup needs an available vault.`);
  const wanted: string[] | undefined = parameters.resources;
  const resources = vault.resources.filter((r: Json) => !wanted || wanted.includes(r.id));
  for (const id of wanted ?? [])
    if (!vault.resources.some((r: Json) => r.id === id)) fail(400, BAD, `Resource ${id} is not in vault ${vault.id}.`);
  if (resources.length === 0) fail(400, BAD, `Vault ${vault.id} has no resources to back up.`);
  const busy = resources.filter((r: Json) =>
    Object.values(state(ctx).backups).some((b) => b.resource_id === r.id && b.status === "protecting"),
  );
  const checkpointId = ctx.store.uuid();
  const name: string = parameters.name ?? `manualbk_${checkpointId.slice(0, 4)}`;
  const skipped = busy.map((r: Json) => ({ id: r.id, type: r.type, name: r.name, code: BUSY, reason: "Resources are being backed up." }));
  const todo = resources.filter((r: Json) => !busy.includes(r));
  const checkpoint: Json = {
    id: checkpointId,
    project_id: ctx.projectId,
    status: todo.length > 0 ? "protecting" : "available",
    created_at: cbrTime(ctx.now),
    vault: {
      id: vault.id,
      name: vault.name,
      resources: todo.map((r: Json) => ({
        id: r.id,
        name: r.name,
        type: r.type,
        protect_status: "available",
        resource_size: r.size ?? 40,
      })),
      skipped_resources: skipped,
    },
    extra_info: { name, description: parameters.description ?? "", retention_duration: -1 },
  };
  state(ctx).checkpoints[checkpointId] = checkpoint;
  const done = ctx.now + ctx.durations.backupMs;
  for (const resource of todo) {
    const backup = newBackup(
      ctx,
      vault,
      resource,
      checkpointId,
      todo.length > 1 ? `${name}_${resource.name}` : name,
      parameters.description,
      parameters.auto_trigger ?? false,
    );
    state(ctx).backups[backup.id] = backup;
    const log = operationLog(ctx, "backup", {
      vault,
      checkpointId,
      extra: {
        backup: { backup_id: backup.id, backup_name: backup.name },
        resource: { id: resource.id, name: resource.name, type: resource.type },
      },
    });
    ctx.store.schedule(done, "cbr.backup.protected", ctx.region, backup.id, { checkpoint: checkpointId, log: log.id });
  }
  return checkpoint;
}

function checkResources(ctx: HandlerContext, vault: Json, resources: Json[]): void {
  const type = RESOURCE_TYPES[vault.billing.object_type];
  for (const resource of resources) {
    if (type && resource.type !== type)
      fail(
        400,
        BAD,
        `Resource ${resource.id} is a ${resource.type}; vault ${vault.id} protects ${vault.billing.object_type} resources (${type}).`,
      );
    const holder = Object.values(state(ctx).vaults).find((v) => v.id !== vault.id && v.resources.some((r: Json) => r.id === resource.id));
    if (holder) fail(400, BAD, `Resource ${resource.id} is already protected by vault ${holder.id}.`);
    if (vault.resources.some((r: Json) => r.id === resource.id)) fail(400, BAD, `Resource ${resource.id} is already in vault ${vault.id}.`);
  }
}

function resourceEntry(resource: Json): Json {
  return {
    id: resource.id,
    type: resource.type,
    name: resource.name ?? resource.id.slice(0, 8),
    protect_status: "available",
    size: 40,
    extra_info: resource.extra_info ?? null,
  };
}

function replicate(
  ctx: HandlerContext,
  backup: Json,
  target: { destination_region: string; destination_project_id: string; destination_vault_id: string; name?: string; description?: string },
): { backup_id: string; replication_record_id: string } {
  const region = target.destination_region as Region;
  if (!REGIONS.includes(region) || region === ctx.region)
    fail(
      400,
      BAD,
      `destination_region must be a region this one replicates to (${REGIONS.filter((r) => r !== ctx.region).join(", ")}), not ${JSON.stringify(target.destination_region)}.`,
    );
  if (target.destination_project_id !== ctx.projects[region])
    fail(400, BAD, `destination_project_id ${target.destination_project_id} is not this account's project in ${region}.`);
  const destination = ctx.store.state.cbr[region];
  const vault = destination.vaults[target.destination_vault_id];
  if (!vault) fail(400, BAD, `Destination vault ${target.destination_vault_id} does not exist in ${region}.`);
  if (vault.billing.protect_type !== "replication")
    fail(
      400,
      BAD,
      `Destination vault ${vault.id} is a ${vault.billing.protect_type} vault; replication needs a vault with protect_type replication.`,
    );
  if (backup.status !== "available")
    fail(400, BUSY, `Backup ${backup.id} is ${backup.status}; only an available backup can be replicated.`);
  const recordId = ctx.store.uuid();
  const copy: Json = structuredClone(backup);
  copy.id = ctx.store.uuid();
  copy.vault_id = vault.id;
  copy.project_id = target.destination_project_id;
  copy.image_type = "replication";
  copy.status = "protecting";
  copy.name = target.name ?? backup.name;
  copy.description = target.description ?? backup.description;
  copy.resource_az = `${region}-01`;
  copy.created_at = cbrTime(ctx.now);
  copy.updated_at = cbrTime(ctx.now);
  copy.replication_records = [];
  destination.backups[copy.id] = copy;
  const record: Json = {
    id: recordId,
    source_backup_id: backup.id,
    source_checkpoint_id: backup.checkpoint_id,
    source_region: ctx.region,
    destination_backup_id: copy.id,
    destination_checkpoint_id: copy.checkpoint_id,
    destination_region: region,
    destination_project_id: target.destination_project_id,
    destination_vault_id: vault.id,
    source_project_id: ctx.projectId,
    vault_id: backup.vault_id,
    status: "replicating",
    created_at: cbrTime(ctx.now),
    extra_info: { progress: 0, fail_code: null, fail_reason: null, auto_trigger: false, destination_vault_id: vault.id },
  };
  backup.replication_records = [...(backup.replication_records ?? []), record];
  const log = operationLog(ctx, "replication", {
    vault: state(ctx).vaults[backup.vault_id] ?? { id: backup.vault_id, name: "" },
    checkpointId: backup.checkpoint_id,
    extra: {
      replication: {
        source_region: ctx.region,
        source_project_id: ctx.projectId,
        source_backup_id: backup.id,
        source_checkpoint_id: backup.checkpoint_id,
        source_backup_name: backup.name,
        destination_region: region,
        destination_project_id: target.destination_project_id,
        destination_backup_id: copy.id,
        destination_checkpoint_id: copy.checkpoint_id,
        destination_backup_name: copy.name,
      },
    },
  });
  ctx.store.schedule(ctx.now + ctx.durations.replicateMs, "cbr.backup.replicated", region, copy.id, {
    sourceRegion: ctx.region,
    source: backup.id,
    record: recordId,
    log: log.id,
  });
  return { backup_id: backup.id, replication_record_id: recordId };
}

export function registerCbrReplication(store: Store): void {
  store.onEvent("cbr.backup.replicated", (event) => {
    const copy = store.state.cbr[event.region].backups[event.id];
    if (copy?.status === "protecting") {
      copy.status = "available";
      copy.protected_at = cbrTime(event.at);
    }
    const source = store.state.cbr[event.data.sourceRegion as Region];
    const record = source.backups[event.data.source]?.replication_records?.find((r: Json) => r.id === event.data.record);
    if (record) {
      record.status = "success";
      record.extra_info.progress = 100;
    }
    finishLog(store, event.data.sourceRegion, event.data.log, event.at);
  });
}

function memberOf(ctx: HandlerContext, backup: Json, memberId: string): Json {
  const member = Object.values(state(ctx).members).find(
    (m) => m.backup_id === backup.id && (m.id === memberId || m.dest_project_id === memberId),
  );
  if (!member) fail(404, NOT_FOUND, `The resource does not exist: backup ${backup.id} is not shared with ${memberId}.`);
  return member;
}

export const cbrHandlers: Record<string, Handler> = {
  listVersions: (ctx) => ok(versions(ctx)),
  showVersion: (ctx) => {
    if (ctx.params.api_version !== "v3") fail(404, NOT_FOUND, `No API version ${ctx.params.api_version}; this service has v3.`);
    return ok(versions(ctx));
  },

  // ---- vaults ----
  createVault: (ctx) => {
    const input = ctx.body.vault;
    const billing = input.billing;
    const resources = (input.resources ?? []).map(resourceEntry);
    const vault: Json = {
      id: ctx.store.uuid(),
      name: input.name,
      description: input.description ?? "",
      project_id: ctx.projectId,
      provider_id: PROVIDER_ID,
      user_id: "fake0user0000000000000000000001",
      enterprise_project_id: 0,
      created_at: cbrTime(ctx.now),
      auto_bind: input.auto_bind ?? false,
      bind_rules: input.bind_rules ?? {},
      auto_expand: input.auto_expand ?? false,
      resources: [],
      tags: (input.tags ?? []).map((t: Json) => ({ key: t.key, value: t.value })),
      billing: {
        allocated: 0,
        used: 0,
        size: billing.size,
        status: "available",
        cloud_type: billing.cloud_type ?? "public",
        charging_mode: billing.charging_mode ?? "post_paid",
        consistent_level: billing.consistent_level,
        object_type: billing.object_type,
        protect_type: billing.protect_type,
        spec_code: `vault.${billing.protect_type}.${billing.object_type}.normal`,
      },
    };
    const existing = Object.values(state(ctx).vaults).filter((v) => v.project_id === ctx.projectId);
    if (existing.some((v) => v.name === vault.name))
      fail(400, BAD, `A vault named ${JSON.stringify(vault.name)} already exists in this project.`);
    checkResources(ctx, vault, resources);
    vault.resources = resources;
    state(ctx).vaults[vault.id] = vault;
    if (input.backup_policy_id) {
      const policy = policyOf(ctx, input.backup_policy_id);
      state(ctx).vaultPolicies[vault.id] = policy.id;
    }
    return ok({ vault: vaultView(ctx, vault) });
  },
  listVault: (ctx) => {
    let vaults = Object.values(state(ctx).vaults).filter((v) => v.project_id === ctx.projectId);
    vaults = filterBy(vaults, ctx.query, {
      id: eq("id"),
      name: (v, value) => v.name.includes(value),
      cloud_type: (v, value) => v.billing.cloud_type === value,
      object_type: (v, value) => v.billing.object_type === value,
      protect_type: (v, value) => v.billing.protect_type === value,
      status: (v, value) => v.billing.status === value,
      policy_id: (v, value) => state(ctx).vaultPolicies[v.id] === value,
      resource_ids: (v, value) => value.split(",").some((id) => v.resources.some((r: Json) => r.id === id)),
    });
    const { items, fields } = page(ctx, sortBy(vaults, "created_at", "desc"), BAD);
    return ok({ vaults: items.map((v) => vaultView(ctx, v)), ...fields });
  },
  showVault: (ctx) => ok({ vault: vaultView(ctx, vaultOf(ctx, ctx.params.vault_id!)) }),
  updateVault: (ctx) => {
    const vault = vaultOf(ctx, ctx.params.vault_id!);
    const input = ctx.body.vault;
    if (input.name !== undefined) vault.name = input.name;
    if (input.auto_bind !== undefined) vault.auto_bind = input.auto_bind;
    if (input.bind_rules !== undefined) vault.bind_rules = input.bind_rules;
    if (input.auto_expand !== undefined) vault.auto_expand = input.auto_expand;
    if (input.smn_notify !== undefined) vault.smn_notify = input.smn_notify;
    if (input.threshold !== undefined) vault.threshold = input.threshold;
    if (input.locked !== undefined) vault.locked = input.locked;
    if (input.billing?.size !== undefined) {
      const used = vaultView(ctx, vault).billing.used;
      if (input.billing.size < vault.billing.size && input.billing.size < used)
        fail(400, BAD, `billing.size ${input.billing.size} GB is less than the ${used} GB the vault's backups use.`);
      vault.billing.size = input.billing.size;
    }
    return ok({ vault: vaultView(ctx, vault) });
  },
  deleteVault: (ctx) => {
    const vault = vaultOf(ctx, ctx.params.vault_id!);
    if (vault.billing.status === "deleting") fail(400, BUSY, `Vault ${vault.id} is already being deleted.`);
    if (Object.values(state(ctx).backups).some((b) => b.vault_id === vault.id && ["protecting", "restoring"].includes(b.status)))
      fail(400, BUSY, `Vault ${vault.id} has backups in progress; delete it once they have finished.`);
    vault.billing.status = "deleting";
    const log = operationLog(ctx, "vault_delete", { vault, extra: { vault_delete: { fail_count: 0, total_count: 0 } } });
    ctx.store.schedule(ctx.now + ctx.durations.deleteMs, "cbr.vault.deleted", ctx.region, vault.id, { log: log.id });
    return ok(undefined, 204);
  },
  addVaultResource: (ctx) => {
    const vault = vaultOf(ctx, ctx.params.vault_id!);
    const resources = ctx.body.resources.map(resourceEntry);
    checkResources(ctx, vault, resources);
    vault.resources.push(...resources);
    return ok({ add_resource_ids: resources.map((r: Json) => r.id) });
  },
  removeVaultResource: (ctx) => {
    const vault = vaultOf(ctx, ctx.params.vault_id!);
    const ids: string[] = ctx.body.resource_ids;
    for (const id of ids)
      if (!vault.resources.some((r: Json) => r.id === id)) fail(400, BAD, `Resource ${id} is not in vault ${vault.id}.`);
    vault.resources = vault.resources.filter((r: Json) => !ids.includes(r.id));
    return ok({ remove_resource_ids: ids });
  },
  migrateVaultResource: (ctx) => {
    const vault = vaultOf(ctx, ctx.params.vault_id!);
    const destination = vaultOf(ctx, ctx.body.destination_vault_id);
    if (destination.id === vault.id) fail(400, BAD, "destination_vault_id is the vault the resources are in.");
    const ids: string[] = ctx.body.resource_ids;
    const moving = ids.map(
      (id) => vault.resources.find((r: Json) => r.id === id) ?? fail(400, BAD, `Resource ${id} is not in vault ${vault.id}.`),
    );
    if (destination.billing.object_type !== vault.billing.object_type)
      fail(400, BAD, `Vault ${destination.id} protects ${destination.billing.object_type} resources, not ${vault.billing.object_type}.`);
    vault.resources = vault.resources.filter((r: Json) => !ids.includes(r.id));
    destination.resources.push(...moving);
    for (const backup of Object.values(state(ctx).backups))
      if (backup.vault_id === vault.id && ids.includes(backup.resource_id)) backup.vault_id = destination.id;
    return ok({ migrated_resources: ids });
  },
  associateVaultPolicy: (ctx) => {
    const vault = vaultOf(ctx, ctx.params.vault_id!);
    const policy = policyOf(ctx, ctx.body.policy_id);
    const wanted = vault.billing.protect_type === "replication" ? "replication" : "backup";
    if (policy.operation_type !== "backup" && policy.operation_type !== wanted)
      fail(
        400,
        BAD,
        `Policy ${policy.id} is a ${policy.operation_type} policy; it cannot be bound to a ${vault.billing.protect_type} vault.`,
      );
    state(ctx).vaultPolicies[vault.id] = policy.id;
    return ok({ associate_policy: { vault_id: vault.id, policy_id: policy.id } });
  },
  disassociateVaultPolicy: (ctx) => {
    const vault = vaultOf(ctx, ctx.params.vault_id!);
    const policy = policyOf(ctx, ctx.body.policy_id);
    if (state(ctx).vaultPolicies[vault.id] !== policy.id) fail(400, BAD, `Policy ${policy.id} is not bound to vault ${vault.id}.`);
    delete state(ctx).vaultPolicies[vault.id];
    return ok({ dissociate_policy: { vault_id: vault.id, policy_id: policy.id } });
  },

  // ---- tags ----
  createVaultTags: (ctx) => {
    const vault = vaultOf(ctx, ctx.params.vault_id!);
    upsertTag(vault, ctx.body.tag);
    return ok(undefined, 204);
  },
  showVaultTag: (ctx) => ok({ tags: vaultOf(ctx, ctx.params.vault_id!).tags.map((t: Json) => ({ key: t.key, value: t.value ?? "" })) }),
  batchCreateAndDeleteVaultTags: (ctx) => {
    const vault = vaultOf(ctx, ctx.params.vault_id!);
    for (const tag of ctx.body.tags) {
      if (ctx.body.action === "create") upsertTag(vault, tag);
      else vault.tags = vault.tags.filter((t: Json) => !(t.key === tag.key && (tag.value === undefined || t.value === tag.value)));
    }
    return ok(undefined, 204);
  },
  deleteVaultTag: (ctx) => {
    const vault = vaultOf(ctx, ctx.params.vault_id!);
    if (!vault.tags.some((t: Json) => t.key === ctx.params.key))
      fail(404, NOT_FOUND, `Vault ${vault.id} has no tag ${JSON.stringify(ctx.params.key)}.`);
    vault.tags = vault.tags.filter((t: Json) => t.key !== ctx.params.key);
    return ok(undefined, 204);
  },
  showVaultProjectTag: (ctx) => {
    const byKey = new Map<string, Set<string>>();
    for (const vault of Object.values(state(ctx).vaults)) {
      if (vault.project_id !== ctx.projectId) continue;
      for (const tag of vault.tags) {
        const values = byKey.get(tag.key) ?? new Set<string>();
        values.add(tag.value ?? "");
        byKey.set(tag.key, values);
      }
    }
    return ok({ tags: [...byKey].map(([key, values]) => ({ key, values: [...values] })) });
  },
  showVaultResourceInstances: (ctx) => {
    const b = ctx.body;
    const vaults = Object.values(state(ctx).vaults).filter((v) => {
      if (v.project_id !== ctx.projectId) return false;
      if (b.object_type && v.billing.object_type !== b.object_type) return false;
      if (b.cloud_type && v.billing.cloud_type !== b.cloud_type) return false;
      if (b.without_any_tag) return v.tags.length === 0;
      if (!tagsMatch(v.tags, b.tags, true) || !tagsMatch(v.tags, b.tags_any, false)) return false;
      if (b.not_tags?.length && tagsMatch(v.tags, b.not_tags, true)) return false;
      if (b.not_tags_any?.length && tagsMatch(v.tags, b.not_tags_any, false)) return false;
      return (b.matches ?? []).every((m: Json) => v.name.includes(m.value));
    });
    if (b.action === "count") return ok({ total_count: vaults.length });
    const { items } = page(ctx, sortBy(vaults, "created_at", "desc"), BAD);
    return ok({
      total_count: vaults.length,
      resources: items.map((v) => ({
        resource_id: v.id,
        resource_name: v.name,
        resource_detail: { vault: vaultView(ctx, v) },
        tags: v.tags.map((t: Json) => ({ key: t.key, value: t.value ?? "" })),
      })),
    });
  },

  // ---- policies ----
  createPolicy: (ctx) => {
    const input = ctx.body.policy;
    const definition = input.operation_definition;
    if (
      definition.retention_duration_days === undefined &&
      definition.max_backups === undefined &&
      !["day_backups", "week_backups", "month_backups", "year_backups"].some((k) => definition[k] !== undefined)
    )
      fail(400, BAD, "operation_definition needs max_backups, retention_duration_days or day/week/month/year_backups.");
    if (input.operation_type === "replication" && !(definition.destination_region && definition.destination_project_id))
      fail(400, BAD, "a replication policy needs operation_definition.destination_region and destination_project_id.");
    const policy: Json = {
      id: ctx.store.uuid(),
      _project: ctx.projectId,
      name: input.name,
      enabled: input.enabled ?? true,
      operation_type: input.operation_type ?? "backup",
      operation_definition: { timezone: "UTC+01:00", ...definition },
      trigger: {
        id: ctx.store.uuid(),
        name: "default",
        type: "time",
        properties: { pattern: input.trigger.properties.pattern, start_time: cbrTime(ctx.now) },
      },
    };
    state(ctx).policies[policy.id] = policy;
    const view = policyView(ctx, policy);
    delete view.associated_vaults;
    return ok({ policy: view });
  },
  listPolicies: (ctx) => {
    let policies = Object.values(state(ctx).policies).filter((p) => p._project === ctx.projectId);
    const type = ctx.query.get("operation_type");
    if (type) policies = policies.filter((p) => p.operation_type === type);
    const vaultId = ctx.query.get("vault_id");
    if (vaultId) policies = policies.filter((p) => state(ctx).vaultPolicies[vaultId] === p.id);
    return ok({ policies: policies.map((p) => policyView(ctx, p)), count: policies.length });
  },
  showPolicy: (ctx) => ok({ policy: policyView(ctx, policyOf(ctx, ctx.params.policy_id!)) }),
  updatePolicy: (ctx) => {
    const policy = policyOf(ctx, ctx.params.policy_id!);
    const input = ctx.body.policy;
    if (input.name !== undefined) policy.name = input.name;
    if (input.enabled !== undefined) policy.enabled = input.enabled;
    if (input.operation_definition) policy.operation_definition = { ...policy.operation_definition, ...input.operation_definition };
    if (input.trigger) policy.trigger.properties.pattern = input.trigger.properties.pattern;
    return ok({ policy: policyView(ctx, policy) });
  },
  deletePolicy: (ctx) => {
    const policy = policyOf(ctx, ctx.params.policy_id!);
    for (const [vaultId, policyId] of Object.entries(state(ctx).vaultPolicies))
      if (policyId === policy.id) delete state(ctx).vaultPolicies[vaultId];
    delete state(ctx).policies[policy.id];
    return ok(undefined, 204);
  },

  // ---- restore points and backups ----
  createCheckpoint: (ctx) => {
    const input = ctx.body.checkpoint;
    const vault = vaultOf(ctx, input.vault_id);
    return ok({ checkpoint: startCheckpoint(ctx, vault, input.parameters ?? {}) });
  },
  showCheckpoint: (ctx) => {
    const checkpoint = state(ctx).checkpoints[ctx.params.checkpoint_id!];
    if (!checkpoint || checkpoint.project_id !== ctx.projectId)
      fail(404, NOT_FOUND, `The resource does not exist: no restore point ${ctx.params.checkpoint_id}.`);
    const view = structuredClone(checkpoint);
    delete view.vault.skipped_resources;
    return ok({ checkpoint: view });
  },
  listBackups: (ctx) => {
    const own = ctx.query.get("own_type") ?? "private";
    let backups = Object.values(state(ctx).backups).filter((b) =>
      own === "private"
        ? b.project_id === ctx.projectId
        : own === "shared"
          ? sharedWith(ctx, b)
          : b.project_id === ctx.projectId || sharedWith(ctx, b),
    );
    const time = (value: string) => Date.parse(value.endsWith("Z") || value.includes("+") ? value : `${value}Z`);
    backups = filterBy(backups, ctx.query, {
      checkpoint_id: eq("checkpoint_id"),
      image_type: eq("image_type"),
      name: (b, v) => b.name.includes(v),
      parent_id: eq("parent_id"),
      resource_az: eq("resource_az"),
      resource_id: eq("resource_id"),
      resource_name: (b, v) => b.resource_name.includes(v),
      resource_type: eq("resource_type"),
      vault_id: eq("vault_id"),
      start_time: (b, v) => Date.parse(b.created_at) >= time(v),
      end_time: (b, v) => Date.parse(b.created_at) <= time(v),
      member_status: (b, v) => Object.values(state(ctx).members).some((m) => m.backup_id === b.id && m.status === v),
    });
    // `status` may be repeated: any of the statuses given.
    const statuses = ctx.query.getAll("status").flatMap((s) => s.split(","));
    if (statuses.length > 0) backups = backups.filter((b) => statuses.includes(b.status));
    const { items, fields } = page(ctx, sortParam(backups, ctx.query.get("sort")), BAD);
    return ok({ backups: items.map(visible), ...fields });
  },
  showBackup: (ctx) => ok({ backup: visible(backupOf(ctx, ctx.params.backup_id!)) }),
  deleteBackup: (ctx) => {
    const backup = backupOf(ctx, ctx.params.backup_id!);
    if (backup.project_id !== ctx.projectId)
      fail(403, "BackupService.8600", `Backup ${backup.id} is shared with this project; only its owner can delete it.`);
    if (!["available", "error"].includes(backup.status))
      fail(400, BUSY, `Backup ${backup.id} is ${backup.status}; only an available or failed backup can be deleted.`);
    backup.status = "deleting";
    const vault = state(ctx).vaults[backup.vault_id] ?? { id: backup.vault_id, name: "" };
    const log = operationLog(ctx, "delete", {
      vault,
      checkpointId: backup.checkpoint_id,
      extra: { delete: { backup_id: backup.id, backup_name: backup.name } },
    });
    ctx.store.schedule(ctx.now + ctx.durations.deleteMs, "cbr.backup.deleted", ctx.region, backup.id, { log: log.id });
    return ok(undefined, 204);
  },
  restoreBackup: (ctx) => {
    const backup = backupOf(ctx, ctx.params.backup_id!);
    if (backup.status !== "available")
      fail(400, BUSY, `Backup ${backup.id} is ${backup.status}; only an available backup can be restored.`);
    const input = ctx.body.restore;
    if (backup.resource_type === "OS::Nova::Server" && input.mappings !== undefined && input.mappings.length === 0)
      fail(400, BAD, "restore.mappings must map at least one disk backup to a disk.");
    backup.status = "restoring";
    const vault = state(ctx).vaults[backup.vault_id];
    const resource = vault?.resources.find((r: Json) => r.id === backup.resource_id);
    if (resource) resource.protect_status = "restoring";
    const target = input.server_id ?? input.volume_id ?? input.resource_id ?? backup.resource_id;
    const log = operationLog(ctx, "restore", {
      vault: vault ?? { id: backup.vault_id, name: "" },
      checkpointId: backup.checkpoint_id,
      extra: {
        restore: {
          backup_id: backup.id,
          backup_name: backup.name,
          target_resource_id: target,
          target_resource_name: resource?.name ?? target,
        },
        resource: { id: backup.resource_id, name: backup.resource_name, type: backup.resource_type },
      },
    });
    ctx.store.schedule(ctx.now + ctx.durations.restoreMs, "cbr.backup.restored", ctx.region, backup.id, { log: log.id });
    return ok(undefined, 202);
  },
  copyBackup: (ctx) => {
    const backup = backupOf(ctx, ctx.params.backup_id!);
    const input = ctx.body.replicate;
    const done = replicate(ctx, backup, input);
    return ok({
      replication: {
        ...done,
        destination_project_id: input.destination_project_id,
        destination_region: input.destination_region,
        destination_vault_id: input.destination_vault_id,
        project_id: ctx.projectId,
        provider_id: PROVIDER_ID,
        source_region: ctx.region,
      },
    });
  },
  copyCheckpoint: (ctx) => {
    const input = ctx.body.replicate;
    const vault = vaultOf(ctx, input.vault_id);
    const backups = Object.values(state(ctx).backups).filter((b) => b.vault_id === vault.id && b.status === "available");
    if (backups.length === 0) fail(400, BAD, `Vault ${vault.id} has no available backups to replicate.`);
    const done = backups.map((b) => replicate(ctx, b, input));
    return ok({
      replication: {
        backups: done,
        destination_project_id: input.destination_project_id,
        destination_region: input.destination_region,
        destination_vault_id: input.destination_vault_id,
        project_id: ctx.projectId,
        provider_id: PROVIDER_ID,
        source_region: ctx.region,
        vault_id: vault.id,
      },
    });
  },
  showReplicationCapabilities: (ctx) =>
    ok({ regions: [{ name: ctx.region, replication_destinations: REGIONS.filter((r) => r !== ctx.region) }] }),

  // ---- tasks (operation logs) ----
  listOpLogs: (ctx) => {
    let logs = Object.values(state(ctx).operationLogs).filter((l) => l.project_id === ctx.projectId);
    const time = (value: string) => Date.parse(value.endsWith("Z") || value.includes("+") ? value : `${value}Z`);
    logs = filterBy(logs, ctx.query, {
      operation_type: eq("operation_type"),
      status: eq("status"),
      vault_id: eq("vault_id"),
      vault_name: eq("vault_name"),
      provider_id: eq("provider_id"),
      resource_id: (l, v) => l.extra_info?.resource?.id === v,
      resource_name: (l, v) => l.extra_info?.resource?.name === v,
      start_time: (l, v) => Date.parse(l.created_at) >= time(v),
      end_time: (l, v) => Date.parse(l.created_at) <= time(v),
    });
    const { items, fields } = page(ctx, sortBy(logs, "created_at", "desc"), BAD);
    return ok({ operation_logs: items, ...fields });
  },
  showOpLog: (ctx) => {
    const log = state(ctx).operationLogs[ctx.params.operation_log_id!];
    if (!log || log.project_id !== ctx.projectId)
      fail(404, OPLOG_NOT_FOUND, `Operation log does not exist: no task ${ctx.params.operation_log_id}.`);
    return ok({ operation_log: log });
  },

  // ---- sharing ----
  addMember: (ctx) => {
    const backup = backupOf(ctx, ctx.params.backup_id!);
    if (backup.status !== "available") fail(400, BUSY, `Backup ${backup.id} is ${backup.status}; only an available backup can be shared.`);
    const added = (ctx.body.members as string[]).map((project) => {
      if (project === ctx.projectId) fail(400, BAD, "A backup cannot be shared with its own project.");
      const existing = Object.values(state(ctx).members).find((m) => m.backup_id === backup.id && m.dest_project_id === project);
      if (existing) return existing;
      const member: Json = {
        id: ctx.store.uuid(),
        backup_id: backup.id,
        dest_project_id: project,
        status: "pending",
        created_at: cbrTime(ctx.now),
        updated_at: cbrTime(ctx.now),
        image_id: ctx.store.uuid(),
        vault_id: null,
      };
      state(ctx).members[member.id] = member;
      return member;
    });
    return ok({ members: added });
  },
  showMembersDetail: (ctx) => {
    const backup = backupOf(ctx, ctx.params.backup_id!);
    let members = Object.values(state(ctx).members).filter((m) => m.backup_id === backup.id);
    members = filterBy(members, ctx.query, {
      dest_project_id: eq("dest_project_id"),
      image_id: eq("image_id"),
      status: eq("status"),
      vault_id: eq("vault_id"),
    });
    const { items, fields } = page(ctx, sortParam(members, ctx.query.get("sort")), BAD);
    return ok({ members: items, ...fields });
  },
  showMemberDetail: (ctx) => ok({ member: memberOf(ctx, backupOf(ctx, ctx.params.backup_id!), ctx.params.member_id!) }),
  updateMemberStatus: (ctx) => {
    const member = memberOf(ctx, backupOf(ctx, ctx.params.backup_id!), ctx.params.member_id!);
    if (ctx.body.status === "accepted" && !ctx.body.vault_id)
      fail(400, BAD, "Accepting a shared backup needs vault_id: the vault to store it in.");
    member.status = ctx.body.status;
    if (ctx.body.vault_id) member.vault_id = ctx.body.vault_id;
    member.updated_at = cbrTime(ctx.now);
    return ok({ member });
  },
  deleteMember: (ctx) => {
    const member = memberOf(ctx, backupOf(ctx, ctx.params.backup_id!), ctx.params.member_id!);
    delete state(ctx).members[member.id];
    return ok(undefined, 204);
  },
};

function upsertTag(vault: Json, tag: Json): void {
  const existing = vault.tags.find((t: Json) => t.key === tag.key);
  if (existing) existing.value = tag.value ?? "";
  else {
    if (vault.tags.length >= 10) fail(400, BAD, `Vault ${vault.id} already has 10 tags, the most a vault can have.`);
    vault.tags.push({ key: tag.key, value: tag.value ?? "" });
  }
}

function versions(ctx: HandlerContext): Json {
  return { versions: [{ id: "v3", status: "CURRENT", links: [{ href: `${ctx.baseUrl}/v3/`, rel: "self" }] }] };
}

export function registerCbr(store: Store, _spec: LoadedSpec): void {
  registerCbrEvents(store);
  registerCbrReplication(store);
}
