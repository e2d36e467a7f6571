// A waiter fails at once on what polling again cannot fix (its own options, an id the client's
// path check refuses, any refusal the client makes before sending), polls through only passing
// failures (no answer, a timeout, 429, 502–504), and never polls faster than once a second.
// Every wait runs on a fake clock; the services answer through an injected fetch.
import { describe, expect, it } from "vitest";
import {
  createVbsClient,
  staticTokenAuth,
  waitFor,
  waitForBackup,
  waitForCheckpoint,
  waitForJob,
  waitForTask,
  waitForVaultResources,
  WaitTimeoutError,
} from "../../src/index.js";
import { PROJECT_ID, advancingClock } from "../support/loopback.js";

function fakeClock() {
  const clock = advancingClock();
  return { clock, sleeps: clock.sleeps };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const job = (status: string) => ({
  status,
  job_id: "j",
  job_type: "bksCreateBackup",
  entities: {},
  begin_time: "2016-01-28T16:14:09.466Z",
  end_time: null,
  error_code: null,
  fail_reason: null,
});

/** A VBS client whose every request is answered by `answer`; `requests()` counts them. */
function vbsAnswering(answer: (n: number) => Response | Promise<Response>) {
  let requests = 0;
  const client = createVbsClient({
    endpoint: "https://vbs.example.test",
    projectId: PROJECT_ID,
    auth: staticTokenAuth("MIItoken"),
    retry: false,
    fetch: async () => answer(requests++),
  });
  return { client, requests: () => requests };
}

describe("waiters: usage errors fail at once", () => {
  it.each(["..", ".", "a\uD800b"])("an id the client's path check refuses (%j) raises a TypeError before any poll", async (id) => {
    const { client, requests } = vbsAnswering(() => json(200, job("RUNNING")));
    const { clock, sleeps } = fakeClock();
    const error = await waitForJob(client, id, { clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^wait: VBS job .*: path parameter job_id/);
    expect(requests()).toBe(0);
    expect(sleeps).toEqual([]);
  });

  it("a TypeError the client raises before sending (no cause) ends the wait on the first poll", async () => {
    const { clock, sleeps } = fakeClock();
    let polls = 0;
    const client = {
      GET: async () => {
        polls++;
        throw new TypeError("Headers.append: invalid header value");
      },
    };
    await expect(waitForJob(client, "job-1", { clock })).rejects.toThrow("invalid header value");
    expect(polls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("a network failure (fetch's TypeError with a cause) is polled through", async () => {
    const { client, requests } = vbsAnswering((n) => {
      if (n === 0)
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
      return json(200, job("SUCCESS"));
    });
    const { clock } = fakeClock();
    const errors: unknown[] = [];
    await expect(waitForJob(client, "job-1", { clock, onProgress: (p) => p.error && errors.push(p.error) })).resolves.toMatchObject({
      status: "SUCCESS",
    });
    expect(requests()).toBe(2);
    expect(errors[0]).toMatchObject({ name: "OtcApiError", kind: "network" });
  });

  it.each([429, 502, 503, 504])("HTTP %i is polled through", async (status) => {
    const { client, requests } = vbsAnswering((n) =>
      n === 0 ? json(status, { error_code: "X", error_msg: "busy" }) : json(200, job("SUCCESS")),
    );
    await expect(waitForJob(client, "job-1", { clock: fakeClock().clock })).resolves.toMatchObject({ status: "SUCCESS" });
    expect(requests()).toBe(2);
  });

  it("a raw TimeoutError from a foreign client is polled through", async () => {
    let polls = 0;
    const client = {
      GET: async () => {
        if (polls++ === 0) throw new DOMException("timed out", "TimeoutError");
        return { data: job("SUCCESS"), response: new Response(null, { status: 200 }) };
      },
    };
    await expect(waitForJob(client, "job-1", { clock: fakeClock().clock })).resolves.toMatchObject({ status: "SUCCESS" });
    expect(polls).toBe(2);
  });
});

describe("waiters: options", () => {
  const waiters = {
    waitForJob: (options: object) => waitForJob(vbsAnswering(() => json(200, job("RUNNING"))).client, "j", options),
    waitForBackup: (options: object) => waitForBackup(vbsAnswering(() => json(200, {})).client, "b", options),
    waitForCheckpoint: (options: object) => waitForCheckpoint(vbsAnswering(() => json(200, {})).client, "c", options),
    waitForTask: (options: object) => waitForTask(vbsAnswering(() => json(200, {})).client, "t", options),
    waitForVaultResources: (options: object) => waitForVaultResources(vbsAnswering(() => json(200, {})).client, "v", options),
  };

  it.each(Object.entries(waiters))("%s refuses `timeoutMs`, naming `maxWaitMs`", async (name, wait) => {
    await expect(wait({ timeoutMs: 60_000 })).rejects.toThrow(
      new TypeError(
        `${name}: \`timeoutMs\` was replaced: the wait's deadline is \`maxWaitMs\` (default 3 600 000 ms); each poll keeps the client's own \`timeoutMs\``,
      ),
    );
  });

  it("waitFor refuses `timeoutMs` too", async () => {
    const { client } = vbsAnswering(() => json(200, job("RUNNING")));
    await expect(
      waitFor(client, "POST /v2/{project_id}/cloudbackups", { data: { job_id: "j" } }, { timeoutMs: 1 } as never),
    ).rejects.toThrow(/`maxWaitMs`/);
  });

  it.each([
    [{ intervalMs: 0 }, "waitForJob: `intervalMs` must be a number from 1000 to 2147483647"],
    [{ intervalMs: 500 }, "waitForJob: `intervalMs` must be a number from 1000 to 2147483647"],
    [{ intervalMs: Number.NaN }, "waitForJob: `intervalMs` must be"],
    [{ maxIntervalMs: 10 }, "waitForJob: `maxIntervalMs` must be a number from 1000"],
    [{ maxIntervalMs: 1e12 }, "waitForJob: `maxIntervalMs` must be a number from 1000"],
    [{ backoff: 0.5 }, "waitForJob: `backoff` must be a number from 1 to 10"],
    [{ jitter: 2 }, "waitForJob: `jitter` must be a number from 0 to 1"],
    [{ maxWaitMs: 0 }, "waitForJob: `maxWaitMs` must be a number ≥ 1 (or Infinity)"],
    [{ maxWaitMs: -1 }, "waitForJob: `maxWaitMs` must be"],
    [{ maxWaitMs: "60000" }, "waitForJob: `maxWaitMs` must be"],
    [{ initialDelayMs: -1 }, "waitForJob: `initialDelayMs` must be"],
    [{ onProgress: "log" }, "waitForJob: `onProgress` must be a function"],
    [{ signal: {} }, "waitForJob: `signal` must be an AbortSignal"],
    [{ clock: {} }, "waitForJob: `clock` must have now() and sleep()"],
  ])("refuses %o before any poll", async (options, message) => {
    const { client, requests } = vbsAnswering(() => json(200, job("RUNNING")));
    await expect(waitForJob(client, "j", options as never)).rejects.toThrow(message);
    expect(requests()).toBe(0);
  });

  it("refuses a wrong `until` or `resourceIds`", async () => {
    const { client } = vbsAnswering(() => json(200, {}));
    await expect(waitForBackup(client, "b", { until: "gone" } as never)).rejects.toThrow('`until` must be one of "available", "deleted"');
    await expect(waitForVaultResources(client, "v", { resourceIds: "r-1" } as never)).rejects.toThrow(
      "`resourceIds` must be an array of strings",
    );
  });
});

describe("waiters: backoff", () => {
  it("never polls faster than once a second: an hour of 503s is about 130 polls, every wait ≥ 1 000 ms", async () => {
    const { client, requests } = vbsAnswering(() => json(503, { error_code: "APIG.0503", error_msg: "busy" }));
    const { clock, sleeps } = fakeClock();
    const error = await waitForJob(client, "j", { clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    // Every wait before a poll is at least a second; the last wait runs to the deadline (what is
    // left of the hour, whatever the jitter made it) and ends the wait with no poll after it.
    expect(Math.min(...sleeps.slice(0, -1))).toBeGreaterThanOrEqual(1_000);
    expect(requests()).toBe(sleeps.length);
    expect(requests()).toBeLessThanOrEqual(200);
    expect(sleeps.reduce((a, b) => a + b)).toBe(3_600_000);
  });

  it("spreads the waits by up to `jitter` below the schedule, never below the floor", async () => {
    const { client } = vbsAnswering(() => json(200, job("RUNNING")));
    const { clock, sleeps } = fakeClock();
    await waitForJob(client, "j", { clock, intervalMs: 2_000, maxIntervalMs: 8_000, maxWaitMs: 60_000, jitter: 0.5 }).catch(
      () => undefined,
    );
    const schedule = [2_000, 3_000, 4_500, 6_750, 8_000, 8_000];
    schedule.forEach((planned, i) => {
      expect(sleeps[i]).toBeLessThanOrEqual(planned);
      expect(sleeps[i]).toBeGreaterThanOrEqual(Math.max(1_000, planned / 2));
    });
  });

  it("waits forever with maxWaitMs: Infinity (until the signal aborts)", async () => {
    const { client } = vbsAnswering(() => json(200, job("RUNNING")));
    const { clock, sleeps } = fakeClock();
    const controller = new AbortController();
    const error = await waitForJob(client, "j", {
      clock,
      maxWaitMs: Number.POSITIVE_INFINITY,
      signal: controller.signal,
      onProgress: (p) => p.polls === 50 && controller.abort(new Error("enough")),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("enough");
    expect(sleeps).toHaveLength(49);
  });
});
