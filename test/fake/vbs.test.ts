// Every VBS operation against the fake, with the state each one leaves checked by the next.
import { afterAll, describe, expect, test } from "vitest";
import { paginate, unwrap, waitFor, waitForBackup, waitForJob } from "../../src/index.js";
import { VOLUME, VOLUME_2, clientsOf, uncovered, useFake } from "./support.js";

const fakeOf = useFake();

// Every operation of the service answers with success at least once in this file.
afterAll(() => {
  expect(uncovered(fakeOf().exchanges, "vbs")).toEqual([]);
});

describe("VBS on the fake", () => {
  test("cloudbackups: create, restore and delete through jobs; quotas", async () => {
    const { fake } = fakeOf();
    const { vbs } = await clientsOf(fake);
    const before = unwrap(await vbs.showQuotas()).quotas.resources.find((r) => r.type === "backups")!;
    const { job_id } = unwrap(
      await vbs.createCloudBackup({ body: { backup: { volume_id: VOLUME, name: "nightly-1", description: "disk of the database" } } }),
    );
    expect(unwrap(await vbs.showJob({ path: { job_id } })).status).toBe("INIT");
    fake.advance(2_000);
    expect(unwrap(await vbs.showJob({ path: { job_id } })).status).toBe("RUNNING");
    const job = await waitForJob(vbs, job_id, { clock: fake.clock });
    expect(job).toMatchObject({ status: "SUCCESS", job_type: "bksCreateBackup" });
    const backupId = String(job.entities.backup_id);
    expect(unwrap(await vbs.showNativeBackup({ path: { backup_id: backupId } })).backup).toMatchObject({
      status: "available",
      volume_id: VOLUME,
      name: "nightly-1",
    });
    expect(unwrap(await vbs.showQuotas()).quotas.resources.find((r) => r.type === "backups")!.used).toBe(before.used + 1);

    const reserved = await vbs.createCloudBackup({ body: { backup: { volume_id: VOLUME, name: "autobk_mine" } } });
    expect(reserved.response.status).toBe(400);
    expect(reserved.error).toMatchObject({ error: { code: expect.stringMatching(/^VolumeBackup\./) } });

    const restore = unwrap(await vbs.restoreCloudBackup({ path: { backup_id: backupId }, body: { restore: { volume_id: VOLUME_2 } } }));
    expect(unwrap(await vbs.showNativeBackupV2({ path: { backup_id: backupId } })).backup.status).toBe("restoring");
    expect((await waitForJob(vbs, restore.job_id, { clock: fake.clock })).job_type).toBe("bksRestoreBackup");

    const removal = unwrap(await vbs.deleteCloudBackup({ path: { backup_id: backupId } }));
    await waitForJob(vbs, removal.job_id, { clock: fake.clock });
    const gone = await vbs.showNativeBackup({ path: { backup_id: backupId } });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toEqual({ itemNotFound: { code: 404, message: `Backup ${backupId} could not be found.` } });
    expect((await vbs.showJob({ path: { job_id: "0".repeat(32) } })).response.status).toBe(404);
  });

  test("native backups v2 and v3: create, list with links paging and filters, restore, delete", async () => {
    const { fake } = fakeOf();
    const { vbs } = await clientsOf(fake);
    const created: string[] = [];
    for (const [i, create] of [vbs.createNativeBackup, vbs.createNativeBackupV2, vbs.createNativeBackup].entries()) {
      const started = await create({ body: { backup: { volume_id: VOLUME_2, name: `native-${i}` } } });
      const { backup } = unwrap(started);
      created.push(backup.id);
    }
    const waited = await waitFor(vbs, "POST /v3/{project_id}/backups", { data: { backup: { id: created[0] } } }, { clock: fake.clock });
    expect(waited?.backup.status).toBe("available");
    fake.advance(60_000);

    const firstPage = unwrap(await vbs.listNativeBackups({ query: { limit: 2, with_count: true } }));
    expect(firstPage.backups).toHaveLength(2);
    expect(firstPage.count).toBe(3);
    expect(firstPage.backups_links?.[0]?.rel).toBe("next");
    const names: string[] = [];
    for await (const b of paginate(vbs, "/v3/{project_id}/backups/detail", { params: { query: { limit: 1 } } })) names.push(String(b.name));
    expect(names.sort()).toEqual(["native-0", "native-1", "native-2"]);
    const v2: string[] = [];
    for await (const b of paginate(vbs, "/v2/{project_id}/backups", { params: { query: { limit: 2, sort_key: "name", sort_dir: "asc" } } }))
      v2.push(String(b.name));
    expect(v2).toEqual(["native-0", "native-1", "native-2"]);
    expect(unwrap(await vbs.listNativeBackupDetailsV2({ query: { name: "native-1" } })).backups.map((b) => b.id)).toEqual([created[1]]);
    expect(unwrap(await vbs.listNativeBackupDetails({ query: { "name~": "native", status: "available" } as never })).backups).toHaveLength(
      3,
    );
    expect(unwrap(await vbs.listNativeBackupsV2({ query: { volume_id: VOLUME } })).backups).toHaveLength(0);

    const restored = unwrap(await vbs.restoreNativeBackup({ path: { backup_id: created[0]! }, body: { restore: { volume_id: VOLUME } } }));
    expect(restored.restore).toMatchObject({ backup_id: created[0], volume_id: VOLUME });
    const busy = await vbs.restoreNativeBackupV2({ path: { backup_id: created[0]! }, body: { restore: { volume_id: VOLUME } } });
    expect(busy.response.status).toBe(409);
    expect(busy.error).toHaveProperty("conflictingRequest");
    expect((await waitForBackup(vbs, created[0]!, { clock: fake.clock })).status).toBe("available");
    expect(
      (await vbs.restoreNativeBackupV2({ path: { backup_id: created[1]! }, body: { restore: { volume_id: VOLUME } } })).response.status,
    ).toBe(202);
    fake.advance(60_000);

    expect((await vbs.deleteNativeBackup({ path: { backup_id: created[0]! } })).response.status).toBe(202);
    expect((await vbs.deleteNativeBackupV2({ path: { backup_id: created[1]! } })).response.status).toBe(202);
    expect(await waitForBackup(vbs, created[1]!, { until: "deleted", clock: fake.clock })).toBeUndefined();
    expect(unwrap(await vbs.listNativeBackups()).backups.map((b) => b.id)).toEqual([created[2]]);
  });

  test("backup policies: create, list, update, disks, execute, tasks, tags, delete", async () => {
    const { fake } = fakeOf();
    const { vbs } = await clientsOf(fake);
    const schedule = { start_time: "02:00", frequency: 1, rentention_num: 7, remain_first_backup_of_curMonth: "N", status: "ON" } as const;
    const { backup_policy_id: id } = unwrap(
      await vbs.createBackupPolicy({
        body: { backup_policy_name: "daily", scheduled_policy: schedule, tags: [{ key: "env", value: "prod" }] },
      }),
    );
    const other = unwrap(
      await vbs.createBackupPolicy({ body: { backup_policy_name: "weekly", scheduled_policy: { ...schedule, frequency: 7 } } }),
    ).backup_policy_id;
    const duplicate = await vbs.createBackupPolicy({ body: { backup_policy_name: "daily", scheduled_policy: schedule } });
    expect(duplicate.response.status).toBe(400);

    const listed: string[] = [];
    for await (const p of paginate(vbs, "/v2/{project_id}/backuppolicy", { params: { query: { limit: 1 } } }))
      listed.push(p.backup_policy_name);
    expect(listed).toEqual(["daily", "weekly"]);
    expect(
      unwrap(
        await vbs.updateBackupPolicy({
          path: { policy_id: id },
          body: { backup_policy_name: "daily-2", scheduled_policy: { rentention_num: 14 } },
        }),
      ).backup_policy_id,
    ).toBe(id);

    const bound = unwrap(
      await vbs.associateBackupPolicyResources({
        body: { backup_policy_id: id, resources: [{ resource_id: VOLUME, resource_type: "volume" }] },
      }),
    );
    expect(bound.success_resources.map((r) => r.resource_id)).toEqual([VOLUME]);
    const elsewhere = unwrap(
      await vbs.associateBackupPolicyResources({
        body: { backup_policy_id: other, resources: [{ resource_id: VOLUME, resource_type: "volume" }] },
      }),
    );
    expect(elsewhere.fail_resources.map((r) => r.resource_id)).toEqual([VOLUME]);
    expect(unwrap(await vbs.listBackupPolicies()).backup_policies.find((p) => p.backup_policy_id === id)?.policy_resource_count).toBe(1);

    expect((await vbs.executeBackupPolicy({ path: { policy_id: id } })).response.status).toBe(204);
    expect((await vbs.executeBackupPolicy({ path: { policy_id: id } })).response.status).toBe(409);
    expect(unwrap(await vbs.listBackupPolicyTasks({ path: { policy_id: id } })).tasks.map((t) => t.status)).toEqual(["RUNNING"]);
    fake.advance(60_000);
    const tasks = unwrap(
      await vbs.listBackupPolicyTasks({ path: { policy_id: id }, query: { status: "EXECUTE_SUCCESS", limit: 10, offset: 0 } }),
    );
    expect(tasks.count).toBe(1);
    expect(unwrap(await vbs.listNativeBackupDetails({ query: { volume_id: VOLUME } })).backups.map((b) => b.name)).toEqual([
      tasks.tasks[0]!.backup_name,
    ]);

    expect(
      (await vbs.createBackupPolicyTag({ path: { policy_id: id }, body: { tag: { key: "team", value: "ops" } } })).response.status,
    ).toBe(204);
    expect(
      (
        await vbs.batchUpdateBackupPolicyTags({
          path: { policy_id: id },
          body: { action: "create", tags: [{ key: "tier", value: "gold" }] },
        })
      ).response.status,
    ).toBe(204);
    expect((await vbs.deleteBackupPolicyTag({ path: { policy_id: id, key: "tier" } })).response.status).toBe(204);
    expect(unwrap(await vbs.listBackupPolicyTags({ path: { policy_id: id } })).tags).toEqual([
      { key: "env", value: "prod" },
      { key: "team", value: "ops" },
    ]);
    expect(unwrap(await vbs.listBackupPolicyProjectTags()).tags).toEqual(expect.arrayContaining([{ key: "team", values: ["ops"] }]));
    const byTag = unwrap(
      await vbs.listBackupPoliciesByTags({
        body: { action: "filter", tags: [{ key: "env", values: ["prod"] }], limit: "10", offset: "0" },
      }),
    );
    expect(byTag.resources?.map((r) => r.resource_id)).toEqual([id]);
    expect(
      unwrap(await vbs.listBackupPoliciesByTags({ body: { action: "count", not_tags: [{ key: "env", values: [] }] } })).total_count,
    ).toBe(1);

    const unbound = unwrap(
      await vbs.disassociateBackupPolicyResources({ path: { policy_id: id }, body: { resources: [{ resource_id: VOLUME }] } }),
    );
    expect(unbound.success_resources).toEqual([{ resource_id: VOLUME }]);
    expect((await vbs.deleteBackupPolicy({ path: { policy_id: other } })).response.status).toBe(204);
    const missing = await vbs.listBackupPolicyTags({ path: { policy_id: other } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ error: { code: "AutoBackup.0205" } });
  });

  test("sharing: share a backup with the other project, count, list, show, cancel", async () => {
    const { fake } = fakeOf();
    const { vbs } = await clientsOf(fake);
    const { vbs: vbsOther } = await clientsOf(fake, "eu-de_shared");
    const { job_id } = unwrap(
      await vbs.createCloudBackup({ body: { backup: { volume_id: "0f187b65-8d0e-4fc0-9096-3b55d330531d", name: "to-share" } } }),
    );
    const backupId = String((await waitForJob(vbs, job_id, { clock: fake.clock })).entities.backup_id);
    const other = fake.sharedProjectId;
    const [sharing] = unwrap(await vbs.createBackupSharing({ body: { shared: { backup_id: backupId, to_project_ids: [other] } } })).shared;
    expect(sharing).toMatchObject({ backup_id: backupId, to_project_id: other });
    expect(unwrap(await vbs.countBackupSharings()).count).toBe(1);
    expect(unwrap(await vbs.listBackupSharingDetails({ query: { backup_id: backupId } })).shared.map((s) => s.backup.name)).toEqual([
      "to-share",
    ]);
    expect(unwrap(await vbs.showBackupSharing({ path: { id: sharing!.id } })).shared.to_project_id).toBe(other);
    expect(unwrap(await vbsOther.countBackupSharings({ query: { share_to_me: true } })).count).toBe(1);
    expect(unwrap(await vbsOther.showNativeBackup({ path: { backup_id: backupId } })).backup.name).toBe("to-share");
    expect((await vbs.deleteBackupSharing({ path: { id: backupId }, query: { is_backup_id: true } })).response.status).toBe(200);
    expect(unwrap(await vbs.countBackupSharings()).count).toBe(0);
    expect((await vbs.showBackupSharing({ path: { id: sharing!.id } })).response.status).toBe(404);
  });
});
