// The fake's admin endpoints and in-process controls: simulated time, faults, snapshot, restore
// and reset.
import { expect, test } from "vitest";
import { unwrap } from "../../src/index.js";
import { startFake } from "../../src/fake/index.js";
import { SERVER, clientsOf, serverVault, useFake } from "./support.js";

const fakeOf = useFake();

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

test("POST /__fake/advance moves simulated time: a backup settles without waiting", async () => {
  const { fake } = fakeOf();
  const { cbr } = await clientsOf(fake);
  const { vault } = unwrap(
    await cbr.createVault({ body: serverVault("vault-time", [{ ...SERVER, id: "88888888-8888-4888-8888-888888888888" }]) }),
  );
  const { checkpoint } = unwrap(await cbr.createCheckpoint({ body: { checkpoint: { vault_id: vault.id } } }));
  const before = (await (await fetch(`${fake.admin}/time`)).json()) as { now: number; speed: number };
  expect(before.speed).toBe(0);
  const advanced = (await (await post(`${fake.admin}/advance`, { ms: 10_000 })).json()) as { now: number };
  expect(advanced.now - before.now).toBe(10_000);
  expect(unwrap(await cbr.showCheckpoint({ path: { checkpoint_id: checkpoint.id } })).checkpoint.status).toBe("available");
  expect((await post(`${fake.admin}/advance`, { ms: -1 })).status).toBe(400);
});

test("faults set through the admin endpoint, then cleared", async () => {
  const { fake } = fakeOf();
  const { cbr } = await clientsOf(fake);
  const set = await post(`${fake.admin}/faults`, { rules: [{ kind: "status", status: 500, operationId: "listPolicies" }], seed: 3 });
  expect(set.status).toBe(200);
  const failing = await cbr.listPolicies();
  expect(failing.response.status).toBe(500);
  expect(failing.error).toMatchObject({ error_code: "BackupService.0002" });
  expect((await post(`${fake.admin}/faults`, { rules: [{ kind: "status", status: 418 }] })).status).toBe(400);
  expect((await fetch(`${fake.admin}/faults`, { method: "DELETE" })).status).toBe(200);
  expect((await cbr.listPolicies()).response.status).toBe(200);
});

test("snapshot, restore and reset", async () => {
  const { fake } = fakeOf();
  const { cbr } = await clientsOf(fake);
  const { vault } = unwrap(
    await cbr.createVault({ body: serverVault("vault-snap", [{ ...SERVER, id: "99999999-9999-4999-8999-999999999999" }]) }),
  );
  const snapshot = fake.snapshot();
  await cbr.deleteVault({ path: { vault_id: vault.id } });
  fake.advance(60_000);
  expect((await cbr.showVault({ path: { vault_id: vault.id } })).response.status).toBe(404);
  fake.restore(snapshot);
  expect(unwrap(await cbr.showVault({ path: { vault_id: vault.id } })).vault.name).toBe("vault-snap");
  const overHttp = await (await fetch(`${fake.admin}/snapshot`)).json();
  expect((await post(`${fake.admin}/reset`, {})).status).toBe(200);
  // Tokens are state too: a reset forgets them, and passwordAuth renews on the 401.
  const { cbr: fresh } = await clientsOf(fake);
  expect(unwrap(await fresh.listVault()).count).toBe(0);
  expect((await post(`${fake.admin}/restore`, overHttp)).status).toBe(200);
  expect(unwrap(await fresh.showVault({ path: { vault_id: vault.id } })).vault.id).toBe(vault.id);
});

test("a seed gives the same ids; a speed factor runs simulated time faster than the wall clock", async () => {
  const [a, b] = await Promise.all([startFake({ seed: 5, speed: 0 }), startFake({ seed: 5, speed: 0 })]);
  try {
    expect(a.projectId).toBe(b.projectId);
    const ids = await Promise.all(
      [a, b].map(async (fake) => {
        const { cbr } = await clientsOf(fake);
        return unwrap(await cbr.createVault({ body: serverVault("same") })).vault.id;
      }),
    );
    expect(ids[0]).toBe(ids[1]);
    a.setSpeed(1000);
    const start = a.clock.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(a.clock.now() - start).toBeGreaterThanOrEqual(1000);
    await expect(startFake({ durations: { backupMs: -1 } })).rejects.toThrow(/durations.backupMs/);
    await expect(startFake({ speed: -2 })).rejects.toThrow(/`speed` must be a finite number/);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
