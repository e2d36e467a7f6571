// One token renewal for many callers: 100 concurrent calls that all need a new IAM
// token (expired by the client's clock, revoked by the service, or never obtained) make exactly
// one IAM request, and every call then succeeds with the new token.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthenticationError, createCbrClient, passwordAuth, type CbrClient } from "../../src/index.js";
import { DOMAIN, PASSWORD, PROJECT_ID, USER, clockOf, startFakeIam, type FakeIam } from "../support/fake-iam.js";

const CALLS = 100;

let iam: FakeIam;
beforeAll(async () => {
  iam = await startFakeIam();
});
afterAll(() => iam.close());
beforeEach(() => iam.reset());

function setup() {
  let t = Date.UTC(2030, 0, 1);
  const auth = passwordAuth({
    authUrl: iam.authUrl,
    user: USER,
    password: PASSWORD,
    domainName: DOMAIN,
    projectId: PROJECT_ID,
    clock: clockOf(() => t),
  });
  const client: CbrClient = createCbrClient({ endpoint: iam.origin, projectId: PROJECT_ID, auth, retry: false, throwOnError: true });
  return { client, auth, advance: (ms: number) => void (t += ms) };
}

async function concurrentCalls(client: CbrClient): Promise<number[]> {
  const results = await Promise.all(Array.from({ length: CALLS }, () => client.GET("/v3/{project_id}/vaults")));
  return results.map((r) => r.response.status);
}

describe(`${CALLS} concurrent calls that need a new token`, () => {
  it("token expired by the clock: exactly one IAM request", async () => {
    const { client, advance } = setup();
    await client.GET("/v3/{project_id}/vaults");
    expect(iam.tokenRequests).toHaveLength(1);

    advance(25 * 3600_000); // IAM tokens live 24 h
    iam.options.tokenDelayMs = 50; // the renewal is still in flight while the calls pile up
    const statuses = await concurrentCalls(client);

    expect(statuses).toEqual(Array(CALLS).fill(200));
    expect(iam.tokenRequests).toHaveLength(2);
    const sent = iam.apiRequests.slice(1).map((r) => r.headers["x-auth-token"]);
    expect(new Set(sent)).toEqual(new Set([iam.issued[1]]));
  });

  it("token revoked by the service (401): exactly one IAM request, every call replayed once", async () => {
    const { client } = setup();
    await client.GET("/v3/{project_id}/vaults");
    iam.revoked.add(iam.issued[0]!);
    iam.options.tokenDelayMs = 20;
    const statuses = await concurrentCalls(client);

    expect(statuses).toEqual(Array(CALLS).fill(200));
    expect(iam.tokenRequests).toHaveLength(2);
    // The first call, then each of the 100 with the revoked token and once more with the new one.
    expect(iam.apiRequests).toHaveLength(1 + 2 * CALLS);
    expect(iam.apiRequests.filter((r) => r.headers["x-auth-token"] === iam.issued[1])).toHaveLength(CALLS);
  });

  it("no token yet: exactly one IAM request", async () => {
    const { client } = setup();
    iam.options.tokenDelayMs = 20;
    const statuses = await concurrentCalls(client);
    expect(statuses).toEqual(Array(CALLS).fill(200));
    expect(iam.tokenRequests).toHaveLength(1);
  });

  it("a failed renewal fails the waiting calls together, and the next call tries once more", async () => {
    const { client, advance } = setup();
    await client.GET("/v3/{project_id}/vaults");
    advance(25 * 3600_000);
    iam.options.tokenDelayMs = 20;
    iam.options.failNextTokens = [500];
    const outcomes = await Promise.allSettled(Array.from({ length: CALLS }, () => client.GET("/v3/{project_id}/vaults")));
    expect(outcomes.every((o) => o.status === "rejected" && o.reason instanceof AuthenticationError)).toBe(true);
    expect(iam.tokenRequests).toHaveLength(2);

    const statuses = await concurrentCalls(client);
    expect(statuses).toEqual(Array(CALLS).fill(200));
    expect(iam.tokenRequests).toHaveLength(3);
  });
});
