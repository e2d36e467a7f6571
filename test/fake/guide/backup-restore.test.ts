import { afterAll, beforeAll, expect, test } from "vitest";
import {
  clientOptionsFromCatalog,
  createCbrClient,
  passwordAuth,
  unwrap,
  waitForBackup,
  waitForCheckpoint,
  waitForTask,
  type CbrClient,
} from "../../../src/index.js";
import { startFake, type Fake } from "../../../src/fake/index.js";

let fake: Fake;
let cbr: CbrClient;

beforeAll(async () => {
  fake = await startFake({ speed: 0 }); // time moves only when the test moves it
  // As in production: password auth, project and endpoint from the token's catalog.
  const auth = passwordAuth(fake.credentials.password);
  cbr = createCbrClient(await clientOptionsFromCatalog(auth, { service: "cbr" }));
});
afterAll(() => fake.stop());

test("back up a server, restore it, clean up", async () => {
  // Waiters sleep on the fake's clock: each sleep moves simulated time instead of waiting.
  const wait = { clock: fake.clock };
  const server = { id: "94eba8b2-acc9-4d82-badc-127144cc5526", type: "OS::Nova::Server", name: "web-1" } as const;

  // 1. A vault protecting the server.
  const { vault } = unwrap(
    await cbr.createVault({
      body: {
        vault: {
          name: "web",
          billing: { consistent_level: "crash_consistent", object_type: "server", protect_type: "backup", size: 100 },
          resources: [server],
        },
      },
    }),
  );

  // 2. Back it up and wait for the restore point (protecting → available).
  const { checkpoint } = unwrap(
    await cbr.createCheckpoint({ body: { checkpoint: { vault_id: vault.id, parameters: { name: "nightly" } } } }),
  );
  expect((await waitForCheckpoint(cbr, checkpoint.id, wait)).status).toBe("available");
  const [backup] = unwrap(await cbr.listBackups({ query: { checkpoint_id: checkpoint.id } })).backups;
  expect(backup).toMatchObject({ resource_id: server.id, status: "available" });

  // 3. Restore it and follow the restore's task (operation log) to its end.
  await cbr.restoreBackup({ path: { backup_id: backup!.id }, body: { restore: { server_id: server.id, power_on: true } } });
  const [task] = unwrap(await cbr.listOpLogs({ query: { operation_type: "restore", vault_id: vault.id } })).operation_logs;
  expect((await waitForTask(cbr, task!.id, wait)).status).toBe("success");

  // 4. Clean up: the backup until it is gone, then the vault.
  await cbr.deleteBackup({ path: { backup_id: backup!.id } });
  await waitForBackup(cbr, backup!.id, { ...wait, until: "deleted" });
  await cbr.deleteVault({ path: { vault_id: vault.id } });
  fake.advance(60_000);
  expect((await cbr.showVault({ path: { vault_id: vault.id } })).response.status).toBe(404);
});
