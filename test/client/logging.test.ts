// The client's onEvent option: one event per attempt, with what identifies the request and its
// outcome (method, redacted URL, operationId, status or failure kind, duration, attempt number,
// retry decision, request id), told as soon as the retry policy has decided; and never a
// credential, a header value or a body, for any strategy and any outcome.
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { akskAuth, createCbrClient, createVbsClient, staticTokenAuth, type AuthStrategy, type ClientEvent } from "../../src/index.js";
import { serverDecidedTimeouts } from "../support/server-timeouts.js";
import { freePort, instantClock, PROJECT_ID, sendJson, startLoopback, type Loopback } from "../support/loopback.js";

const TOKEN = "MIIeventsTOKEN-0123456789-DoNotLeak";
const AK = "EVENTSACCESSKEY0AK01";
const SK = "EventsSecretKey-DoNotLeak-0123456789";
const SECURITY_TOKEN = "EventsSecurityToken-DoNotLeak-abcdef";
const BODY_SECRET = "body-field-DoNotLeak";

/** Per case (the path's last segment): the answers to give in turn, the last one repeated. */
const SCRIPTS: Record<string, Array<number | "reset" | "stall" | "hold">> = {
  ok: [200],
  flaky: [503, 200],
  down: [503],
  reset: ["reset"],
  stall: ["stall"],
  hold: ["hold"],
  unauthorized: [401],
};
const asked = new Map<string, number>();
const timeouts = serverDecidedTimeouts();

let api: Loopback;
let deadPort: number;
beforeAll(async () => {
  api = await startLoopback((req, res, raw) => {
    const name = req.url.pathname.split("/").pop() ?? "";
    const n = asked.get(name) ?? 0;
    asked.set(name, n + 1);
    const script = SCRIPTS[name] ?? [200];
    const step = script[Math.min(n, script.length - 1)];
    if (step === "reset") return void raw.socket.destroy();
    if (step === "stall") return void timeouts.expire(req); // no answer: the attempt times out now
    if (step === "hold") return; // no answer, no timeout: for the caller to abort
    sendJson(
      res,
      step as number,
      step === 200 ? { vault: { id: name, secret: BODY_SECRET } } : { error_code: "CBR.0001", error_msg: "failed" },
      { "X-Request-Id": `req-${name}-${n + 1}` },
    );
  });
  deadPort = await freePort();
});
afterAll(() => api.close());

function client(
  events: ClientEvent[],
  options: { endpoint?: string; auth?: AuthStrategy; maxAttempts?: number; onEvent?: (event: ClientEvent) => void } = {},
) {
  asked.clear();
  return createCbrClient({
    endpoint: options.endpoint ?? api.url,
    projectId: PROJECT_ID,
    auth: options.auth ?? staticTokenAuth(TOKEN),
    retry: { maxAttempts: options.maxAttempts ?? 3, clock: instantClock(), random: () => 0.5 },
    fetch: timeouts.fetch,
    onEvent: options.onEvent ?? ((event) => void events.push(event)),
  });
}

const vaultUrl = (name: string) => `${api.url}/v3/${PROJECT_ID}/vaults/${name}`;

describe("onEvent", () => {
  it("tells one event for a call answered at once", async () => {
    const events: ClientEvent[] = [];
    const cbr = client(events);
    const { data } = await cbr.showVault({ path: { vault_id: "ok" } });
    expect(data?.vault.id).toBe("ok");
    expect(events).toEqual([
      {
        type: "attempt",
        method: "GET",
        url: vaultUrl("ok"),
        operationId: "showVault",
        attempt: 1,
        status: 200,
        error: undefined,
        durationMs: expect.any(Number),
        retry: false,
        retryDelayMs: undefined,
        requestId: "req-ok-1",
      },
    ]);
    expect(events[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("tells each attempt of a retried 503, the retry before it is sent", async () => {
    const events: ClientEvent[] = [];
    const sentWhenTold: number[] = [];
    const cbr = client(events, { onEvent: (event) => void (events.push(event), sentWhenTold.push(api.requests.length)) });
    const before = api.requests.length;
    const { response } = await cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "flaky" } } });
    expect(response.status).toBe(200);
    expect(
      events.map(({ attempt, status, error, retry, retryDelayMs, requestId, operationId }) => ({
        attempt,
        status,
        error,
        retry,
        retryDelayMs,
        requestId,
        operationId,
      })),
    ).toEqual([
      // Full jitter with random() = 0.5 of the first cap (500 ms).
      { attempt: 1, status: 503, error: undefined, retry: true, retryDelayMs: 250, requestId: "req-flaky-1", operationId: "showVault" },
      {
        attempt: 2,
        status: 200,
        error: undefined,
        retry: false,
        retryDelayMs: undefined,
        requestId: "req-flaky-2",
        operationId: "showVault",
      },
    ]);
    expect(sentWhenTold.map((n) => n - before)).toEqual([1, 2]);
  });

  it("tells the last attempt of a call that runs out of retries as not retried", async () => {
    const events: ClientEvent[] = [];
    const { response } = await client(events, { maxAttempts: 2 }).GET("/v3/{project_id}/vaults/{vault_id}", {
      params: { path: { vault_id: "down" } },
    });
    expect(response.status).toBe(503);
    expect(events.map((e) => [e.attempt, e.status, e.retry])).toEqual([
      [1, 503, true],
      [2, 503, false],
    ]);
  });

  it("tells network failures by kind, without a status", async () => {
    const events: ClientEvent[] = [];
    const refused = client(events, { endpoint: `http://127.0.0.1:${deadPort}`, maxAttempts: 2 });
    await expect(refused.listVault({ throwOnError: true })).rejects.toMatchObject({ kind: "network" });
    expect(
      events.map(({ attempt, status, error, retry, operationId, url }) => ({ attempt, status, error, retry, operationId, url })),
    ).toEqual([
      {
        attempt: 1,
        status: undefined,
        error: "network",
        retry: true,
        operationId: "listVault",
        url: `http://127.0.0.1:${deadPort}/v3/${PROJECT_ID}/vaults`,
      },
      {
        attempt: 2,
        status: undefined,
        error: "network",
        retry: false,
        operationId: "listVault",
        url: `http://127.0.0.1:${deadPort}/v3/${PROJECT_ID}/vaults`,
      },
    ]);

    const more: ClientEvent[] = [];
    await expect(client(more, { maxAttempts: 1 }).showVault({ path: { vault_id: "reset" } })).rejects.toMatchObject({ kind: "network" });
    await expect(client(more, { maxAttempts: 1 }).showVault({ path: { vault_id: "stall" } })).rejects.toMatchObject({ kind: "timeout" });
    expect(more.map((e) => [e.error, e.status, e.retry])).toEqual([
      ["network", undefined, false],
      ["timeout", undefined, false],
    ]);
  });

  it("tells a caller's abort as aborted", async () => {
    const events: ClientEvent[] = [];
    const controller = new AbortController();
    const call = client(events).showVault({ path: { vault_id: "hold" }, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("caller gave up")), 20);
    await expect(call).rejects.toThrow("caller gave up");
    expect(events.map((e) => [e.error, e.retry])).toEqual([["aborted", false]]);
  });

  it("names the operation of calls by path, by name and through request(), and of both services", async () => {
    const events: ClientEvent[] = [];
    const cbr = client(events);
    await cbr.request("delete", "/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "ok" } } });
    await cbr.updateVault({ path: { vault_id: "ok" }, body: { vault: { name: "x" } } });
    const vbs = createVbsClient({
      endpoint: api.url,
      projectId: PROJECT_ID,
      auth: staticTokenAuth(TOKEN),
      onEvent: (event) => void events.push(event),
    });
    await vbs.showJob({ path: { job_id: "ok" } });
    expect(events.map((e) => `${e.method} ${e.operationId}`)).toEqual(["DELETE deleteVault", "PUT updateVault", "GET showJob"]);
  });

  it("keeps calls working when the listener throws", async () => {
    const cbr = client([], {
      onEvent: () => {
        throw new Error("listener broke");
      },
    });
    await expect(cbr.showVault({ path: { vault_id: "flaky" }, throwOnError: true })).resolves.toHaveProperty("data.vault.id", "flaky");
  });

  it("refuses a listener that is not a function", () => {
    expect(() =>
      createCbrClient({ region: "eu-de", projectId: PROJECT_ID, auth: staticTokenAuth(TOKEN), onEvent: "console.log" as never }),
    ).toThrow("cbr: `onEvent` must be a function");
  });
});

describe("openapi-fetch middleware (the recipe in docs/errors-retries-logging.md)", () => {
  it("sees each call once, before authentication and retries, with its path template", async () => {
    const events: ClientEvent[] = [];
    const cbr = client(events);
    const seen: string[] = [];
    cbr.use({
      onRequest({ request, schemaPath }) {
        seen.push(`request ${request.method} ${schemaPath} token:${request.headers.has("x-auth-token")}`);
      },
      onResponse({ response, schemaPath }) {
        seen.push(`response ${schemaPath} ${response.status} ${response.headers.get("x-request-id")}`);
      },
    });
    await cbr.showVault({ path: { vault_id: "flaky" } });
    expect(seen).toEqual([
      "request GET /v3/{project_id}/vaults/{vault_id} token:false",
      "response /v3/{project_id}/vaults/{vault_id} 200 req-flaky-2",
    ]);
    expect(events).toHaveLength(2);
  });
});

describe("events hold no credential, header value or body", () => {
  it("for a token and for signed requests with a security token, whatever the outcome", async () => {
    const events: ClientEvent[] = [];
    const strategies = [
      staticTokenAuth(TOKEN),
      akskAuth({ accessKey: AK, secretKey: SK, securityToken: SECURITY_TOKEN, projectId: PROJECT_ID }),
    ];
    for (const auth of strategies) {
      const cbr = client(events, { auth, maxAttempts: 2 });
      for (const name of ["ok", "flaky", "down", "reset", "stall", "unauthorized"])
        await cbr.showVault({ path: { vault_id: name } }).catch(() => undefined);
      await cbr.createVault({ body: { vault: { name: BODY_SECRET } } as never }).catch(() => undefined);
      // A secret-looking query parameter is redacted from the URL.
      await cbr.GET("/v3/{project_id}/vaults", { params: { query: { token: TOKEN } as never } });
      await client(events, { auth, endpoint: `http://127.0.0.1:${deadPort}`, maxAttempts: 2 })
        .listVault()
        .catch(() => undefined);
    }
    // Every header value the client sent, signatures included.
    const sentHeaders = api.requests.flatMap((req) =>
      ["x-auth-token", "authorization", "x-security-token", "x-sdk-date"]
        .map((name) => req.headers[name])
        .filter((v): v is string => typeof v === "string"),
    );
    const signatures = sentHeaders.flatMap((value) => [...value.matchAll(/Signature=([0-9a-f]+)/g)].map((m) => m[1]!));
    expect(signatures.length).toBeGreaterThan(0);
    const secrets = [TOKEN, AK, SK, SECURITY_TOKEN, BODY_SECRET, ...signatures, ...sentHeaders.filter((v) => v.length >= 16)];

    expect(events.length).toBeGreaterThan(20);
    expect(new Set(events.map((e) => e.error ?? e.status))).toEqual(new Set([200, 503, 401, "network", "timeout"]));
    const texts = events.flatMap((event) => [JSON.stringify(event), inspect(event, { depth: Infinity, showHidden: true })]);
    const leaksIn = (found: string[]) =>
      secrets.filter((secret) => found.some((text) => [secret, encodeURIComponent(secret)].some((form) => text.includes(form))));
    expect(leaksIn(texts)).toEqual([]);
    // The scan finds a secret where there is one.
    expect(leaksIn([`x${encodeURIComponent(SECURITY_TOKEN)}y`, `Signature=${signatures[0]}`])).toEqual(
      expect.arrayContaining([SECURITY_TOKEN, signatures[0]]),
    );
    expect(events.some((e) => e.url.includes("token=REDACTED"))).toBe(true);
  });
});
