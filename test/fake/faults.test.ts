// Faults the fake injects drive the client's retry paths: throttling with Retry-After, gateway
// errors, connections dropped before the answer or in the middle of its body. Waits between
// attempts run on the fake's clock, so nothing here waits for real.
import { describe, expect, test } from "vitest";
import { clientOptionsFromCatalog, createCbrClient, passwordAuth, unwrap, waitForCheckpoint } from "../../src/index.js";
import { SERVER, serverVault, useFake } from "./support.js";

const fakeOf = useFake();

async function retryingClient() {
  const { fake } = fakeOf();
  fake.setFaults([]);
  const options = await clientOptionsFromCatalog(passwordAuth(fake.credentials.password), { service: "cbr" });
  // The waits between attempts run on the fake's clock: its sleep advances simulated time.
  const cbr = createCbrClient({ ...options, retry: { clock: fake.clock } });
  return { fake, cbr };
}

describe("faults drive the client's retries", () => {
  test.each([502, 503, 504] as const)("a GET answered %i twice succeeds at the third attempt", async (status) => {
    const { fake, cbr } = await retryingClient();
    fake.setFaults([{ kind: "status", status, operationId: "listVault", times: 2 }]);
    const seen: number[] = [];
    const stop = fake.onExchange((e) => e.operationId === "listVault" && seen.push(e.status));
    expect((await cbr.listVault()).response.status).toBe(200);
    stop();
    expect(seen).toEqual([status, status, 200]);
  });

  test("429 with Retry-After is waited out on the fake's clock, then retried", async () => {
    const { fake, cbr } = await retryingClient();
    fake.setFaults([{ kind: "status", status: 429, retryAfterSeconds: 7, operationId: "listBackups", times: 1 }]);
    const before = fake.clock.now();
    expect((await cbr.listBackups()).response.status).toBe(200);
    expect(fake.clock.now() - before).toBeGreaterThanOrEqual(7_000);
  });

  test("a connection dropped before the answer, or in the middle of its body, is retried for a GET", async () => {
    const { fake, cbr } = await retryingClient();
    fake.setFaults([
      { kind: "drop-before-headers", operationId: "listPolicies", times: 1 },
      { kind: "drop-during-body", operationId: "showReplicationCapabilities", times: 1 },
    ]);
    expect((await cbr.listPolicies()).response.status).toBe(200);
    expect(unwrap(await cbr.showReplicationCapabilities()).regions[0]?.name).toBe("eu-de");
  });

  test("a POST that may have arrived is not retried: the 503 reaches the caller", async () => {
    const { fake, cbr } = await retryingClient();
    fake.setFaults([{ kind: "status", status: 503, operationId: "createPolicy", times: 1 }]);
    const seen: number[] = [];
    const stop = fake.onExchange((e) => e.operationId === "createPolicy" && seen.push(e.status));
    const result = await cbr.createPolicy({
      body: {
        policy: {
          name: "p",
          operation_type: "backup",
          operation_definition: { max_backups: 3 },
          trigger: { properties: { pattern: ["FREQ=DAILY;BYHOUR=1;BYMINUTE=0"] } },
        },
      },
    });
    stop();
    expect(seen).toEqual([503]);
    expect(result.response.status).toBe(503);
    expect(result.error).toMatchObject({ error_code: "APIGW.0203" });
  });

  test("a waiter keeps polling through seeded random gateway errors", async () => {
    const { fake, cbr } = await retryingClient();
    const vault = unwrap(
      await cbr.createVault({ body: serverVault("vault-flaky", [{ ...SERVER, id: "77777777-7777-4777-8777-777777777777" }]) }),
    ).vault;
    const { checkpoint } = unwrap(await cbr.createCheckpoint({ body: { checkpoint: { vault_id: vault.id } } }));
    fake.setFaults([{ kind: "status", status: 503, operationId: "showCheckpoint", probability: 0.5 }], 42);
    const done = await waitForCheckpoint(cbr, checkpoint.id, { clock: fake.clock });
    expect(done.status).toBe("available");
    fake.setFaults([]);
  });

  test("a seed replays the same faults", async () => {
    const { fake, cbr } = await retryingClient();
    const run = async () => {
      fake.setFaults([{ kind: "status", status: 502, operationId: "listOpLogs", probability: 0.5 }], 7);
      const statuses: number[] = [];
      const stop = fake.onExchange((e) => e.operationId === "listOpLogs" && statuses.push(e.status));
      for (let i = 0; i < 6; i++) await cbr.listOpLogs();
      stop();
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(502);
    fake.setFaults([]);
  });
});
