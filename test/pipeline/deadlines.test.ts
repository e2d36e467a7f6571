// One deadline per call, everything included: getting credentials from an IAM endpoint that
// accepts the connection and never answers ends with the call's deadline or signal, on first use
// and on the 401 renewal, for password, agency and temporary credentials, for waiters and pagers.
// Assertions are on outcomes; a hang would be caught by the test's own timeout.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  agencyAuth,
  createCbrClient,
  paginate,
  passwordAuth,
  staticTokenAuth,
  temporaryCredentialsAuth,
  waitForJob,
  WaitTimeoutError,
  createVbsClient,
  type AuthStrategy,
} from "../../src/index.js";
import { PROJECT_ID } from "../support/constants.js";

const HANG_TEST_MS = 10_000;

interface Hanging {
  url: string;
  requests: number;
  /** Answers held open, ended on close. */
  held: ServerResponse[];
  server: Server;
}

/** A server that accepts every connection and reads every request, and answers none. */
async function hangingServer(): Promise<Hanging> {
  const state: Hanging = { url: "", requests: 0, held: [], server: undefined as never };
  state.server = createServer((req, res) => {
    state.requests++;
    req.resume();
    state.held.push(res);
  });
  await new Promise<void>((resolve) => state.server.listen(0, "127.0.0.1", () => resolve()));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
}

async function close(h: Hanging): Promise<void> {
  for (const res of h.held) res.destroy();
  h.server.closeAllConnections();
  await new Promise<void>((resolve) => h.server.close(() => resolve()));
}

let iam: Hanging;
let api: Hanging;
beforeAll(async () => {
  iam = await hangingServer();
  api = await hangingServer();
});
afterAll(async () => {
  await close(iam);
  await close(api);
});

const password = () => passwordAuth({ authUrl: `${iam.url}/v3`, user: "u", domainName: "d", password: "p", projectId: PROJECT_ID });
const strategies: Record<string, () => AuthStrategy> = {
  password,
  agency: () =>
    agencyAuth({
      auth: staticTokenAuth("MIIcaller"),
      authUrl: `${iam.url}/v3`,
      domainName: "other",
      agencyName: "ops",
      projectId: PROJECT_ID,
    }),
  "temporary credentials": () =>
    temporaryCredentialsAuth({ auth: staticTokenAuth("MIIcaller"), authUrl: `${iam.url}/v3`, projectId: PROJECT_ID }),
};

const cbr = (auth: AuthStrategy, options: Record<string, unknown> = {}) =>
  createCbrClient({ endpoint: api.url, projectId: PROJECT_ID, auth, throwOnError: true, ...options });
const listVaults = (client: ReturnType<typeof cbr>, init: Record<string, unknown> = {}) =>
  client.GET("/v3/{project_id}/vaults", init as never);

describe("credentials are got within the call's deadline", () => {
  it.each(Object.keys(strategies))(
    "%s: the client's timeoutMs ends a call waiting for IAM with a timeout",
    { timeout: HANG_TEST_MS },
    async (name) => {
      const error = await listVaults(cbr(strategies[name]!(), { timeoutMs: 200 })).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "OtcApiError", kind: "timeout" });
      expect(api.requests).toBe(0);
    },
  );

  it("a call's own timeoutMs overrides the client's", { timeout: HANG_TEST_MS }, async () => {
    const error = await listVaults(cbr(password()), { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "OtcApiError", kind: "timeout" });
  });

  it("the caller's AbortSignal.timeout ends it with the signal's reason", { timeout: HANG_TEST_MS }, async () => {
    const error = await listVaults(cbr(password()), { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TimeoutError" });
  });

  it("with the strategy's attemptTimeoutMs: Infinity, the call still ends at its deadline", { timeout: HANG_TEST_MS }, async () => {
    const auth = passwordAuth({
      authUrl: `${iam.url}/v3`,
      user: "u",
      domainName: "d",
      password: "p",
      projectId: PROJECT_ID,
      attemptTimeoutMs: Infinity,
    });
    const error = await listVaults(cbr(auth, { timeoutMs: 200 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "OtcApiError", kind: "timeout" });
  });

  it("a pager's signal ends it", { timeout: HANG_TEST_MS }, async () => {
    const pages = paginate(cbr(password()), "/v3/{project_id}/vaults", undefined, { signal: AbortSignal.timeout(200) });
    const error = await pages.next().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TimeoutError" });
  });

  it("a waiter's deadline ends it", { timeout: HANG_TEST_MS }, async () => {
    const vbs = createVbsClient({ endpoint: api.url, projectId: PROJECT_ID, auth: password() });
    const error = await waitForJob(vbs, "job-1", { maxWaitMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
  });
});

describe("the 401 renewal is within the call's deadline too", () => {
  let server: Server;
  let url = "";
  let logins = 0;
  beforeAll(async () => {
    // IAM answers the first login, then hangs; the API refuses every token.
    server = createServer((req, res) => {
      req.resume();
      if (req.url?.startsWith("/v3/auth/tokens")) {
        if (++logins > 1) return;
        const now = new Date();
        res.writeHead(201, { "Content-Type": "application/json", "X-Subject-Token": "MIIfirst" });
        res.end(
          JSON.stringify({
            token: {
              issued_at: now.toISOString(),
              expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
              project: { id: PROJECT_ID },
            },
          }),
        );
        return;
      }
      res.writeHead(401, { "Content-Type": "application/json" }).end('{"error_code":"APIGW.0301","error_msg":"token expired"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("a renewal that hangs ends with the call's deadline", { timeout: HANG_TEST_MS }, async () => {
    const auth = passwordAuth({ authUrl: `${url}/v3`, user: "u", domainName: "d", password: "p", projectId: PROJECT_ID });
    await auth.getToken(); // the first login, answered
    // Long enough for the 401 and the start of the renewal on a busy machine; the renewal never answers.
    const client = createCbrClient({ endpoint: url, projectId: PROJECT_ID, auth, throwOnError: true, timeoutMs: 2_000 });
    const error = await client.GET("/v3/{project_id}/vaults").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "OtcApiError", kind: "timeout" });
    expect(logins).toBe(2);
  });
});

describe("a single-flight login", () => {
  let server: Server;
  let url = "";
  let logins = 0;
  const release: Array<() => void> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (req.url?.startsWith("/v3/auth/tokens")) {
        logins++;
        // Answered when the test says so.
        release.push(() => {
          const now = new Date();
          res.writeHead(201, { "Content-Type": "application/json", "X-Subject-Token": "MIIshared" });
          res.end(
            JSON.stringify({
              token: {
                issued_at: now.toISOString(),
                expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
                project: { id: PROJECT_ID },
              },
            }),
          );
        });
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

  it("a waiting call leaves at its own deadline; the login goes on for the others", { timeout: HANG_TEST_MS }, async () => {
    const auth = passwordAuth({ authUrl: `${url}/v3`, user: "u", domainName: "d", password: "p", projectId: PROJECT_ID });
    const client = createCbrClient({ endpoint: url, projectId: PROJECT_ID, auth, throwOnError: true });
    const patient = client.GET("/v3/{project_id}/vaults", { timeoutMs: 60_000 } as never);
    const hasty = client.GET("/v3/{project_id}/vaults", { timeoutMs: 100 } as never).catch((e: unknown) => e);
    expect(await hasty).toMatchObject({ name: "OtcApiError", kind: "timeout" });
    while (release.length === 0) await new Promise((r) => setTimeout(r, 5));
    release.shift()!();
    expect((await patient).data).toEqual({ vaults: [] });
    expect(logins).toBe(1);
  });
});

describe("a caller's signal shared by many calls", () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => void warnings.push(warning);
  afterEach(() => void process.off("warning", onWarning));

  it("holds one listener however many calls follow it (no MaxListenersExceededWarning)", { timeout: HANG_TEST_MS }, async () => {
    process.on("warning", onWarning);
    const controller = new AbortController();
    const client = cbr(password(), { timeoutMs: 60_000 });
    const calls = Array.from({ length: 50 }, () => listVaults(client, { signal: controller.signal }).catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 200));
    controller.abort(new Error("enough"));
    const outcomes = await Promise.all(calls);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ message: "enough" });
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("also while the requests are on the wire", { timeout: HANG_TEST_MS }, async () => {
    process.on("warning", onWarning);
    const controller = new AbortController();
    const client = cbr(staticTokenAuth("MIIstatic"), { timeoutMs: 60_000 });
    const before = api.requests;
    const calls = Array.from({ length: 50 }, () => listVaults(client, { signal: controller.signal }).catch((e: unknown) => e));
    while (api.requests - before < 50) await new Promise((r) => setTimeout(r, 10));
    controller.abort(new Error("enough"));
    for (const outcome of await Promise.all(calls)) expect(outcome).toMatchObject({ message: "enough" });
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });
});
