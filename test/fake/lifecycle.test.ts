// A whole backup lifecycle on the fake, through the public client only: IAM, CBR in two regions
// and VBS, with paginate and the named waiters. Each step is numbered as a user would script it.
import { expect, test } from "vitest";
import {
  agencyAuth,
  clientOptionsFromCatalog,
  createCbrClient,
  createVbsClient,
  paginate,
  passwordAuth,
  unwrap,
  waitForBackup,
  waitForCheckpoint,
  waitForJob,
  waitForTask,
  waitForVaultResources,
} from "../../src/index.js";
import { useFake } from "./support.js";

const fakeOf = useFake();

test("a 20-step lifecycle across IAM, CBR (eu-de, eu-nl) and VBS", async () => {
  const { fake } = fakeOf();
  const wait = { clock: fake.clock };
  const web = { id: "a1a1a1a1-0000-4000-8000-000000000001", type: "OS::Nova::Server", name: "web-1" } as const;
  const db = { id: "a1a1a1a1-0000-4000-8000-000000000002", type: "OS::Nova::Server", name: "db-1" } as const;

  // 1. Authenticate with a password; project and endpoints come from the token's catalog.
  const auth = passwordAuth(fake.credentials.password);
  const cbr = createCbrClient(await clientOptionsFromCatalog(auth, { service: "cbr" }));
  const vbs = createVbsClient(await clientOptionsFromCatalog(auth, { service: "vbs" }));
  // 2. The same account in eu-nl, for replication.
  const cbrNl = createCbrClient(
    await clientOptionsFromCatalog(passwordAuth({ ...fake.credentials.password, projectName: "eu-nl" }), { service: "cbr" }),
  );

  // 3. A backup policy.
  const { policy } = unwrap(
    await cbr.createPolicy({
      body: {
        policy: {
          name: "nightly",
          operation_type: "backup",
          operation_definition: { max_backups: 7 },
          trigger: { properties: { pattern: ["FREQ=DAILY;BYHOUR=1;BYMINUTE=0"] } },
        },
      },
    }),
  );
  // 4. A vault protecting one server, bound to the policy.
  const { vault } = unwrap(
    await cbr.createVault({
      body: {
        vault: {
          name: "prod",
          backup_policy_id: policy.id,
          billing: { consistent_level: "crash_consistent", object_type: "server", protect_type: "backup", size: 200 },
          resources: [web],
        },
      },
    }),
  );
  // 5. A second server joins; wait until both are protected.
  unwrap(await cbr.addVaultResource({ path: { vault_id: vault.id }, body: { resources: [db] } }));
  const protectedVault = await waitForVaultResources(cbr, vault.id, wait);
  expect(protectedVault.resources.map((r) => r.id)).toEqual([web.id, db.id]);
  // 6. Tag the vault.
  await cbr.createVaultTags({ path: { vault_id: vault.id }, body: { tag: { key: "env", value: "prod" } } });
  // 7. Back up both servers, 8. wait for the restore point.
  const { checkpoint } = unwrap(
    await cbr.createCheckpoint({ body: { checkpoint: { vault_id: vault.id, parameters: { name: "before-upgrade" } } } }),
  );
  expect((await waitForCheckpoint(cbr, checkpoint.id, wait)).status).toBe("available");
  // 9. Every backup of the vault, page by page.
  const backups = [];
  for await (const backup of paginate(cbr, "/v3/{project_id}/backups", { params: { query: { vault_id: vault.id, limit: 1 } } }))
    backups.push(backup);
  expect(backups.map((b) => b.status)).toEqual(["available", "available"]);
  const webBackup = backups.find((b) => b.resource_id === web.id)!;
  // 10. Restore the web server, 11. follow its task to the end, 12. the backup is usable again.
  await cbr.restoreBackup({ path: { backup_id: webBackup.id }, body: { restore: { server_id: web.id, power_on: true } } });
  const restoreTask = unwrap(await cbr.listOpLogs({ query: { operation_type: "restore", vault_id: vault.id } })).operation_logs[0]!;
  expect((await waitForTask(cbr, restoreTask.id, wait)).status).toBe("success");
  expect((await waitForBackup(cbr, webBackup.id, wait)).status).toBe("available");
  // 13. Replicate it into a replication vault in eu-nl, 14. where it arrives.
  const { vault: copies } = unwrap(
    await cbrNl.createVault({
      body: {
        vault: {
          name: "prod-copies",
          billing: { consistent_level: "crash_consistent", object_type: "server", protect_type: "replication", size: 200 },
          resources: [],
        },
      },
    }),
  );
  await cbr.copyBackup({
    path: { backup_id: webBackup.id },
    body: { replicate: { destination_region: "eu-nl", destination_project_id: fake.projects["eu-nl"], destination_vault_id: copies.id } },
  });
  const copy = unwrap(await cbrNl.listBackups({ query: { vault_id: copies.id } })).backups[0]!;
  expect((await waitForBackup(cbrNl, copy.id, wait)).image_type).toBe("replication");
  // 15. A disk backed up through VBS, 16. its job waited for.
  const { job_id } = unwrap(
    await vbs.createCloudBackup({ body: { backup: { volume_id: "b0b0b0b0-0000-4000-8000-000000000003", name: "db-data" } } }),
  );
  const job = await waitForJob(vbs, job_id, wait);
  const diskBackup = String(job.entities.backup_id);
  // 17. An agency of the same account sees the vault.
  const operator = createCbrClient(await clientOptionsFromCatalog(agencyAuth({ auth, ...fake.credentials.agency }), { service: "cbr" }));
  expect(unwrap(await operator.showVault({ path: { vault_id: vault.id } })).vault.tags).toEqual([{ key: "env", value: "prod" }]);
  // 18. Clean up: the disk backup through its job…
  await waitForJob(vbs, unwrap(await vbs.deleteCloudBackup({ path: { backup_id: diskBackup } })).job_id, wait);
  // 19. …the CBR backups until gone…
  for (const b of backups) await cbr.deleteBackup({ path: { backup_id: b.id } });
  for (const b of backups) expect(await waitForBackup(cbr, b.id, { ...wait, until: "deleted" })).toBeUndefined();
  // 20. …and both vaults and the policy.
  await cbr.deleteVault({ path: { vault_id: vault.id } });
  await cbrNl.deleteVault({ path: { vault_id: copies.id } });
  await cbr.deletePolicy({ path: { policy_id: policy.id } });
  fake.advance(60_000);
  expect(unwrap(await cbr.listVault()).count).toBe(0);
  expect(unwrap(await cbrNl.listVault()).count).toBe(0);
  expect(unwrap(await vbs.listNativeBackups()).backups).toEqual([]);
});
