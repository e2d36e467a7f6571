// VBS's semantics: backups of disks made through `cloudbackups` (jobs at /v1/{project_id}/jobs)
// or the OpenStack-native v2/v3 APIs, moving from `creating` to `available` as simulated time
// passes; backup policies with their disks, tags and tasks; sharing; quotas.
import { type Handler, type HandlerContext, type Reply } from "./context.js";
import { FakeError, fail } from "./errors.js";
import { page, sortBy } from "./paging.js";
import type { Json } from "./spec.js";
import { HISTORY_LIMIT, keepNewest, vbsTime, type Region, type Store, type VbsState } from "./store.js";

const BAD = "VolumeBackup.0002";
const NOT_FOUND = "VolumeBackup.0005";
const POLICY_NOT_FOUND = "AutoBackup.0205";
const POLICY_BUSY = "AutoBackup.0225";
const MAX_POLICIES = 10;
/** Backups a project may hold (reported by showQuotas). */
export const BACKUP_QUOTA = 100;

const ok = (body?: unknown, status = 200): Reply => ({ status, body });
const state = (ctx: { store: Store; region: Region }): VbsState => ctx.store.state.vbs[ctx.region];
/** A native API's error: OpenStack faults carry the status as their code. */
const nativeFail = (status: number, message: string): never => fail(status, String(status), message);

function backupOf(ctx: HandlerContext, id: string, native: boolean): Json {
  const backup = state(ctx).backups[id];
  const visible = backup && (backup._project === ctx.projectId || sharedWith(ctx, backup.id));
  if (!visible)
    return native
      ? nativeFail(404, `Backup ${id} could not be found.`)
      : fail(404, NOT_FOUND, `The backup does not exist: no backup ${id} in this project.`);
  return backup;
}

function sharedWith(ctx: HandlerContext, backupId: string): boolean {
  return Object.values(state(ctx).sharings).some((s) => s.backup_id === backupId && s.to_project_id === ctx.projectId);
}

function policyOf(ctx: HandlerContext, id: string): Json {
  const policy = state(ctx).policies[id];
  if (!policy || policy._project !== ctx.projectId)
    fail(404, POLICY_NOT_FOUND, `The policy does not exist: no backup policy ${id} in this project.`);
  return policy;
}

function links(ctx: HandlerContext, version: string, id: string): Json[] {
  const origin = ctx.baseUrl;
  return [
    { href: `${origin}/${version}/${ctx.projectId}/backups/${id}`, rel: "self" },
    { href: `${origin}/${ctx.projectId}/backups/${id}`, rel: "bookmark" },
  ];
}

/** The native detail view of a backup, for API version `v2` or `v3`. */
function detail(ctx: HandlerContext, backup: Json, version: "v2" | "v3"): Json {
  const view: Json = {};
  for (const [k, v] of Object.entries(backup)) if (!k.startsWith("_")) view[k] = v;
  view.links = links(ctx, version, backup.id);
  view[version === "v2" ? "os-bak-tenant-attr:tenant_id" : "os-backup-project-attr:project_id"] = backup._project;
  return view;
}

function summary(ctx: HandlerContext, backup: Json, version: "v2" | "v3"): Json {
  return { id: backup.id, name: backup.name, links: links(ctx, version, backup.id) };
}

function newBackup(ctx: HandlerContext, input: Json): Json {
  const own = Object.values(state(ctx).backups).filter((b) => b._project === ctx.projectId);
  if (own.length >= BACKUP_QUOTA)
    fail(400, "VolumeBackup.0012", `The backup quota of ${BACKUP_QUOTA} backups is used up; delete backups first.`);
  const now = vbsTime(ctx.now);
  const previous = own.some((b) => b.volume_id === input.volume_id && b.status === "available");
  const backup: Json = {
    id: ctx.store.uuid(),
    _project: ctx.projectId,
    _tags: input.tags ?? [],
    name: input.name ?? null,
    description: input.description ?? null,
    status: "creating",
    availability_zone: `${ctx.region}-01`,
    volume_id: input.volume_id,
    snapshot_id: input.snapshot_id ?? ctx.store.uuid(),
    fail_reason: null,
    size: 10,
    object_count: 0,
    container: "volumebackups",
    created_at: now,
    updated_at: now,
    data_timestamp: now,
    has_dependent_backups: false,
    is_incremental: previous && input.incremental !== false && input.extend_param?.FullBackup !== "true",
    service_metadata: null,
    metadata: {},
  };
  state(ctx).backups[backup.id] = backup;
  return backup;
}

function settleAfter(ctx: HandlerContext, backup: Json, type: "created" | "restored" | "deleted", job?: string): void {
  const duration = type === "deleted" ? ctx.durations.deleteMs : type === "restored" ? ctx.durations.restoreMs : ctx.durations.backupMs;
  ctx.store.schedule(ctx.now + duration, `vbs.backup.${type}`, ctx.region, backup.id, job ? { job } : undefined);
}

function newJob(ctx: HandlerContext, type: string, entities: Json): Json {
  const job: Json = {
    job_id: ctx.store.hexId(),
    _project: ctx.projectId,
    job_type: type,
    status: "INIT",
    entities,
    begin_time: new Date(ctx.now).toISOString(),
    end_time: null,
    error_code: null,
    fail_reason: null,
  };
  state(ctx).jobs[job.job_id] = job;
  keepNewest(state(ctx).jobs, HISTORY_LIMIT);
  ctx.store.schedule(ctx.now + Math.min(1000, ctx.durations.backupMs), "vbs.job.running", ctx.region, job.job_id);
  return job;
}

function finishJob(store: Store, region: Region, id: string | undefined, at: number): void {
  const job = id ? store.state.vbs[region].jobs[id] : undefined;
  if (!job) return;
  job.status = "SUCCESS";
  job.end_time = new Date(at).toISOString();
}

export function registerVbsEvents(store: Store): void {
  store.onEvent("vbs.job.running", (event) => {
    const job = store.state.vbs[event.region].jobs[event.id];
    if (job?.status === "INIT") job.status = "RUNNING";
  });
  store.onEvent("vbs.backup.created", (event) => {
    const backup = store.state.vbs[event.region].backups[event.id];
    if (backup?.status === "creating") {
      backup.status = "available";
      backup.updated_at = vbsTime(event.at);
    }
    finishJob(store, event.region, event.data?.job, event.at);
    const task = event.data?.task && findTask(store.state.vbs[event.region], event.data.task);
    if (task) {
      task.status = "EXECUTE_SUCCESS";
      task.finished_at = vbsTime(event.at);
    }
  });
  store.onEvent("vbs.backup.restored", (event) => {
    const backup = store.state.vbs[event.region].backups[event.id];
    if (backup?.status === "restoring") backup.status = "available";
    finishJob(store, event.region, event.data?.job, event.at);
  });
  store.onEvent("vbs.backup.deleted", (event) => {
    const s = store.state.vbs[event.region];
    delete s.backups[event.id];
    for (const [id, sharing] of Object.entries(s.sharings)) if (sharing.backup_id === event.id) delete s.sharings[id];
    finishJob(store, event.region, event.data?.job, event.at);
  });
}

function findTask(s: VbsState, jobId: string): Json | undefined {
  for (const tasks of Object.values(s.policyTasks)) {
    const task = tasks.find((t) => t.job_id === jobId);
    if (task) return task;
  }
  return undefined;
}

function checkBackupName(name: unknown): void {
  if (typeof name === "string" && name.startsWith("autobk"))
    fail(
      400,
      "VolumeBackup.0006",
      `Backup name ${JSON.stringify(name)} starts with autobk, a prefix reserved for backups made by policies.`,
    );
}

function nativeList(ctx: HandlerContext, version: "v2" | "v3", details: boolean): Reply {
  let backups = Object.values(state(ctx).backups).filter((b) => b._project === ctx.projectId);
  const q = ctx.query;
  const exact: Array<[string, string]> = [
    ["name", "name"],
    ["status", "status"],
    ["volume_id", "volume_id"],
  ];
  for (const [param, key] of exact) {
    const value = q.get(param);
    if (value) backups = backups.filter((b) => b[key] === value);
    const fuzzy = q.get(`${param}~`);
    if (fuzzy) backups = backups.filter((b) => String(b[key] ?? "").includes(fuzzy));
  }
  let key = q.get("sort_key") ?? "created_at";
  let dir = (q.get("sort_dir") ?? "desc") as "asc" | "desc";
  const sort = q.get("sort");
  if (sort) [key, dir] = [sort.split(",")[0]!.split(":")[0]!, (sort.split(",")[0]!.split(":")[1] ?? "desc") as "asc" | "desc"];
  const { items, fields } = page(ctx, sortBy(backups, key, dir), "400");
  if (version === "v3" && q.get("with_count") !== "true") delete fields.count;
  return ok({ backups: items.map((b) => (details ? detail(ctx, b, version) : summary(ctx, b, version))), ...fields });
}

function createNative(ctx: HandlerContext, version: "v2" | "v3"): Reply {
  const input = ctx.body.backup;
  try {
    checkBackupName(input.name);
  } catch (error) {
    if (error instanceof FakeError) nativeFail(400, `Invalid input received: ${error.message}`);
    throw error;
  }
  const backup = newBackup(ctx, input);
  settleAfter(ctx, backup, "created");
  return ok({ backup: summary(ctx, backup, version) }, 202);
}

function deleteNative(ctx: HandlerContext): Reply {
  const backup = backupOf(ctx, ctx.params.backup_id!, true);
  if (!["available", "error"].includes(backup.status))
    nativeFail(409, `Invalid backup: Backup status must be available or error, not ${backup.status}.`);
  backup.status = "deleting";
  settleAfter(ctx, backup, "deleted");
  return ok(undefined, 202);
}

function restoreNative(ctx: HandlerContext): Reply {
  const backup = backupOf(ctx, ctx.params.backup_id!, true);
  if (backup.status !== "available") nativeFail(409, `Invalid backup: Backup status must be available, not ${backup.status}.`);
  backup.status = "restoring";
  settleAfter(ctx, backup, "restored");
  const input = ctx.body.restore;
  return ok(
    { restore: { backup_id: backup.id, volume_id: input.volume_id, volume_name: input.name ?? `restore_backup_${backup.id}` } },
    202,
  );
}

function policyView(ctx: HandlerContext, policy: Json): Json {
  return {
    backup_policy_id: policy.backup_policy_id,
    backup_policy_name: policy.backup_policy_name,
    scheduled_policy: policy.scheduled_policy,
    policy_resource_count: (state(ctx).policyResources[policy.backup_policy_id] ?? []).length,
    ...(policy.time_zone ? { time_zone: policy.time_zone } : {}),
  };
}

function upsertPolicyTag(policy: Json, tag: Json): void {
  const existing = policy._tags.find((t: Json) => t.key === tag.key);
  if (existing) existing.value = tag.value ?? "";
  else {
    if (policy._tags.length >= 10)
      fail(400, BAD, `Backup policy ${policy.backup_policy_id} already has 10 tags, the most a policy can have.`);
    policy._tags.push({ key: tag.key, value: tag.value ?? "" });
  }
}

function tagsMatch(tags: Json[], filters: Json[] | undefined, every: boolean): boolean {
  if (!filters || filters.length === 0) return true;
  const test = (f: Json) => tags.some((t) => t.key === f.key && (f.values.length === 0 || f.values.includes(t.value)));
  return every ? filters.every(test) : filters.some(test);
}

function sharingView(ctx: HandlerContext, sharing: Json): Json {
  const backup = state(ctx).backups[sharing.backup_id];
  const b = backup ?? {};
  return {
    id: sharing.id,
    backup_id: sharing.backup_id,
    from_project_id: sharing.from_project_id,
    to_project_id: sharing.to_project_id,
    created_at: sharing.created_at,
    updated_at: sharing.updated_at,
    backup: {
      id: sharing.backup_id,
      name: b.name ?? "",
      status: b.status ?? "deleted",
      availability_zone: b.availability_zone ?? null,
      container: b.container ?? null,
      object_count: b.object_count ?? null,
      size: b.size ?? 0,
      snapshot_id: b.snapshot_id ?? null,
      volume_id: b.volume_id ?? "",
      created_at: b.created_at ?? null,
      updated_at: b.updated_at ?? null,
      data_timestamp: b.data_timestamp ?? null,
      description: b.description ?? null,
      fail_reason: b.fail_reason ?? null,
      has_dependent_backups: b.has_dependent_backups ?? null,
      is_incremental: b.is_incremental ?? null,
      service_metadata: null,
    },
  };
}

function sharingsOf(ctx: HandlerContext): Json[] {
  const q = ctx.query;
  const toMe = q.get("share_to_me") === "true";
  let list = Object.values(state(ctx).sharings).filter((s) =>
    toMe ? s.to_project_id === ctx.projectId : s.from_project_id === ctx.projectId,
  );
  const backupField = (key: string) => (s: Json, value: string) => String(state(ctx).backups[s.backup_id]?.[key]) === value;
  const filters: Record<string, (s: Json, value: string) => boolean> = {
    backup_id: (s, v) => s.backup_id === v,
    from_project_id: (s, v) => s.from_project_id === v,
    to_project_id: (s, v) => s.to_project_id === v,
    volume_id: backupField("volume_id"),
    name: backupField("name"),
    status: backupField("status"),
    availability_zone: backupField("availability_zone"),
    avalilability_zone: backupField("availability_zone"),
  };
  for (const [name, test] of Object.entries(filters)) {
    const value = q.get(name);
    if (value) list = list.filter((s) => test(s, value));
  }
  return sortBy(list, q.get("sort_key") ?? "created_at", (q.get("sort_dir") ?? "desc") as "asc" | "desc");
}

export const vbsHandlers: Record<string, Handler> = {
  // ---- cloudbackups and jobs ----
  createCloudBackup: (ctx) => {
    const input = ctx.body.backup;
    checkBackupName(input.name);
    const busy = Object.values(state(ctx).backups).some(
      (b) => b.volume_id === input.volume_id && ["creating", "restoring"].includes(b.status),
    );
    if (busy) fail(400, "VolumeBackup.0100", `Disk ${input.volume_id} is being backed up or restored; try again when that has finished.`);
    const backup = newBackup(ctx, input);
    const job = newJob(ctx, "bksCreateBackup", {
      backup_id: backup.id,
      volume_id: backup.volume_id,
      snapshot_id: backup.snapshot_id,
      bks_create_volume_name: backup.name,
    });
    settleAfter(ctx, backup, "created", job.job_id);
    return ok({ job_id: job.job_id });
  },
  deleteCloudBackup: (ctx) => {
    const backup = backupOf(ctx, ctx.params.backup_id!, false);
    if (backup._project !== ctx.projectId)
      fail(403, "VolumeBackup.0042", `Backup ${backup.id} is shared with this project; only its owner can delete it.`);
    if (!["available", "error"].includes(backup.status))
      fail(400, "VolumeBackup.0105", `Backup ${backup.id} is ${backup.status}; only an available or failed backup can be deleted.`);
    backup.status = "deleting";
    const job = newJob(ctx, "bksDeleteBackup", { backup_id: backup.id });
    settleAfter(ctx, backup, "deleted", job.job_id);
    return ok({ job_id: job.job_id });
  },
  restoreCloudBackup: (ctx) => {
    const backup = backupOf(ctx, ctx.params.backup_id!, false);
    if (backup.status !== "available")
      fail(400, "VolumeBackup.0210", `Backup ${backup.id} is ${backup.status}; only an available backup can be restored.`);
    backup.status = "restoring";
    const job = newJob(ctx, "bksRestoreBackup", { backup_id: backup.id, volume_id: ctx.body.restore.volume_id });
    settleAfter(ctx, backup, "restored", job.job_id);
    return ok({ job_id: job.job_id });
  },
  showJob: (ctx) => {
    const job = state(ctx).jobs[ctx.params.job_id!];
    if (!job || job._project !== ctx.projectId)
      fail(404, NOT_FOUND, `The job does not exist: no job ${ctx.params.job_id} in this project.`);
    const view: Json = {};
    for (const [k, v] of Object.entries(job)) if (!k.startsWith("_")) view[k] = v;
    return ok(view);
  },
  showQuotas: (ctx) => {
    const own = Object.values(state(ctx).backups).filter((b) => b._project === ctx.projectId);
    return ok({
      quotas: {
        resources: [
          { type: "backups", used: own.length, reserved: 0, quota: BACKUP_QUOTA },
          { type: "backup_gigabytes", used: own.reduce((sum, b) => sum + b.size, 0), reserved: 0, quota: -1 },
        ],
      },
    });
  },

  // ---- native v2 and v3 ----
  listNativeBackupsV2: (ctx) => nativeList(ctx, "v2", false),
  listNativeBackupDetailsV2: (ctx) => nativeList(ctx, "v2", true),
  listNativeBackups: (ctx) => nativeList(ctx, "v3", false),
  listNativeBackupDetails: (ctx) => nativeList(ctx, "v3", true),
  createNativeBackupV2: (ctx) => createNative(ctx, "v2"),
  createNativeBackup: (ctx) => createNative(ctx, "v3"),
  showNativeBackupV2: (ctx) => ok({ backup: detail(ctx, backupOf(ctx, ctx.params.backup_id!, true), "v2") }),
  showNativeBackup: (ctx) => ok({ backup: detail(ctx, backupOf(ctx, ctx.params.backup_id!, true), "v3") }),
  deleteNativeBackupV2: deleteNative,
  deleteNativeBackup: deleteNative,
  restoreNativeBackupV2: restoreNative,
  restoreNativeBackup: restoreNative,

  // ---- policies ----
  createBackupPolicy: (ctx) => {
    const input = ctx.body;
    const own = Object.values(state(ctx).policies).filter((p) => p._project === ctx.projectId);
    if (own.length >= MAX_POLICIES)
      fail(400, "AutoBackup.0202", `This project already has ${MAX_POLICIES} backup policies, the most it can have.`);
    if (own.some((p) => p.backup_policy_name === input.backup_policy_name))
      fail(400, "AutoBackup.0201", `A backup policy named ${JSON.stringify(input.backup_policy_name)} already exists.`);
    if (/[<>]/.test(JSON.stringify(input)))
      fail(400, "AutoBackup.0221", "The request cannot contain less-than signs (<) or greater-than signs (>).");
    const policy: Json = {
      backup_policy_id: ctx.store.uuid(),
      _project: ctx.projectId,
      _tags: (input.tags ?? []).map((t: Json) => ({ key: t.key, value: t.value })),
      backup_policy_name: input.backup_policy_name,
      scheduled_policy: { ...input.scheduled_policy },
      time_zone: input.time_zone,
    };
    state(ctx).policies[policy.backup_policy_id] = policy;
    state(ctx).policyResources[policy.backup_policy_id] = [];
    return ok({ backup_policy_id: policy.backup_policy_id });
  },
  listBackupPolicies: (ctx) => {
    const policies = sortBy(
      Object.values(state(ctx).policies).filter((p) => p._project === ctx.projectId),
      "backup_policy_name",
      "asc",
    );
    const { items, fields } = page(ctx, policies, BAD, (p) => p.backup_policy_id);
    return ok({ backup_policies: items.map((p) => policyView(ctx, p)), ...fields });
  },
  updateBackupPolicy: (ctx) => {
    const policy = policyOf(ctx, ctx.params.policy_id!);
    const input = ctx.body;
    if (input.backup_policy_name !== undefined) policy.backup_policy_name = input.backup_policy_name;
    if (input.scheduled_policy) policy.scheduled_policy = { ...policy.scheduled_policy, ...input.scheduled_policy };
    if (input.time_zone !== undefined) policy.time_zone = input.time_zone;
    return ok({ backup_policy_id: policy.backup_policy_id });
  },
  deleteBackupPolicy: (ctx) => {
    const policy = policyOf(ctx, ctx.params.policy_id!);
    delete state(ctx).policies[policy.backup_policy_id];
    delete state(ctx).policyResources[policy.backup_policy_id];
    delete state(ctx).policyTasks[policy.backup_policy_id];
    return ok(undefined, 204);
  },
  executeBackupPolicy: (ctx) => {
    const policy = policyOf(ctx, ctx.params.policy_id!);
    const tasks = (state(ctx).policyTasks[policy.backup_policy_id] ??= []);
    if (tasks.some((t) => t.status === "RUNNING")) fail(409, POLICY_BUSY, `Backup policy ${policy.backup_policy_id} is being executed.`);
    for (const volume of state(ctx).policyResources[policy.backup_policy_id] ?? []) {
      const backup = newBackup(ctx, { volume_id: volume, name: `autobk_${ctx.store.hexId().slice(0, 4)}` });
      const task: Json = {
        job_id: ctx.store.uuid(),
        status: "RUNNING",
        created_at: vbsTime(ctx.now),
        backup_name: backup.name,
        resource_id: volume,
        resource_type: "volume",
      };
      tasks.push(task);
      if (tasks.length > HISTORY_LIMIT) tasks.splice(0, tasks.length - HISTORY_LIMIT);
      ctx.store.schedule(ctx.now + ctx.durations.backupMs, "vbs.backup.created", ctx.region, backup.id, { task: task.job_id });
    }
    return ok(undefined, 204);
  },
  listBackupPolicyTasks: (ctx) => {
    const policy = policyOf(ctx, ctx.params.policy_id!);
    let tasks = state(ctx).policyTasks[policy.backup_policy_id] ?? [];
    for (const name of ["job_id", "status"]) {
      const value = ctx.query.get(name);
      if (value) tasks = tasks.filter((t) => t[name] === value);
    }
    const sorted = sortBy(tasks, ctx.query.get("sort_key") ?? "created_at", (ctx.query.get("sort_dir") ?? "desc") as "asc" | "desc");
    const { items, fields } = page(ctx, sorted, BAD, (t) => t.job_id);
    return ok({ tasks: items, ...fields });
  },
  associateBackupPolicyResources: (ctx) => {
    const policy = policyOf(ctx, ctx.body.backup_policy_id);
    const bound = state(ctx).policyResources;
    const success: Json[] = [];
    const failed: Json[] = [];
    for (const { resource_id } of ctx.body.resources) {
      const holder = Object.entries(bound).find(([, volumes]) => volumes.includes(resource_id));
      const base = {
        resource_id,
        resource_type: "volume",
        availability_zone: `${ctx.region}-01`,
        os_vol_host_attr: `pod01.${ctx.region}-01`,
      };
      if (holder)
        failed.push({ ...base, code: "AutoBackup.0206", message: `The disk is already associated with backup policy ${holder[0]}.` });
      else {
        bound[policy.backup_policy_id]!.push(resource_id);
        success.push(base);
      }
    }
    return ok({ success_resources: success, fail_resources: failed });
  },
  disassociateBackupPolicyResources: (ctx) => {
    const policy = policyOf(ctx, ctx.params.policy_id!);
    const volumes = state(ctx).policyResources[policy.backup_policy_id]!;
    const success: Json[] = [];
    const failed: Json[] = [];
    for (const { resource_id } of ctx.body.resources) {
      const at = volumes.indexOf(resource_id);
      if (at < 0)
        failed.push({
          resource_id,
          resource_type: "volume",
          code: "AutoBackup.0207",
          message: `The disk is not associated with backup policy ${policy.backup_policy_id}.`,
        });
      else {
        volumes.splice(at, 1);
        success.push({ resource_id });
      }
    }
    return ok({ success_resources: success, fail_resources: failed });
  },

  // ---- policy tags ----
  createBackupPolicyTag: (ctx) => {
    upsertPolicyTag(policyOf(ctx, ctx.params.policy_id!), ctx.body.tag);
    return ok(undefined, 204);
  },
  listBackupPolicyTags: (ctx) => ok({ tags: policyOf(ctx, ctx.params.policy_id!)._tags }),
  batchUpdateBackupPolicyTags: (ctx) => {
    const policy = policyOf(ctx, ctx.params.policy_id!);
    for (const tag of ctx.body.tags) {
      if (ctx.body.action === "delete")
        policy._tags = policy._tags.filter((t: Json) => !(t.key === tag.key && (tag.value === undefined || t.value === tag.value)));
      else upsertPolicyTag(policy, tag);
    }
    return ok(undefined, 204);
  },
  deleteBackupPolicyTag: (ctx) => {
    const policy = policyOf(ctx, ctx.params.policy_id!);
    if (!policy._tags.some((t: Json) => t.key === ctx.params.key))
      fail(404, "AutoBackup.0204", `Backup policy ${policy.backup_policy_id} has no tag ${JSON.stringify(ctx.params.key)}.`);
    policy._tags = policy._tags.filter((t: Json) => t.key !== ctx.params.key);
    return ok(undefined, 204);
  },
  listBackupPolicyProjectTags: (ctx) => {
    const byKey = new Map<string, Set<string>>();
    for (const policy of Object.values(state(ctx).policies)) {
      if (policy._project !== ctx.projectId) continue;
      for (const tag of policy._tags) byKey.set(tag.key, (byKey.get(tag.key) ?? new Set()).add(tag.value));
    }
    return ok({ tags: [...byKey].map(([key, values]) => ({ key, values: [...values] })) });
  },
  listBackupPoliciesByTags: (ctx) => {
    const b = ctx.body;
    const policies = Object.values(state(ctx).policies).filter((p) => {
      if (p._project !== ctx.projectId) return false;
      if (!tagsMatch(p._tags, b.tags, true) || !tagsMatch(p._tags, b.tags_any, false)) return false;
      if (b.not_tags?.length && tagsMatch(p._tags, b.not_tags, true)) return false;
      if (b.not_tags_any?.length && tagsMatch(p._tags, b.not_tags_any, false)) return false;
      return (b.matches ?? []).every((m: Json) => p.backup_policy_name.includes(m.value));
    });
    if (b.action === "count") return ok({ total_count: policies.length });
    const { items } = page(ctx, sortBy(policies, "backup_policy_name", "asc"), BAD, (p) => p.backup_policy_id);
    return ok({
      total_count: policies.length,
      resources: items.map((p) => ({
        resource_id: p.backup_policy_id,
        resource_name: p.backup_policy_name,
        resource_detail: null,
        tags: p._tags,
      })),
    });
  },

  // ---- sharing ----
  createBackupSharing: (ctx) => {
    const input = ctx.body.shared;
    const backup = backupOf(ctx, input.backup_id, false);
    if (backup._project !== ctx.projectId)
      fail(403, "VolumeBackup.0042", `Backup ${backup.id} belongs to another project; only its owner can share it.`);
    if (backup.status !== "available") fail(400, BAD, `Backup ${backup.id} is ${backup.status}; only an available backup can be shared.`);
    const records = (input.to_project_ids as string[]).map((to) => {
      if (to === ctx.projectId) fail(400, BAD, "A backup cannot be shared with its own project.");
      if (Object.values(state(ctx).sharings).some((s) => s.backup_id === backup.id && s.to_project_id === to))
        fail(400, BAD, `Backup ${backup.id} is already shared with project ${to}.`);
      const record: Json = {
        id: ctx.store.uuid(),
        backup_id: backup.id,
        from_project_id: ctx.projectId,
        to_project_id: to,
        created_at: vbsTime(ctx.now),
        updated_at: null,
      };
      state(ctx).sharings[record.id] = record;
      return { ...record, deleted: false, deleted_at: null };
    });
    return ok({ shared: records });
  },
  countBackupSharings: (ctx) => ok({ count: sharingsOf(ctx).length }),
  listBackupSharingDetails: (ctx) => {
    const { items, fields } = page(ctx, sharingsOf(ctx), BAD);
    return ok({ shared: items.map((s) => sharingView(ctx, s)), ...fields });
  },
  showBackupSharing: (ctx) => {
    const sharing = state(ctx).sharings[ctx.params.id!];
    if (!sharing || (sharing.from_project_id !== ctx.projectId && sharing.to_project_id !== ctx.projectId))
      fail(404, NOT_FOUND, `The backup sharing does not exist: no sharing ${ctx.params.id}.`);
    return ok({ shared: sharingView(ctx, sharing) });
  },
  deleteBackupSharing: (ctx) => {
    const id = ctx.params.id!;
    const byBackup = ctx.query.get("is_backup_id") === "true";
    const doomed = Object.values(state(ctx).sharings).filter(
      (s) => s.from_project_id === ctx.projectId && (byBackup ? s.backup_id === id : s.id === id),
    );
    if (doomed.length === 0)
      fail(404, NOT_FOUND, byBackup ? `Backup ${id} is not shared.` : `The backup sharing does not exist: no sharing ${id}.`);
    for (const sharing of doomed) delete state(ctx).sharings[sharing.id];
    return ok(undefined, 200);
  },
};
