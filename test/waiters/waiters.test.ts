// Waiters against a loopback server that walks jobs, tasks and resources through their states.
// An injected clock makes the waits instant and lets the tests read the intervals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCbrClient,
  createVbsClient,
  OperationFailedError,
  staticTokenAuth,
  waitFor,
  waitForBackup,
  waitForCheckpoint,
  waitForJob,
  waitForTask,
  waitForVaultResources,
  WaitTimeoutError,
} from "../../src/index.js";
import { PROJECT_ID, advancingClock, loopbackClient, sendJson, startLoopback, type Loopback } from "../support/loopback.js";
import { cbrAsync } from "../../generated/cbr.meta.js";
import { vbsAsync } from "../../generated/vbs.meta.js";
import type { AsyncMeta } from "../../src/operations.js";

/** A scripted "status" for a poll that never gets an answer. */
const HANG = 0;
/** Answers for each polled URL path (after /v?/{project}), in turn; the last repeats. */
const scripts = new Map<string, Array<[number, unknown]>>();
const polls = new Map<string, number>();

function script(path: string, ...answers: Array<[number, unknown]>) {
  scripts.set(path, answers);
  polls.set(path, 0);
}

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback(
    (req, res) => {
      const path = req.url.pathname.replace(/^\/v\d\/[^/]+/, "");
      if (req.method === "POST" && path === "/checkpoints")
        return sendJson(res, 200, { checkpoint: { id: "cp-new", status: "protecting" } });
      if (req.method === "POST" && path === "/cloudbackups") return sendJson(res, 200, { job_id: "job-started" });
      if (req.method === "DELETE") return res.writeHead(204).end();
      const answers = scripts.get(path);
      if (!answers) return sendJson(res, 404, { error_code: "T.404", error_msg: `nothing scripted for ${path}` });
      const n = polls.get(path) ?? 0;
      polls.set(path, n + 1);
      const [status, body] = answers[Math.min(n, answers.length - 1)]!;
      if (status === HANG) return; // never answers; close() drops the connection
      sendJson(res, status, body);
    },
    { maxRequests: 1_000 },
  );
});
afterAll(() => server.close());

function fakeClock() {
  const clock = advancingClock();
  return { clock, sleeps: clock.sleeps };
}

const auth = staticTokenAuth("t");
const vbs = () => createVbsClient({ endpoint: server.url, projectId: PROJECT_ID, auth, retry: false });
const cbr = () => createCbrClient({ endpoint: server.url, projectId: PROJECT_ID, auth, retry: false });

const job = (status: string, extra: Record<string, unknown> = {}) => ({
  status,
  job_id: "job-1",
  job_type: "bksCreateBackup",
  entities: { volume_id: "vol-1", ...(status === "SUCCESS" ? { backup_id: "bk-1" } : {}) },
  sub_jobs: [{ status, job_id: "sub-1", entities: {} }],
  begin_time: "2016-01-28T16:14:09.466Z",
  end_time: null,
  error_code: null,
  fail_reason: null,
  ...extra,
});

describe("waitForJob (VBS)", () => {
  it("polls INIT → RUNNING → SUCCESS and returns the job with its entities and sub-jobs", async () => {
    script("/jobs/job-1", [200, job("INIT")], [200, job("RUNNING")], [200, job("RUNNING")], [200, job("SUCCESS")]);
    const { clock, sleeps } = fakeClock();
    const seen: Array<string | undefined> = [];
    const result = await waitForJob(vbs(), "job-1", { clock, intervalMs: 1000, jitter: 0, onProgress: (p) => seen.push(p.status) });
    expect(result.status).toBe("SUCCESS");
    expect(result.entities).toMatchObject({ backup_id: "bk-1" });
    expect(result.sub_jobs).toHaveLength(1);
    expect(seen).toEqual(["INIT", "RUNNING", "RUNNING", "SUCCESS"]);
    expect(sleeps).toEqual([1000, 1500, 2250]);
    expect(polls.get("/jobs/job-1")).toBe(4);
  });

  it("throws OperationFailedError with the job's error code and reason on FAIL", async () => {
    script("/jobs/job-2", [200, job("RUNNING")], [200, job("FAIL", { error_code: "VolumeBackup.0064", fail_reason: "The disk is busy." })]);
    const { clock } = fakeClock();
    const error = await waitForJob(vbs(), "job-2", { clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect(error).toMatchObject({ status: "FAIL", code: "VolumeBackup.0064", reason: "The disk is busy.", operationId: "showJob" });
    expect((error as Error).message).toBe("VBS job job-2 ended with status FAIL: VolumeBackup.0064: The disk is busy.");
    expect((error as OperationFailedError).resource).toMatchObject({ job_id: "job-1", status: "FAIL" });
  });

  it("gives up with WaitTimeoutError after the overall timeout, intervals capped", async () => {
    script("/jobs/job-3", [200, job("RUNNING")]);
    const { clock, sleeps } = fakeClock();
    const error = await waitForJob(vbs(), "job-3", { clock, intervalMs: 1000, maxIntervalMs: 4000, maxWaitMs: 20_000, jitter: 0 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ lastStatus: "RUNNING", elapsedMs: 20_000 });
    expect(sleeps).toEqual([1000, 1500, 2250, 3375, 4000, 4000, 3875]);
    expect(sleeps.reduce((a, b) => a + b)).toBe(20_000);
    // The deadline is hard: no poll starts at it.
    expect((error as WaitTimeoutError).polls).toBe(7);
  });

  it("stops with the signal's reason, also in the middle of a wait", async () => {
    script("/jobs/job-4", [200, job("RUNNING")]);
    const controller = new AbortController();
    let count = 0;
    const pending = waitForJob(vbs(), "job-4", {
      intervalMs: 60_000, // the real clock: only the abort can end this wait
      signal: controller.signal,
      onProgress: () => {
        count++;
        setTimeout(() => controller.abort(new Error("user cancelled")), 5);
      },
    });
    await expect(pending).rejects.toThrow("user cancelled");
    expect(count).toBe(1);

    const aborted = new AbortController();
    aborted.abort();
    const before = polls.get("/jobs/job-4");
    await expect(waitForJob(vbs(), "job-4", { signal: aborted.signal })).rejects.toMatchObject({ name: "AbortError" });
    expect(polls.get("/jobs/job-4")).toBe(before);
  });

  it("surfaces HTTP errors while polling as OtcApiError", async () => {
    script("/jobs/job-6", [404, { error: { code: "VolumeBackup.0204", message: "job not found" } }]);
    await expect(waitForJob(vbs(), "job-6", { clock: fakeClock().clock })).rejects.toMatchObject({
      name: "OtcApiError",
      status: 404,
      operationId: "showJob",
    });
  });
});

describe("CBR waiters", () => {
  it("waits for a task and reports its progress", async () => {
    const task = (status: string, progress: number, error = { code: "", message: "" }) => ({
      operation_log: { id: "t-1", status, operation_type: "backup", error_info: error, extra_info: { common: { progress } } },
    });
    script("/operation-logs/t-1", [200, task("waiting", 0)], [200, task("running", 40)], [200, task("success", 100)]);
    const percents: Array<number | undefined> = [];
    const result = await waitForTask(cbr(), "t-1", { clock: fakeClock().clock, onProgress: (p) => percents.push(p.percent) });
    expect(result.status).toBe("success"); // the task itself, not the body around it
    expect(percents).toEqual([0, 40, 100]);

    script(
      "/operation-logs/t-2",
      [200, task("running", 10)],
      [200, task("failed", 10, { code: "BackupService.6001", message: "Resource is busy." })],
    );
    await expect(waitForTask(cbr(), "t-2", { clock: fakeClock().clock })).rejects.toMatchObject({
      name: "OperationFailedError",
      status: "failed",
      code: "BackupService.6001",
      reason: "Resource is busy.",
      operationId: "showOpLog",
    });
  });

  it("waits for a restore point and a backup", async () => {
    script(
      "/checkpoints/cp-1",
      [200, { checkpoint: { id: "cp-1", status: "protecting" } }],
      [200, { checkpoint: { id: "cp-1", status: "available" } }],
    );
    expect((await waitForCheckpoint(cbr(), "cp-1", { clock: fakeClock().clock })).status).toBe("available");

    script(
      "/backups/b-1",
      [200, { backup: { id: "b-1", status: "waiting_protect" } }],
      [200, { backup: { id: "b-1", status: "protecting" } }],
      [200, { backup: { id: "b-1", status: "available" } }],
    );
    const backup = await waitForBackup(cbr(), "b-1", { clock: fakeClock().clock });
    expect(backup).toEqual({ id: "b-1", status: "available" });

    script("/backups/b-2", [200, { backup: { id: "b-2", status: "error" } }]);
    await expect(waitForBackup(cbr(), "b-2", { clock: fakeClock().clock })).rejects.toBeInstanceOf(OperationFailedError);
  });

  it("waits for a deleted backup to disappear", async () => {
    script(
      "/backups/b-3",
      [200, { backup: { id: "b-3", status: "available" } }],
      [200, { backup: { id: "b-3", status: "deleting" } }],
      [404, { error_code: "BackupService.0404", error_msg: "gone" }],
    );
    const statuses: Array<string | undefined> = [];
    const result = await waitForBackup(cbr(), "b-3", {
      until: "deleted",
      clock: fakeClock().clock,
      onProgress: (p) => statuses.push(p.status),
    });
    expect(result).toBeUndefined();
    expect(statuses).toEqual(["available", "deleting", undefined]);
  });

  it("waits for a vault's resources", async () => {
    const vault = (...resources: Array<[string, string]>) => ({
      vault: { id: "v-1", resources: resources.map(([id, protect_status]) => ({ id, protect_status, type: "OS::Cinder::Volume" })) },
    });
    script("/vaults/v-1", [200, vault(["r1", "protecting"], ["r2", "available"])], [200, vault(["r1", "available"], ["r2", "available"])]);
    const percents: Array<number | undefined> = [];
    const result = await waitForVaultResources(cbr(), "v-1", { clock: fakeClock().clock, onProgress: (p) => percents.push(p.percent) });
    expect(result.resources).toHaveLength(2);
    expect(percents).toEqual([50, 100]);

    script("/vaults/v-2", [200, vault(["r1", "removing"], ["r2", "available"])], [200, vault(["r2", "available"])]);
    await waitForVaultResources(cbr(), "v-2", { resourceIds: ["r1"], until: "removed", clock: fakeClock().clock });
    expect(polls.get("/vaults/v-2")).toBe(2);

    script("/vaults/v-3", [200, vault(["r1", "error"])]);
    await expect(waitForVaultResources(cbr(), "v-3", { clock: fakeClock().clock })).rejects.toThrow(
      /resource r1 reports protect_status error/,
    );
    script("/vaults/v-4", [200, vault()]);
    await expect(waitForVaultResources(cbr(), "v-4", { resourceIds: ["nope"], clock: fakeClock().clock })).rejects.toThrow(
      /resource nope is not in the vault/,
    );
  });
});

// The named waiters are generated from x-waiter and the x-async entries polling the same
// operation: every status x-async declares for that operation gets the same verdict from them.
describe("named waiters and the specs' x-async", () => {
  type Case = {
    service: "vbs" | "cbr";
    wait: (id: string) => Promise<unknown>;
    path: (id: string) => string;
    body: (id: string, status: string) => unknown;
  };
  const backupBody = (id: string, status: string) => ({ backup: { id, status } });
  const byPoll: Record<string, Case> = {
    "cbr showBackup": {
      service: "cbr",
      wait: (id) => waitForBackup(cbr(), id, { clock: fakeClock().clock, maxWaitMs: 60_000 }),
      path: (id) => `/backups/${id}`,
      body: backupBody,
    },
    "vbs showNativeBackup": {
      service: "vbs",
      wait: (id) => waitForBackup(vbs(), id, { clock: fakeClock().clock, maxWaitMs: 60_000 }),
      path: (id) => `/backups/${id}`,
      body: backupBody,
    },
    "cbr showCheckpoint": {
      service: "cbr",
      wait: (id) => waitForCheckpoint(cbr(), id, { clock: fakeClock().clock, maxWaitMs: 60_000 }),
      path: (id) => `/checkpoints/${id}`,
      body: (id, status) => ({ checkpoint: { id, status } }),
    },
    "vbs showJob": {
      service: "vbs",
      wait: (id) => waitForJob(vbs(), id, { clock: fakeClock().clock, maxWaitMs: 60_000 }),
      path: (id) => `/jobs/${id}`,
      body: (_id, status) => job(status),
    },
  };
  const declared = [
    ...Object.values(cbrAsync as Record<string, AsyncMeta>).map((a) => ["cbr", a] as const),
    ...Object.values(vbsAsync as Record<string, AsyncMeta>).map((a) => ["vbs", a] as const),
  ].filter(([service, a]) => a.success.length > 0 && `${service} ${a.poll}` in byPoll);

  it("covers every operation a named waiter polls", () => {
    expect(new Set(declared.map(([service, a]) => `${service} ${a.poll}`))).toEqual(new Set(Object.keys(byPoll)));
  });

  it("ends on each declared success and failure status, and polls on through each pending one", async () => {
    let n = 0;
    for (const [service, a] of declared) {
      const c = byPoll[`${service} ${a.poll}`]!;
      const check = async (status: string, verdict: "pending" | "success" | "failure") => {
        const id = `x-${service}-${n++}`;
        const then = verdict === "pending" ? [[200, c.body(id, a.success[0]!)] as [number, unknown]] : [];
        script(c.path(id), [200, c.body(id, status)], ...then);
        const outcome = await c.wait(id).then(
          () => "resolved",
          (e: unknown) => (e instanceof OperationFailedError ? "failed" : e),
        );
        expect({ service, poll: a.poll, status, outcome }).toEqual({
          service,
          poll: a.poll,
          status,
          outcome: verdict === "failure" ? "failed" : "resolved",
        });
        expect(polls.get(c.path(id))).toBe(verdict === "pending" ? 2 : 1);
      };
      for (const status of a.pending ?? []) await check(status, "pending");
      for (const status of a.success) await check(status, "success");
      for (const status of a.failure) await check(status, "failure");
    }
  });

  it("adds the statuses of a client's own x-async to a named waiter's", async () => {
    const own = loopbackClient("cbr", server.url, {
      "GET /v3/{project_id}/backups/{backup_id}": { operationId: "showBackup" },
      "POST /v3/{project_id}/backups/{backup_id}/restore": {
        operationId: "restoreBackup",
        async: {
          kind: "resource",
          poll: "showBackup",
          id: "path:backup_id",
          status: "backup.status",
          success: ["restored"],
          failure: ["lost"],
        },
      },
    });
    script("/backups/own-1", [200, backupBody("own-1", "restored")]);
    await expect(waitForBackup(own, "own-1", { clock: fakeClock().clock })).resolves.toMatchObject({ status: "restored" });
    script("/backups/own-2", [200, backupBody("own-2", "lost")]);
    await expect(waitForBackup(own, "own-2", { clock: fakeClock().clock })).rejects.toBeInstanceOf(OperationFailedError);
    // Without it, the same statuses are neither success nor failure: the wait goes on until its timeout.
    script("/backups/own-3", [200, backupBody("own-3", "restored")]);
    await expect(waitForBackup(cbr(), "own-3", { clock: fakeClock().clock, maxWaitMs: 10_000 })).rejects.toBeInstanceOf(WaitTimeoutError);
  });
});

describe("waitFor (x-async)", () => {
  it("follows a job id from the response (VBS cloudbackups)", async () => {
    script("/jobs/job-started", [200, job("RUNNING")], [200, job("SUCCESS")]);
    const client = vbs();
    const started = await client.POST("/v2/{project_id}/cloudbackups", { body: { backup: { volume_id: "vol-1", name: "bk" } } } as never);
    const { clock, sleeps } = fakeClock();
    const result = await waitFor(client, "POST /v2/{project_id}/cloudbackups", started, { clock, intervalMs: 1_500, jitter: 0 });
    expect(result).toMatchObject({ status: "SUCCESS" });
    expect(sleeps).toEqual([1_500]); // a new job: the first poll is immediate
  });

  it("follows a resource id from the response (CBR restore point)", async () => {
    script(
      "/checkpoints/cp-new",
      [200, { checkpoint: { id: "cp-new", status: "protecting" } }],
      [200, { checkpoint: { id: "cp-new", status: "available" } }],
    );
    const client = cbr();
    const started = await client.POST("/v3/{project_id}/checkpoints", { body: { checkpoint: { vault_id: "v-1" } } } as never);
    const result = await waitFor(client, "POST /v3/{project_id}/checkpoints", started, { clock: fakeClock().clock });
    expect(result?.checkpoint?.status).toBe("available");
  });

  it("reads a path id from the call's URL and treats 404 as done for deletions", async () => {
    script(
      "/vaults/v-del",
      [200, { vault: { id: "v-del", billing: { status: "deleting" } } }],
      [404, { error_code: "BackupService.6010", error_msg: "not found" }],
    );
    const client = cbr();
    const started = await client.DELETE("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "v-del" } } });
    const { clock, sleeps } = fakeClock();
    const result = await waitFor(client, "DELETE /v3/{project_id}/vaults/{vault_id}", started, { clock, intervalMs: 1_000, jitter: 0 });
    expect(result).toBeUndefined();
    // work on an existing resource: one interval before the first poll
    expect(sleeps).toEqual([1_000, 1_000]);
  });

  it("takes path parameters given explicitly and fails on the spec's failure statuses", async () => {
    script(
      "/backups/b-restore",
      [200, { backup: { id: "b-restore", status: "restoring" } }],
      [200, { backup: { id: "b-restore", status: "error" } }],
    );
    const error = await waitFor(
      cbr(),
      "POST /v3/{project_id}/backups/{backup_id}/restore",
      { path: { backup_id: "b-restore" } },
      { clock: fakeClock().clock },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "OperationFailedError", status: "error", operationId: "showBackup" });
  });

  it("refuses operations without x-async and missing ids", async () => {
    await expect(waitFor(cbr(), "GET /v3/{project_id}/vaults" as never, {})).rejects.toThrow(/no x-async/);
    await expect(waitFor(cbr(), "POST /v3/{project_id}/checkpoints", { data: {} })).rejects.toThrow(/checkpoint\.id/);
    await expect(waitForJob(vbs(), "")).rejects.toThrow(/jobId must be a non-empty string/);
  });
});

describe("the deadline and passing failures", () => {
  it("ends a hanging poll at the waiter's deadline with WaitTimeoutError carrying the last status", async () => {
    script("/jobs/job-hang", [200, job("RUNNING")], [HANG, null]);
    // The client would wait 5 s per attempt, 3 attempts: the waiter's 300 ms must win.
    const client = createVbsClient({ endpoint: server.url, projectId: PROJECT_ID, auth, timeoutMs: 5_000, retry: { maxAttempts: 3 } });
    // The wait between the polls runs on the fake clock; the 300 ms left of the wait then bound the hanging poll.
    const error = await waitForJob(client, "job-hang", { clock: fakeClock().clock, maxWaitMs: 1_300, intervalMs: 1_000, jitter: 0 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ lastStatus: "RUNNING", polls: 1 });
    expect((error as WaitTimeoutError).resource).toMatchObject({ job_id: "job-1", status: "RUNNING" });
    // One poll answered, one in flight when the deadline aborted it: the client never got to retry.
    expect(polls.get("/jobs/job-hang")).toBe(2);
  });

  it("polls again after 503s, network errors and gateway timeouts, and resolves when the job succeeds", async () => {
    script(
      "/jobs/job-flaky",
      [200, job("RUNNING")],
      [503, { error_code: "APIG.0503", error_msg: "busy" }],
      [503, {}],
      [503, {}],
      [200, job("SUCCESS")],
    );
    const { clock, sleeps } = fakeClock();
    const failures: unknown[] = [];
    const result = await waitForJob(vbs(), "job-flaky", {
      clock,
      intervalMs: 1_000,
      jitter: 0,
      onProgress: (p) => p.error !== undefined && failures.push(p.error),
    });
    expect(result.status).toBe("SUCCESS");
    expect(polls.get("/jobs/job-flaky")).toBe(5);
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({ name: "OtcApiError", status: 503 });
    expect(sleeps).toEqual([1_000, 1_500, 2_250, 3_375]); // the waiter's own backoff
  });

  it("ends with WaitTimeoutError, not the passing failure, when the deadline comes first", async () => {
    script("/jobs/job-down", [200, job("RUNNING")], [502, { error_code: "APIG.0502", error_msg: "bad gateway" }]);
    const error = await waitForJob(vbs(), "job-down", { clock: fakeClock().clock, intervalMs: 1_000, maxWaitMs: 10_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ lastStatus: "RUNNING" });
  });

  it("ends at once on a failure that polling again cannot fix", async () => {
    script("/jobs/job-gone", [200, job("RUNNING")], [403, { error: { code: "VolumeBackup.0403", message: "forbidden" } }]);
    await expect(waitForJob(vbs(), "job-gone", { clock: fakeClock().clock })).rejects.toMatchObject({ name: "OtcApiError", status: 403 });
    expect(polls.get("/jobs/job-gone")).toBe(2);
  });
});
