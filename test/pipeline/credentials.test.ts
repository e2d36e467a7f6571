// Credentials through the pipeline: IAM requests take the client's `fetch` (the proxy recipe),
// an IAM failure names its endpoint and stage, a 401 that persists costs no login per call, and a
// token's lifetime is counted on IAM's clock.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, createCbrClient, passwordAuth } from "../../src/index.js";
import { DOMAIN, PASSWORD, PROJECT_ID, USER, useFakeIam } from "../support/fake-iam.js";
import { freePort } from "../support/loopback.js";

const iam = useFakeIam();
const password = (authUrl = iam().authUrl, extra: Record<string, unknown> = {}) =>
  passwordAuth({ authUrl, user: USER, domainName: DOMAIN, password: PASSWORD, projectId: PROJECT_ID, ...extra });

describe("the client's fetch option", () => {
  it("carries the IAM requests made for a call too (the proxy recipe)", async () => {
    const seen: string[] = [];
    const fetch = (request: Request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      return globalThis.fetch(request);
    };
    const client = createCbrClient({ endpoint: iam().origin, projectId: PROJECT_ID, auth: password(), fetch, throwOnError: true });
    await client.GET("/v3/{project_id}/vaults");
    expect(seen).toEqual(["POST /v3/auth/tokens", `GET /v3/${PROJECT_ID}/vaults`]);
  });

  it("gives way to a strategy's own fetch", async () => {
    const own: string[] = [];
    const auth = password(iam().authUrl, { fetch: (request: Request) => (own.push(request.url), globalThis.fetch(request)) });
    const client = createCbrClient({
      endpoint: iam().origin,
      projectId: PROJECT_ID,
      auth,
      fetch: (request) => globalThis.fetch(request),
      throwOnError: true,
    });
    await client.GET("/v3/{project_id}/vaults");
    expect(own).toEqual([`${iam().authUrl}/auth/tokens`]);
  });
});

describe("IAM failures", () => {
  it("a network failure names the IAM endpoint (origin only) and the stage, not just 'fetch failed'", async () => {
    const port = await freePort();
    const error = await password(`http://127.0.0.1:${port}/v3`)
      .getToken()
      .then(
        () => undefined as never,
        (e: unknown) => e as AuthenticationError,
      );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain(`the IAM request to http://127.0.0.1:${port} failed`);
    expect(error.message).toMatch(/stage connect, ECONNREFUSED/);
    expect(error.message).not.toContain("/v3");
  });

  it("a refused login names the IAM endpoint that answered", async () => {
    const auth = passwordAuth({ authUrl: iam().authUrl, user: USER, domainName: DOMAIN, password: "wrong", projectId: PROJECT_ID });
    const error = await auth.getToken().then(
      () => undefined as never,
      (e: unknown) => e as AuthenticationError,
    );
    expect(error.message).toBe(
      `IAM password authentication failed with HTTP 401 from ${iam().origin} (401: The username or password is wrong.)`,
    );
  });
});

describe("a 401 from the API that persists", () => {
  it("costs one renewal, then none while the cool-down lasts", async () => {
    iam().options.failNextApi.push(...Array(20).fill(401));
    const client = createCbrClient({ endpoint: iam().origin, projectId: PROJECT_ID, auth: password(), retry: false });
    for (let i = 0; i < 5; i++) expect((await client.GET("/v3/{project_id}/vaults")).response.status).toBe(401);
    // The first login, and one renewal for the first 401; the renewed token refused too starts the cool-down.
    expect(iam().tokenRequests).toHaveLength(2);
  });

  it("renews again once the cool-down is over", async () => {
    iam().options.failNextApi.push(...Array(20).fill(401));
    let now = Date.now();
    const auth = password(iam().authUrl, { rejectionCoolDownMs: 60_000, clock: { now: () => now, sleep: async () => {} } });
    const client = createCbrClient({ endpoint: iam().origin, projectId: PROJECT_ID, auth, retry: false });
    for (let i = 0; i < 3; i++) await client.GET("/v3/{project_id}/vaults");
    expect(iam().tokenRequests).toHaveLength(2);
    now += 61_000;
    await client.GET("/v3/{project_id}/vaults");
    expect(iam().tokenRequests).toHaveLength(3);
  });
});

describe("token lifetime on IAM's clock", () => {
  let server: Server;
  let url = "";
  let logins = 0;
  beforeAll(async () => {
    // IAM's clock is years behind this machine's; its answer has no issued_at, only its Date.
    const iamNow = Date.UTC(2015, 10, 9, 1, 42, 57);
    server = createServer((req, res) => {
      req.resume();
      if (req.url === "/v3/auth/tokens") {
        logins++;
        res.writeHead(201, {
          "Content-Type": "application/json",
          "X-Subject-Token": `MIItoken${logins}`,
          Date: new Date(iamNow).toUTCString(),
        });
        res.end(JSON.stringify({ token: { expires_at: new Date(iamNow + 3_600_000).toISOString(), project: { id: PROJECT_ID } } }));
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

  it("a token whose expiry is past by the local clock does not cost a login per call", async () => {
    const client = createCbrClient({ endpoint: url, projectId: PROJECT_ID, auth: password(`${url}/v3`), throwOnError: true });
    for (let i = 0; i < 3; i++) await client.GET("/v3/{project_id}/vaults");
    expect(logins).toBe(1);
  });
});
