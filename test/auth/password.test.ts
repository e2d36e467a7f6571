// IAM password tokens against a loopback IAM: caching, renewal before expiry, one shared
// renewal for concurrent callers, 401 → one refresh and one replay, typed errors, no leaks.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AuthenticationError, clientOptionsFromCatalog, createCbrClient, passwordAuth, type PasswordAuthOptions } from "../../src/index.js";
import { DOMAIN, PASSWORD, PROJECT_ID, USER, clockOf, useFakeIam } from "../support/fake-iam.js";

const iam = useFakeIam();

function clock(start = Date.UTC(2030, 0, 1)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function auth(extra: Partial<PasswordAuthOptions> = {}) {
  return passwordAuth({
    authUrl: iam().authUrl,
    user: USER,
    password: PASSWORD,
    domainName: DOMAIN,
    projectName: "eu-de_backup",
    ...extra,
  });
}

async function cbr(a = auth()) {
  return createCbrClient({ ...(await clientOptionsFromCatalog(a, { service: "cbr" })), retry: false });
}

describe("passwordAuth", () => {
  it("posts the password body and sends X-Subject-Token as X-Auth-Token", async () => {
    const client = await cbr();
    const { response } = await client.GET("/v3/{project_id}/vaults");
    expect(response.status).toBe(200);
    expect(iam().tokenRequests).toHaveLength(1);
    const sent = iam().tokenRequests[0]!;
    expect(sent.path).toBe("/v3/auth/tokens");
    expect(sent.headers["content-type"]).toBe("application/json;charset=utf8");
    expect(JSON.parse(sent.body)).toEqual({
      auth: {
        identity: { methods: ["password"], password: { user: { name: USER, password: PASSWORD, domain: { name: DOMAIN } } } },
        scope: { project: { name: "eu-de_backup", domain: { name: DOMAIN } } },
      },
    });
    expect(iam().apiRequests[0]!.path).toBe(`/v3/${PROJECT_ID}/vaults`);
    expect(iam().apiRequests[0]!.headers["x-auth-token"]).toBe(iam().issued[0]);
  });

  it("scopes by project id and authenticates a user by id", async () => {
    await auth({ user: undefined, userId: "user-id-1", domainName: undefined, projectName: undefined, projectId: "p-1" }).getToken();
    expect(JSON.parse(iam().tokenRequests[0]!.body).auth).toEqual({
      identity: { methods: ["password"], password: { user: { id: "user-id-1", password: PASSWORD } } },
      scope: { project: { id: "p-1" } },
    });
  });

  it("defaults the project to the region name and IAM to the region's host", async () => {
    const seen: Array<{ url: string; body: unknown }> = [];
    const a = passwordAuth({
      region: "eu-nl",
      user: USER,
      password: PASSWORD,
      domainName: DOMAIN,
      fetch: async (request) => {
        seen.push({ url: request.url, body: await request.json() });
        return new Response(JSON.stringify({ error_code: "IAM.0062", error_msg: "Incorrect password" }), { status: 401 });
      },
    });
    const error = (await a.getToken().catch((e: unknown) => e)) as AuthenticationError;
    expect(error.code).toBe("IAM.0062");
    expect(seen[0]!.url).toBe("https://iam.eu-nl.otc.t-systems.com/v3/auth/tokens");
    expect((seen[0]!.body as { auth: { scope: unknown } }).auth.scope).toEqual({ project: { name: "eu-nl", domain: { name: DOMAIN } } });
  });

  it("reuses the token until the refresh margin and renews it then", async () => {
    const c = clock();
    iam().options.lifetimeMs = 60 * 60_000;
    const a = auth({ clock: clockOf(c.now), refreshMarginMs: 5 * 60_000 });
    const first = await a.getToken();
    c.advance(54 * 60_000);
    expect(await a.getToken()).toBe(first);
    expect(iam().tokenRequests).toHaveLength(1);
    c.advance(2 * 60_000); // 4 minutes left: inside the margin
    expect(await a.getToken()).not.toBe(first);
    expect(iam().tokenRequests).toHaveLength(2);
  });

  it("counts the lifetime from the local clock (IAM's timestamps are from 2015 here)", async () => {
    const a = auth({ clock: clockOf(Date.now) });
    await a.getToken();
    await a.getToken();
    expect(iam().tokenRequests).toHaveLength(1);
  });

  it("100 concurrent calls with an expired token make exactly one token request", async () => {
    const c = clock();
    iam().options.lifetimeMs = 60 * 60_000;
    const a = auth({ clock: clockOf(c.now) });
    const client = await cbr(a);
    expect(iam().tokenRequests).toHaveLength(1);
    c.advance(2 * 60 * 60_000); // the cached token is now expired
    iam().options.tokenDelayMs = 50; // keep the renewal in flight while all callers arrive
    const results = await Promise.all(Array.from({ length: 100 }, () => client.GET("/v3/{project_id}/vaults")));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(iam().tokenRequests).toHaveLength(2);
    expect(new Set(iam().apiRequests.map((r) => r.headers["x-auth-token"]))).toEqual(new Set([iam().issued[1]]));
  });

  it("a 401 leads to one refresh and one replay", async () => {
    const a = auth();
    const client = await cbr(a);
    iam().revoked.add(iam().issued[0]!);
    const { response } = await client.GET("/v3/{project_id}/vaults");
    expect(response.status).toBe(200);
    expect(iam().tokenRequests).toHaveLength(2);
    expect(iam().apiRequests.map((r) => r.headers["x-auth-token"])).toEqual([iam().issued[0], iam().issued[1]]);
  });

  it("a 401 after the refresh is returned, never replayed again", async () => {
    const client = createCbrClient({ ...(await clientOptionsFromCatalog(auth(), { service: "cbr" })) }); // default retry policy
    iam().options.failNextApi = [401, 401, 401, 401];
    const { response } = await client.GET("/v3/{project_id}/vaults");
    expect(response.status).toBe(401);
    expect(iam().apiRequests).toHaveLength(2);
    expect(iam().tokenRequests).toHaveLength(2);
  });

  it("concurrent 401s share one refresh while it is in flight", async () => {
    const a = auth();
    const client = await cbr(a);
    iam().revoked.add(iam().issued[0]!);
    iam().options.tokenDelayMs = 100;
    const results = await Promise.all(Array.from({ length: 20 }, () => client.GET("/v3/{project_id}/vaults")));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(iam().tokenRequests).toHaveLength(2);
  });

  it("skips the renewal when the failed request carried an older token", async () => {
    const a = auth();
    const old = await a.getToken();
    a.invalidate();
    const current = await a.getToken();
    expect(await a.refresh(new Request("http://x/", { headers: { "X-Auth-Token": old } }))).toBe(true);
    expect(await a.getToken()).toBe(current);
    expect(iam().tokenRequests).toHaveLength(2);
  });

  it("a failed renewal rejects every waiter, and the next call tries again", async () => {
    iam().options.failNextTokens = [500];
    iam().options.tokenDelayMs = 30;
    const a = auth();
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => a.getToken()));
    expect(settled.every((s) => s.status === "rejected")).toBe(true);
    expect(iam().tokenRequests).toHaveLength(1);
    const token = await a.getToken();
    expect(token).toBe(iam().issued[0]);
    expect(iam().tokenRequests).toHaveLength(2);
  });

  it("a wrong password gives an AuthenticationError with IAM's details", async () => {
    const a = auth({ password: "wrong-password-SECRET" });
    const error = await a.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.status).toBe(401);
    expect(e.code).toBe(401);
    expect(e.iamMessage).toBe("The username or password is wrong.");
    expect(e.requestId).toBe("req-0001");
    expect(e.message).toContain("HTTP 401");
    for (const text of [e.message, String(e.stack), JSON.stringify(e), inspect(e, { depth: 5 })]) {
      expect(text).not.toContain("wrong-password-SECRET");
    }
  });

  it("a wrong password makes client calls reject with the AuthenticationError", async () => {
    const a = auth({ password: "wrong-password-SECRET" });
    const client = createCbrClient({ auth: a, projectId: PROJECT_ID, endpoint: iam().origin }); // default retry policy
    await expect(client.GET("/v3/{project_id}/vaults")).rejects.toBeInstanceOf(AuthenticationError);
    expect(iam().apiRequests).toHaveLength(0);
    expect(iam().tokenRequests).toHaveLength(1); // never retried: IAM locks accounts after repeated wrong passwords
  });

  it("discovers project, region and endpoints from the token", async () => {
    const found = await auth().discover();
    expect(found).toEqual({
      projectId: PROJECT_ID,
      projectName: "eu-de_backup",
      region: "eu-de",
      endpoints: { cbr: iam().origin, vbs: iam().origin },
    });
  });

  it("never shows the password or token in JSON, inspect, or the client", async () => {
    const a = auth();
    const client = await cbr(a);
    await client.GET("/v3/{project_id}/vaults");
    const token = iam().issued[0]!;
    for (const text of [
      JSON.stringify(a),
      inspect(a, { depth: 10, showHidden: true }),
      String(a),
      inspect(client, { depth: 4 }),
      JSON.stringify({ auth: a }),
    ]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(token);
    }
  });

  it("checks its options eagerly, naming the option and never the value", () => {
    expect(() => passwordAuth({ authUrl: iam().authUrl, user: USER, password: "", domainName: DOMAIN })).toThrow(/`password`/);
    expect(() => passwordAuth({ authUrl: iam().authUrl, user: USER, password: PASSWORD } as PasswordAuthOptions)).toThrow(/domainName/);
    expect(() => passwordAuth({ authUrl: iam().authUrl, user: USER, userId: "u", password: PASSWORD, domainName: DOMAIN })).toThrow(
      /exactly one/,
    );
    expect(() => passwordAuth({ user: USER, password: PASSWORD, domainName: DOMAIN, projectName: "eu-de" })).toThrow(/authUrl.*region/);
    expect(() => passwordAuth({ authUrl: iam().authUrl, user: USER, password: PASSWORD, domainName: DOMAIN })).toThrow(/projectId/);
    expect(() => auth({ refreshMarginMs: -1 })).toThrow(/refreshMarginMs/);
    try {
      passwordAuth({ authUrl: "not a url", user: USER, password: PASSWORD, domainName: DOMAIN, projectName: "eu-de" });
    } catch (e) {
      expect(String(e)).not.toContain(PASSWORD);
    }
  });
});
