// Every CBR operation against the fake, with the state each one leaves checked by the next.
import { afterAll, describe, expect, test } from "vitest";
import { paginate, unwrap, waitForBackup, waitForCheckpoint, waitForTask } from "../../src/index.js";
import { SERVER, SERVER_2, clientsOf, serverVault, uncovered, useFake } from "./support.js";

const fakeOf = useFake();

// Every operation of the service answers with success at least once in this file.
afterAll(() => {
  expect(uncovered(fakeOf().exchanges, "cbr")).toEqual([]);
});

describe("CBR on the fake", () => {
  test("vaults: create, list with filters and paging, show, update, resources, policies, delete", async () => {
    const { fake } = fakeOf();
    const { cbr } = await clientsOf(fake);
    const a = unwrap(await cbr.createVault({ body: serverVault("vault-a") })).vault;
    const b = unwrap(await cbr.createVault({ body: serverVault("vault-b", [SERVER_2]) })).vault;
    expect(a.resources.map((r) => r.id)).toEqual([SERVER.id]);

    // The same server cannot be protected by two vaults.
    const twice = await cbr.createVault({ body: serverVault("vault-c") });
    expect(twice.response.status).toBe(400);
    expect(twice.error).toMatchObject({ error_code: "BackupService.9900" });
    expect(JSON.stringify(twice.error)).toContain(a.id);

    const page1 = unwrap(await cbr.listVault({ query: { limit: 1 } }));
    expect(page1.count).toBe(2);
    expect(page1.vaults).toHaveLength(1);
    const all = [];
    for await (const v of paginate(cbr, "/v3/{project_id}/vaults", { params: { query: { limit: 1 } } })) all.push(v.name);
    expect(all.sort()).toEqual(["vault-a", "vault-b"]);
    expect(unwrap(await cbr.listVault({ query: { name: "vault-b" } })).vaults.map((v) => v.id)).toEqual([b.id]);
    expect(unwrap(await cbr.listVault({ query: { resource_ids: SERVER.id } })).vaults.map((v) => v.id)).toEqual([a.id]);

    const updated = unwrap(
      await cbr.updateVault({ path: { vault_id: a.id }, body: { vault: { name: "vault-a2", billing: { size: 200 } } } }),
    ).vault;
    expect(updated).toMatchObject({ name: "vault-a2", billing: { size: 200 } });
    expect(unwrap(await cbr.showVault({ path: { vault_id: a.id } })).vault.name).toBe("vault-a2");

    // Resources: remove from b, add to a, migrate back.
    expect(
      unwrap(await cbr.removeVaultResource({ path: { vault_id: b.id }, body: { resource_ids: [SERVER_2.id] } })).remove_resource_ids,
    ).toEqual([SERVER_2.id]);
    expect(unwrap(await cbr.addVaultResource({ path: { vault_id: a.id }, body: { resources: [SERVER_2] } })).add_resource_ids).toEqual([
      SERVER_2.id,
    ]);
    const wrongType = await cbr.addVaultResource({
      path: { vault_id: b.id },
      body: { resources: [{ id: "0f187b65-8d0e-4fc0-9096-3b55d330531d", type: "OS::Cinder::Volume" }] },
    });
    expect(wrongType.response.status).toBe(400);
    expect(
      unwrap(
        await cbr.migrateVaultResource({ path: { vault_id: a.id }, body: { destination_vault_id: b.id, resource_ids: [SERVER_2.id] } }),
      ).migrated_resources,
    ).toEqual([SERVER_2.id]);
    expect(unwrap(await cbr.showVault({ path: { vault_id: b.id } })).vault.resources.map((r) => r.id)).toEqual([SERVER_2.id]);

    // Policies and their binding.
    const policy = unwrap(
      await cbr.createPolicy({
        body: {
          policy: {
            name: "daily",
            operation_type: "backup",
            operation_definition: { retention_duration_days: 7, timezone: "UTC+01:00" },
            trigger: { properties: { pattern: ["FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0"] } },
          },
        },
      }),
    ).policy;
    expect(unwrap(await cbr.associateVaultPolicy({ path: { vault_id: a.id }, body: { policy_id: policy.id } })).associate_policy).toEqual({
      vault_id: a.id,
      policy_id: policy.id,
    });
    expect(unwrap(await cbr.showPolicy({ path: { policy_id: policy.id } })).policy.associated_vaults?.map((v) => v.vault_id)).toEqual([
      a.id,
    ]);
    expect(unwrap(await cbr.listVault({ query: { policy_id: policy.id } })).vaults.map((v) => v.id)).toEqual([a.id]);
    expect(unwrap(await cbr.listPolicies({ query: { vault_id: a.id } })).policies.map((p) => p.id)).toEqual([policy.id]);
    expect(
      unwrap(await cbr.updatePolicy({ path: { policy_id: policy.id }, body: { policy: { name: "nightly", enabled: false } } })).policy,
    ).toMatchObject({ name: "nightly", enabled: false });
    expect(
      unwrap(await cbr.disassociateVaultPolicy({ path: { vault_id: a.id }, body: { policy_id: policy.id } })).dissociate_policy.policy_id,
    ).toBe(policy.id);
    const again = await cbr.disassociateVaultPolicy({ path: { vault_id: a.id }, body: { policy_id: policy.id } });
    expect(again.response.status).toBe(400);
    expect((await cbr.deletePolicy({ path: { policy_id: policy.id } })).response.status).toBe(204);
    expect((await cbr.showPolicy({ path: { policy_id: policy.id } })).response.status).toBe(404);

    // Deletion goes through `deleting`, then the vault is gone.
    expect((await cbr.deleteVault({ path: { vault_id: b.id } })).response.status).toBe(204);
    expect(unwrap(await cbr.showVault({ path: { vault_id: b.id } })).vault.billing.status).toBe("deleting");
    fake.advance(60_000);
    const gone = await cbr.showVault({ path: { vault_id: b.id } });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toMatchObject({ error_code: "BackupService.6105" });
    const tasks = unwrap(await cbr.listOpLogs({ query: { operation_type: "vault_delete" } })).operation_logs;
    expect(tasks.map((t) => [t.vault_id, t.status])).toEqual([[b.id, "success"]]);
  });

  test("backups: a restore point backs up each resource; list filters, sort and paging; restore; delete", async () => {
    const { fake } = fakeOf();
    const { cbr } = await clientsOf(fake);
    const vault = unwrap(
      await cbr.createVault({
        body: serverVault("vault-backups", [
          { ...SERVER, id: "11111111-1111-4111-8111-111111111111" },
          { ...SERVER_2, id: "22222222-2222-4222-8222-222222222222" },
        ]),
      }),
    ).vault;
    const { checkpoint } = unwrap(
      await cbr.createCheckpoint({
        body: { checkpoint: { vault_id: vault.id, parameters: { name: "manual", description: "before the upgrade" } } },
      }),
    );
    expect(checkpoint.status).toBe("protecting");
    const backups = unwrap(await cbr.listBackups({ query: { checkpoint_id: checkpoint.id } })).backups;
    expect(backups.map((x) => x.status)).toEqual(["protecting", "protecting"]);

    const settled = await waitForCheckpoint(cbr, checkpoint.id, { clock: fake.clock });
    expect(settled.status).toBe("available");
    expect(unwrap(await cbr.showCheckpoint({ path: { checkpoint_id: checkpoint.id } })).checkpoint.status).toBe("available");

    const sorted = unwrap(await cbr.listBackups({ query: { vault_id: vault.id, sort: "name:asc" } })).backups.map((x) => x.name);
    expect(sorted).toEqual([...sorted].sort());
    const first = unwrap(await cbr.listBackups({ query: { vault_id: vault.id, limit: 1, offset: 1 } }));
    expect(first.count).toBe(2);
    expect(first.backups).toHaveLength(1);
    expect(unwrap(await cbr.listBackups({ query: { resource_id: "11111111-1111-4111-8111-111111111111" } })).backups).toHaveLength(1);
    expect(unwrap(await cbr.listBackups({ query: { status: ["error"] } })).backups).toHaveLength(0);
    expect(unwrap(await cbr.listBackups({ query: { status: ["error", "available"], vault_id: vault.id } })).backups).toHaveLength(2);
    const tooMany = await cbr.listBackups({ query: { limit: 5000 } });
    expect(tooMany.response.status).toBe(400);

    const backup = backups[0]!;
    expect(unwrap(await cbr.showBackup({ path: { backup_id: backup.id } })).backup.status).toBe("available");
    expect(
      (await cbr.restoreBackup({ path: { backup_id: backup.id }, body: { restore: { server_id: backup.resource_id, power_on: true } } }))
        .response.status,
    ).toBe(202);
    expect(unwrap(await cbr.showBackup({ path: { backup_id: backup.id } })).backup.status).toBe("restoring");
    const restoreTask = unwrap(await cbr.listOpLogs({ query: { operation_type: "restore", vault_id: vault.id } })).operation_logs[0]!;
    expect(restoreTask.status).toBe("running");
    expect((await waitForTask(cbr, restoreTask.id, { clock: fake.clock })).status).toBe("success");
    expect(unwrap(await cbr.showOpLog({ path: { operation_log_id: restoreTask.id } })).operation_log.status).toBe("success");
    expect((await cbr.showOpLog({ path: { operation_log_id: "00000000-0000-4000-8000-000000000000" } })).error).toMatchObject({
      error_code: "BackupService.6500",
    });

    expect((await cbr.deleteBackup({ path: { backup_id: backup.id } })).response.status).toBe(204);
    expect(await waitForBackup(cbr, backup.id, { until: "deleted", clock: fake.clock })).toBeUndefined();
    expect(unwrap(await cbr.listBackups({ query: { vault_id: vault.id } })).count).toBe(1);
  });

  test("tags: per vault, batch, by project, and querying vaults by tag", async () => {
    const { fake } = fakeOf();
    const { cbr } = await clientsOf(fake);
    const vault = unwrap(
      await cbr.createVault({ body: serverVault("vault-tags", [{ ...SERVER, id: "33333333-3333-4333-8333-333333333333" }]) }),
    ).vault;
    expect(
      (await cbr.createVaultTags({ path: { vault_id: vault.id }, body: { tag: { key: "env", value: "prod" } } })).response.status,
    ).toBe(204);
    expect(
      (
        await cbr.batchCreateAndDeleteVaultTags({
          path: { vault_id: vault.id },
          body: {
            action: "create",
            tags: [
              { key: "team", value: "ops" },
              { key: "tmp", value: "x" },
            ],
          },
        })
      ).response.status,
    ).toBe(204);
    expect((await cbr.deleteVaultTag({ path: { vault_id: vault.id, key: "tmp" } })).response.status).toBe(204);
    expect((await cbr.deleteVaultTag({ path: { vault_id: vault.id, key: "tmp" } })).response.status).toBe(404);
    expect(unwrap(await cbr.showVaultTag({ path: { vault_id: vault.id } })).tags).toEqual([
      { key: "env", value: "prod" },
      { key: "team", value: "ops" },
    ]);
    expect(unwrap(await cbr.showVaultProjectTag()).tags).toEqual(expect.arrayContaining([{ key: "env", values: ["prod"] }]));
    const found = unwrap(
      await cbr.showVaultResourceInstances({
        body: { action: "filter", tags: [{ key: "env", values: ["prod"] }], limit: "10", offset: "0" },
      }),
    );
    expect(found.total_count).toBe(1);
    expect(found.resources?.[0]?.resource_id).toBe(vault.id);
    expect(
      unwrap(await cbr.showVaultResourceInstances({ body: { action: "count", tags: [{ key: "env", values: ["dev"] }] } })).total_count,
    ).toBe(0);
    await cbr.batchCreateAndDeleteVaultTags({ path: { vault_id: vault.id }, body: { action: "delete", tags: [{ key: "env" }] } });
    expect(unwrap(await cbr.showVaultTag({ path: { vault_id: vault.id } })).tags.map((t) => t.key)).toEqual(["team"]);
  });

  test("sharing: members of a backup, accepted by the other project", async () => {
    const { fake } = fakeOf();
    const { cbr } = await clientsOf(fake);
    const vault = unwrap(
      await cbr.createVault({ body: serverVault("vault-share", [{ ...SERVER, id: "44444444-4444-4444-8444-444444444444" }]) }),
    ).vault;
    const { checkpoint } = unwrap(await cbr.createCheckpoint({ body: { checkpoint: { vault_id: vault.id } } }));
    await waitForCheckpoint(cbr, checkpoint.id, { clock: fake.clock });
    const backup = unwrap(await cbr.listBackups({ query: { checkpoint_id: checkpoint.id } })).backups[0]!;
    const other = fake.sharedProjectId;
    const { cbr: cbrOther } = await clientsOf(fake, "eu-de_shared");
    const [member] = unwrap(await cbr.addMember({ path: { backup_id: backup.id }, body: { members: [other] } })).members;
    expect(member).toMatchObject({ status: "pending", dest_project_id: other });
    expect(unwrap(await cbr.showMembersDetail({ path: { backup_id: backup.id }, query: { status: "pending" } })).count).toBe(1);
    expect(unwrap(await cbr.showMemberDetail({ path: { backup_id: backup.id, member_id: other } })).member.status).toBe("pending");
    const accepted = unwrap(
      await cbr.updateMemberStatus({ path: { backup_id: backup.id, member_id: other }, body: { status: "accepted", vault_id: vault.id } }),
    ).member;
    expect(accepted.status).toBe("accepted");
    expect(unwrap(await cbrOther.listBackups({ query: { own_type: "shared" } })).backups.map((x) => x.id)).toEqual([backup.id]);
    expect(unwrap(await cbrOther.showBackup({ path: { backup_id: backup.id } })).backup.id).toBe(backup.id);
    expect((await cbrOther.deleteBackup({ path: { backup_id: backup.id } })).response.status).toBe(403);
    expect(unwrap(await cbr.listBackups({ query: { member_status: "accepted" } })).backups.map((x) => x.id)).toEqual([backup.id]);
    expect((await cbr.deleteMember({ path: { backup_id: backup.id, member_id: other } })).response.status).toBe(204);
    expect((await cbr.showMemberDetail({ path: { backup_id: backup.id, member_id: other } })).response.status).toBe(404);
  });

  test("replication: backups copied from eu-de into a replication vault in eu-nl", async () => {
    const { fake } = fakeOf();
    const { cbr } = await clientsOf(fake);
    const { cbr: cbrNl } = await clientsOf(fake, "eu-nl");
    expect(unwrap(await cbr.showReplicationCapabilities()).regions).toEqual([{ name: "eu-de", replication_destinations: ["eu-nl"] }]);
    const source = unwrap(
      await cbr.createVault({ body: serverVault("vault-source", [{ ...SERVER, id: "55555555-5555-4555-8555-555555555555" }]) }),
    ).vault;
    const target = unwrap(await cbrNl.createVault({ body: serverVault("vault-target", [], "replication") })).vault;
    const { checkpoint } = unwrap(await cbr.createCheckpoint({ body: { checkpoint: { vault_id: source.id } } }));
    await waitForCheckpoint(cbr, checkpoint.id, { clock: fake.clock });
    const backup = unwrap(await cbr.listBackups({ query: { vault_id: source.id } })).backups[0]!;
    const destination = { destination_region: "eu-nl", destination_project_id: fake.projects["eu-nl"], destination_vault_id: target.id };

    const toBackupVault = await cbr.copyBackup({
      path: { backup_id: backup.id },
      body: { replicate: { ...destination, destination_vault_id: source.id } },
    });
    expect(toBackupVault.response.status).toBe(400);
    const replication = unwrap(
      await cbr.copyBackup({ path: { backup_id: backup.id }, body: { replicate: { ...destination, name: "copy" } } }),
    ).replication;
    expect(replication).toMatchObject({ backup_id: backup.id, source_region: "eu-de", destination_region: "eu-nl" });
    const copied = unwrap(await cbr.copyCheckpoint({ body: { replicate: { ...destination, vault_id: source.id } } })).replication;
    expect(copied.backups).toHaveLength(1);
    fake.advance(60_000);
    const arrived = unwrap(await cbrNl.listBackups({ query: { vault_id: target.id } })).backups;
    expect(arrived.map((x) => [x.image_type, x.status])).toEqual([
      ["replication", "available"],
      ["replication", "available"],
    ]);
    const logs = unwrap(await cbr.listOpLogs({ query: { operation_type: "replication" } })).operation_logs;
    expect(logs.every((l) => l.status === "success")).toBe(true);
  });

  test("versions need no project", async () => {
    const { fake } = fakeOf();
    const { cbr } = await clientsOf(fake);
    expect(unwrap(await cbr.listVersions()).versions[0]?.id).toBe("v3");
    expect(unwrap(await cbr.showVersion({ path: { api_version: "v3" } })).versions[0]?.status).toBe("CURRENT");
  });
});
