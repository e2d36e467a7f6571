// Timeouts with one meaning each, timers that never overflow, listeners that never take a call
// (or the process) down, and option checks that refuse what would silently do something else.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sleep } from "../../src/clock.js";
import { agencyAuth, createCbrClient, passwordAuth, staticTokenAuth, temporaryCredentialsAuth } from "../../src/index.js";
import { nodeSender } from "../../src/node.js";
import { keepsTimeouts, type SendRequest, type Sender } from "../../src/pipeline/senders/types.js";
import { after as armTimer, MAX_TIMER_MS } from "../../src/timers.js";
import { PROJECT_ID, TOKEN } from "../support/constants.js";

const DAY = 86_400_000;

let server: Server;
let url = "";
let requests = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    requests++;
    if (req.url!.endsWith("/retry-after")) {
      res.writeHead(503, { "Retry-After": String((30 * DAY) / 1000), "Content-Type": "application/json" }).end("{}");
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json" }).end('{"vaults":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = (options: Record<string, unknown> = {}) =>
  createCbrClient({ endpoint: url, projectId: PROJECT_ID, auth: staticTokenAuth(TOKEN), throwOnError: true, ...options });

describe("timers longer than 2^31−1 ms", () => {
  it("never fire early (Node would fire them after 1 ms)", async () => {
    let fired = false;
    const timer = armTimer(30 * DAY, () => (fired = true));
    const stop = new AbortController();
    const slept = sleep(30 * DAY, stop.signal).then(
      () => (fired = true),
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(fired).toBe(false);
    timer.cancel();
    stop.abort();
    await slept;
  });

  it("are armed in steps of at most 2^31−1 ms", () => {
    const spy = vi.spyOn(globalThis, "setTimeout");
    try {
      armTimer(30 * DAY, () => {}).cancel();
      expect(spy.mock.calls.map((c) => c[1])).toEqual([MAX_TIMER_MS]);
    } finally {
      spy.mockRestore();
    }
  });

  it("a 30-day timeoutMs does not time a call out at once", async () => {
    const { data } = await client({ timeoutMs: 30 * DAY, attemptTimeoutMs: 30 * DAY }).GET("/v3/{project_id}/vaults");
    expect(data).toEqual({ vaults: [] });
  });

  it("a 30-day Retry-After is not retried at once", async () => {
    const before = requests;
    const controller = new AbortController();
    const pending = client({ timeoutMs: 40 * DAY })
      .GET("/v3/{project_id}/retry-after" as never, { signal: controller.signal } as never)
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    expect(requests - before).toBe(1);
    controller.abort(new Error("stop waiting"));
    expect(await pending).toMatchObject({ message: "stop waiting" });
  });
});

describe("with the default timeouts", () => {
  afterEach(() => void vi.useRealTimers());

  it("an attempt that times out is retried within the call's deadline", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    let attempts = 0;
    // The first attempt never answers (it ends when its signal aborts); the second answers.
    const fetch = (request: Request) => {
      attempts++;
      if (attempts > 1) return Promise.resolve(new Response('{"vaults":[]}', { headers: { "Content-Type": "application/json" } }));
      return new Promise<Response>((_resolve, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    };
    const pending = client({ fetch, retry: { random: () => 0 } }).GET("/v3/{project_id}/vaults");
    await vi.advanceTimersByTimeAsync(31_000);
    const { data } = await pending;
    expect(data).toEqual({ vaults: [] });
    expect(attempts).toBe(2);
  });
});

describe("an attempt's timeout", () => {
  const answer = {
    status: 200,
    statusText: "OK",
    headers: new Headers({ "Content-Type": "application/json" }),
    bytes: async () => new TextEncoder().encode('{"vaults":[]}'),
    stream: () => null,
    discard: async () => {},
  };

  it("is given as timeoutMs, without a signal, to a sender that keeps timeouts", async () => {
    const seen: SendRequest[] = [];
    const sender: Sender = async (request) => (seen.push(request), answer);
    (sender as { [keepsTimeouts]?: boolean })[keepsTimeouts] = true;
    await client({ sender, attemptTimeoutMs: 5_000 }).GET("/v3/{project_id}/vaults");
    expect(seen[0]!.signal).toBeUndefined();
    expect(seen[0]!.timeoutMs).toBeGreaterThan(4_000);
    expect(seen[0]!.timeoutMs).toBeLessThanOrEqual(5_000);
  });

  it("is a signal for any other sender, and for a body the caller streams", async () => {
    const seen: SendRequest[] = [];
    const sender: Sender = async (request) => (seen.push(request), answer);
    await client({ sender }).GET("/v3/{project_id}/vaults");
    const keeping: Sender = async (request) => (seen.push(request), answer);
    (keeping as { [keepsTimeouts]?: boolean })[keepsTimeouts] = true;
    await client({ sender: keeping }).GET("/v3/{project_id}/vaults", { parseAs: "stream" });
    for (const request of seen) {
      expect(request.signal).toBeInstanceOf(AbortSignal);
      expect(request.timeoutMs).toBeUndefined();
    }
  });

  it("times out a hanging answer through the node sender's own timer, as a timeout error", async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", () => resolve()));
    try {
      const endpoint = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
      const cbr = createCbrClient({
        endpoint,
        projectId: PROJECT_ID,
        auth: staticTokenAuth(TOKEN),
        throwOnError: true,
        sender: nodeSender(),
        attemptTimeoutMs: 50,
        retry: false,
      });
      await expect(cbr.GET("/v3/{project_id}/vaults")).rejects.toMatchObject({ kind: "timeout" });
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});

describe("onEvent", () => {
  it("an async listener that rejects never leaves an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const onEvent = async () => {
        throw new Error("listener broke");
      };
      const { data } = await client({ onEvent }).GET("/v3/{project_id}/vaults");
      expect(data).toEqual({ vaults: [] });
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("option checks", () => {
  it("refuse timeouts that are not positive numbers", () => {
    for (const name of ["timeoutMs", "attemptTimeoutMs"]) {
      for (const bad of [Number.NaN, -1, 0, "5000"])
        expect(() => client({ [name]: bad }), `${name}: ${String(bad)}`).toThrow(`cbr: \`${name}\` must be a number ≥ 1 (or Infinity)`);
    }
  });

  it("refuse retry.maxElapsedMs, naming timeoutMs", () => {
    expect(() => client({ retry: { maxElapsedMs: 60_000 } })).toThrow(TypeError);
    expect(() => client({ retry: { maxElapsedMs: 60_000 } })).toThrow("`timeoutMs`");
  });

  it("refuse lists given as strings", () => {
    expect(() => client({ retry: { statuses: "503" } })).toThrow("retry: `statuses` must be an array of HTTP statuses");
    expect(() => client({ retry: { methods: "GET" } })).toThrow("retry: `methods` must be an array of HTTP method names");
  });

  it("refuse a per-call timeoutMs that is not a positive number", async () => {
    await expect(client().GET("/v3/{project_id}/vaults", { timeoutMs: -5 } as never)).rejects.toThrow("`timeoutMs` must be a number ≥ 1");
  });

  it("refuse the strategies' timeoutMs, naming attemptTimeoutMs", () => {
    const iam = { authUrl: "https://iam.example/v3", projectId: PROJECT_ID, timeoutMs: 5_000 };
    expect(() => passwordAuth({ ...iam, user: "u", domainName: "d", password: "p" } as never)).toThrow(
      "passwordAuth: `timeoutMs` was replaced: the timeout of each IAM request is `attemptTimeoutMs`",
    );
    expect(() => agencyAuth({ ...iam, auth: staticTokenAuth(TOKEN), domainName: "d", agencyName: "a" } as never)).toThrow(
      "`attemptTimeoutMs`",
    );
    expect(() => temporaryCredentialsAuth({ ...iam, auth: staticTokenAuth(TOKEN) } as never)).toThrow("`attemptTimeoutMs`");
    expect(() =>
      passwordAuth({
        authUrl: "https://iam.example/v3",
        projectId: PROJECT_ID,
        user: "u",
        domainName: "d",
        password: "p",
        attemptTimeoutMs: Number.NaN,
      }),
    ).toThrow("passwordAuth: `attemptTimeoutMs` must be a number ≥ 1 (or Infinity)");
  });
});
