// Retries through a real client and loopback servers that count what they receive.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { RetryOptions } from "../../src/pipeline/steps/retry.js";
import type { OperationTable } from "../../src/operations.js";
import {
  PROJECT_ID,
  countingAuth,
  freePort,
  instantClock,
  loopbackClient,
  sendJson,
  startLoopback,
  type Loopback,
} from "../support/loopback.js";
import { serverDecidedTimeouts } from "../support/server-timeouts.js";

const table: OperationTable = {
  "GET /v3/{project_id}/flaky/{case}": { operationId: "showFlaky" },
  "PUT /v3/{project_id}/flaky/{case}": { operationId: "updateFlaky" },
  "DELETE /v3/{project_id}/flaky/{case}": { operationId: "deleteFlaky" },
  "POST /v3/{project_id}/flaky/{case}": { operationId: "createFlaky" },
};

/** Per case: how many times it was asked, and the answers to give in turn. */
const counts = new Map<string, number>();
const SCRIPTS: Record<string, Array<number | "reset" | [number, Record<string, string>]>> = {
  twice503: [503, 503, 200],
  always503: [503],
  always500: [500],
  reset: ["reset", 200],
  retryAfter: [[429, { "Retry-After": "2" }], 200],
  retryAfterDate: [[503, { "Retry-After": new Date(Date.now() + 3_600_000).toUTCString() }], 200],
  gateway: [502, 504, 200],
};

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback(
    (req, res, raw) => {
      const name = req.url.pathname.split("/").pop()!;
      const key = `${req.method} ${name}`;
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      const script = SCRIPTS[name] ?? [200];
      const step = script[Math.min(n, script.length - 1)]!;
      if (step === "reset") {
        raw.socket.destroy();
        return;
      }
      const [status, headers] = Array.isArray(step) ? step : [step, {}];
      sendJson(
        res,
        status,
        status < 400
          ? { ok: true, attempt: req.headers["x-test-attempt"], body: req.body }
          : { error_code: `T.${status}`, error_msg: "try again" },
        headers,
      );
    },
    { maxRequests: 500 },
  );
});
afterAll(() => server.close());

function retrying(retry: RetryOptions = {}, timeoutMs?: number) {
  const delays: number[] = [];
  const auth = countingAuth();
  const client = loopbackClient("cbr", server.url, table, {
    auth,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    retry: { random: () => 0.5, clock: instantClock(delays), ...retry },
  });
  return { client, delays, auth };
}

const reset = () => counts.clear();
const count = (method: string, name: string) => counts.get(`${method} ${name}`) ?? 0;
const path = "/v3/{project_id}/flaky/{case}" as const;
const params = (name: string) => ({ params: { path: { case: name } } });

describe("retries through the client", () => {
  it("retries a GET on 503 with fresh credentials for every attempt", async () => {
    reset();
    const { client, delays, auth } = retrying();
    const result = await client.GET(path, params("twice503"));
    expect(result.response.status).toBe(200);
    expect(count("GET", "twice503")).toBe(3);
    expect(auth.calls).toBe(3);
    expect((result.data as { attempt: string }).attempt).toBe("3"); // the third attempt was authenticated afresh
    expect(delays).toEqual([250, 500]);
  });

  it("retries 502 and 504", async () => {
    reset();
    const { client } = retrying();
    expect((await client.GET(path, params("gateway"))).response.status).toBe(200);
    expect(count("GET", "gateway")).toBe(3);
  });

  it("gives the last error answer after maxAttempts", async () => {
    reset();
    const { client } = retrying({ maxAttempts: 4 });
    const result = await client.GET(path, params("always503"));
    expect(result.response.status).toBe(503);
    expect(count("GET", "always503")).toBe(4);
  });

  it("does not retry a 500", async () => {
    reset();
    const { client } = retrying();
    expect((await client.GET(path, params("always500"))).response.status).toBe(500);
    expect(count("GET", "always500")).toBe(1);
  });

  it("retries idempotent requests whose connection was reset, resending the same body", async () => {
    reset();
    const { client } = retrying();
    const got = await client.GET(path, params("reset"));
    expect(got.response.status).toBe(200);
    expect(count("GET", "reset")).toBe(2);
    reset();
    const put = await client.PUT(path, { ...params("reset"), body: { name: "é✓" } });
    expect(count("PUT", "reset")).toBe(2);
    expect((put.data as { body: string }).body).toBe('{"name":"é✓"}');
    reset();
    await client.DELETE(path, params("reset"));
    expect(count("DELETE", "reset")).toBe(2);
  });

  it("never sends a POST twice when it may have arrived", async () => {
    for (const name of ["twice503", "reset", "retryAfter", "gateway"]) {
      reset();
      const { client } = retrying();
      await client.POST(path, { ...params(name), body: { x: 1 } }).catch(() => undefined);
      expect(count("POST", name)).toBe(1);
    }
  });

  it("retries a POST whose connection was refused, and it arrives exactly once", async () => {
    reset();
    const port = await freePort();
    let late: Loopback | undefined;
    const received: string[] = [];
    const client = loopbackClient("cbr", `http://127.0.0.1:${port}`, table, {
      retry: {
        random: () => 0,
        // the server comes up while the client waits to retry
        clock: {
          now: () => Date.now(),
          sleep: async () => {
            late ??= await startLoopback(
              (req, res) => {
                received.push(`${req.method} ${req.body}`);
                sendJson(res, 200, { created: true });
              },
              { port, maxRequests: 10 },
            );
          },
        },
      },
    });
    try {
      const result = await client.POST(path, { ...params("new"), body: { name: "once" } });
      expect(result.data).toEqual({ created: true });
      expect(received).toEqual(['POST {"name":"once"}']);
    } finally {
      await late?.close();
    }
  });

  it("honours Retry-After", async () => {
    reset();
    const { client, delays } = retrying();
    expect((await client.GET(path, params("retryAfter"))).response.status).toBe(200);
    expect(delays).toEqual([2000]);
  });

  it("does not wait for a Retry-After beyond the call's deadline", async () => {
    reset();
    const { client, delays } = retrying({}, 60_000);
    const result = await client.GET(path, params("retryAfterDate"));
    expect(result.response.status).toBe(503);
    expect(delays).toEqual([]);
    expect(count("GET", "retryAfterDate")).toBe(1);
  });

  it("retries timed-out attempts of idempotent requests", async () => {
    let calls = 0;
    const slow = createServer((_req, res) => {
      calls++;
      if (calls === 1) return; // first attempt never answered
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", () => resolve()));
    const { port } = slow.address() as { port: number };
    try {
      const client = loopbackClient("cbr", `http://127.0.0.1:${port}`, table, { attemptTimeoutMs: 500, retry: { clock: instantClock() } });
      const result = await client.GET(path, params("x"));
      expect(result.data).toEqual({ ok: true });
      expect(calls).toBe(2);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it("can be switched off", async () => {
    reset();
    const client = loopbackClient("cbr", server.url, table, { retry: false });
    expect((await client.GET(path, params("twice503"))).response.status).toBe(503);
    expect(count("GET", "twice503")).toBe(1);
  });

  it("sends requests to the project's URL on every attempt", async () => {
    reset();
    const before = server.requests.length;
    const { client } = retrying();
    await client.GET(path, params("twice503"));
    const urls = server.requests.slice(before).map((r) => r.url.pathname);
    expect(urls).toEqual(Array(3).fill(`/v3/${PROJECT_ID}/flaky/twice503`));
  });
});

describe("the body is part of the attempt", () => {
  /** Per case and attempt: what the server does. */
  const BODY_CASES: Record<string, Array<"ok" | "stall-body" | "cut-body" | "bad-gzip" | "silent">> = {
    stallThenOk: ["stall-body", "ok"],
    cutThenOk: ["cut-body", "ok"],
    alwaysBadGzip: ["bad-gzip"],
    alwaysStall: ["stall-body"],
    silent: ["silent"],
  };
  const seen = new Map<string, number>();
  const timeouts = serverDecidedTimeouts();
  let bodies: Loopback;
  beforeAll(async () => {
    bodies = await startLoopback((req, res, raw) => {
      const name = req.url.pathname.split("/").pop()!;
      const n = seen.get(name) ?? 0;
      seen.set(name, n + 1);
      const steps = BODY_CASES[name] ?? ["ok"];
      const step = steps[Math.min(n, steps.length - 1)]!;
      const body = JSON.stringify({ ok: true, attempt: n + 1 });
      switch (step) {
        case "silent":
          return;
        case "stall-body":
          res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
          res.write('{"ok":');
          timeouts.expire(req, "after-headers"); // the body stalls: the attempt times out once the headers are in
          return;
        case "cut-body":
          res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
          res.write('{"ok":');
          setTimeout(() => raw.socket.destroy(), 5);
          return;
        case "bad-gzip":
          res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
          res.end("this is not gzip");
          return;
        default:
          sendJson(res, 200, JSON.parse(body));
      }
    });
  });
  afterAll(() => bodies.close());
  const client = (options: Record<string, unknown> = {}) =>
    loopbackClient("cbr", bodies.url, table, {
      fetch: timeouts.fetch,
      retry: { random: () => 0, clock: instantClock() },
      throwOnError: true,
      ...options,
    });
  const get = (c: ReturnType<typeof client>, name: string) => c.GET(path, params(name));

  it("retries a GET whose body stalled after the headers", async () => {
    const { data } = await get(client(), "stallThenOk");
    expect(data).toEqual({ ok: true, attempt: 2 });
    expect(seen.get("stallThenOk")).toBe(2);
  });

  it("retries a GET whose connection was cut in the middle of the body", async () => {
    const { data } = await get(client(), "cutThenOk");
    expect(data).toEqual({ ok: true, attempt: 2 });
    expect(seen.get("cutThenOk")).toBe(2);
  });

  it("says that an answer arrived when its body did not finish in time", async () => {
    const error = await get(client({ retry: false }), "alwaysStall").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "OtcApiError", kind: "timeout", status: 200, operationId: "showFlaky" });
    expect((error as Error).message).toMatch(/^showFlaky: HTTP 200 arrived, but its body did not finish before the request timeout/);
  });

  it("reports a body that does not decode as malformed-response, not as a network error", async () => {
    const error = await get(client({ retry: { maxAttempts: 2, random: () => 0, clock: instantClock() } }), "alwaysBadGzip").catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "OtcApiError", kind: "malformed-response", status: 200 });
    expect((error as Error).message).toMatch(/HTTP 200 arrived, but its body could not be decoded \(Content-Encoding gzip: /);
    expect(seen.get("alwaysBadGzip")).toBe(2);
  });

  it("treats timeoutMs as the deadline of the whole call: the last attempt's timeout shrinks to fit", async () => {
    const c = client({ attemptTimeoutMs: 1_000, timeoutMs: 1_500, retry: { maxAttempts: 5, random: () => 0, clock: instantClock() } });
    const error = await get(c, "silent").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "OtcApiError", kind: "timeout", status: 0 });
    // 1,000 ms, then what is left of 1,500 ms; a third attempt would have had no time left. (On a
    // busy machine the first timer can fire so late that not even a second attempt fits.)
    expect(seen.get("silent")).toBeGreaterThanOrEqual(1);
    expect(seen.get("silent")).toBeLessThanOrEqual(2);
  });
});
