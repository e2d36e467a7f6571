import { afterAll, beforeAll, expect, test } from "vitest";
import { createVbsClient, akskAuth, unwrap, waitForJob, type VbsClient } from "../../../src/index.js";
import { startFake, type Exchange, type Fake } from "../../../src/fake/index.js";

let fake: Fake;
let vbs: VbsClient;
const statuses: number[] = [];

beforeAll(async () => {
  fake = await startFake({ speed: 0, seed: 7 });
  vbs = createVbsClient({
    endpoint: fake.vbs,
    projectId: fake.projectId,
    auth: akskAuth(fake.credentials.aksk), // requests are signed; the fake verifies each signature
    retry: { clock: fake.clock }, // waits between attempts move the fake's time, not the test's
  });
  fake.onExchange((e: Exchange) => e.operationId === "showJob" && statuses.push(e.status));
});
afterAll(() => fake.stop());

test("a waiter rides out throttling and gateway errors", async () => {
  const { job_id } = unwrap(
    await vbs.createCloudBackup({ body: { backup: { volume_id: "2748f2f2-4394-4e6e-af8d-8dd34496c024", name: "db" } } }),
  );

  // Every poll of the job: first throttled (429, Retry-After: 5), then one in two answered with a
  // 503 or cut off mid-body; the seed makes the sequence the same on every run.
  fake.setFaults([
    { kind: "status", status: 429, retryAfterSeconds: 5, operationId: "showJob", times: 1 },
    { kind: "status", status: 503, operationId: "showJob", probability: 0.5 },
    { kind: "drop-during-body", operationId: "showJob", probability: 0.2 },
  ]);
  const job = await waitForJob(vbs, job_id, { clock: fake.clock });
  fake.setFaults([]);

  expect(job.status).toBe("SUCCESS");
  expect(statuses).toContain(429);
  expect(statuses).toContain(503);
  expect(statuses.at(-1)).toBe(200);
});
