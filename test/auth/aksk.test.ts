// AK/SK signing through the public API: the server recomputes every signature from the bytes it
// received; a signed 401 is never replayed; temporary credentials add X-Security-Token.
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { signingCrypto } from "#crypto";
import { akskAuth, AuthenticationError, clientOptionsFromCatalog, createCbrClient, type AkSkAuthOptions } from "../../src/index.js";
import { addCredentials, type CredentialAdder } from "../../src/auth/headers.js";
import { AK, PROJECT_ID, SK, clockOf, useFakeIam } from "../support/fake-iam.js";

const iam = useFakeIam();

const T0 = Date.UTC(2024, 0, 2, 3, 4, 5);

function client(options: Partial<AkSkAuthOptions> = {}, retry = false as const) {
  const auth = akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT_ID, clock: clockOf(() => T0), ...options });
  return createCbrClient({ auth, projectId: PROJECT_ID, endpoint: iam().origin, ...(retry === false ? { retry } : {}) });
}

describe("akskAuth: public vectors through the strategy", () => {
  // With no project id and no body, the strategy signs host + x-sdk-date: exactly vector P3 / P4.
  const p3 = akskAuth({ accessKey: "AccessKey", secretKey: "SecretKey", clock: clockOf(() => Date.UTC(2020, 5, 8, 2, 39, 0)) });

  it("P3 (GET, host signed)", async () => {
    const signed = await p3.authenticate(new Request("https://service.endpoint.myhuaweicloud.com/resources?size=1"));
    expect(signed.headers.get("x-sdk-date")).toBe("20200608T023900Z");
    expect(signed.headers.get("authorization")).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842",
    );
  });

  it("P4 (POST, the exact body bytes)", async () => {
    const body = new TextEncoder().encode('{"name":"test","id":1}');
    const signed = await p3.authenticate(
      new Request("https://service.endpoint.myhuaweicloud.com/resources?size=1", { method: "POST", body }),
    );
    expect(signed.headers.get("authorization")).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f",
    );
    expect(await signed.text()).toBe('{"name":"test","id":1}'); // the body is still there to send
  });
});

describe("akskAuth against a verifying server", () => {
  it("signs GET with host, x-project-id and x-sdk-date", async () => {
    const { response } = await client().GET("/v3/{project_id}/vaults", { params: { query: { limit: 10, name: "a b*(c)" } as never } });
    expect(response.status).toBe(200);
    const sent = iam().apiRequests[0]!;
    expect(sent.headers["x-sdk-date"]).toBe("20240102T030405Z");
    expect(sent.headers["x-project-id"]).toBe(PROJECT_ID);
    expect(sent.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AKEXAMPLEAKEXAMPLE01, SignedHeaders=host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
    expect(sent.headers["x-auth-token"]).toBeUndefined();
  });

  it("signs POST bodies over the bytes sent, with content-type signed", async () => {
    const { response } = await client().POST("/v3/{project_id}/vaults", {
      body: {
        vault: {
          name: "vault-ü",
          billing: { consistent_level: "crash_consistent", object_type: "server", protect_type: "backup", size: 100 },
          resources: [],
        },
      } as never,
    });
    expect(response.status).toBe(200);
    const sent = iam().apiRequests[0]!;
    expect(sent.headers.authorization).toContain("SignedHeaders=content-type;host;x-project-id;x-sdk-date,");
    expect(sent.body).toContain("vault-ü");
  });

  it("adds and signs X-Security-Token for temporary credentials", async () => {
    const { response } = await client({ securityToken: "security-token-SECRET" }).GET("/v3/{project_id}/vaults");
    expect(response.status).toBe(200);
    const sent = iam().apiRequests[0]!;
    expect(sent.headers["x-security-token"]).toBe("security-token-SECRET");
    expect(sent.headers.authorization).toContain("SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,");
  });

  it("a rejected signature is answered 401 by the server (sanity check of the verifier)", async () => {
    const { response } = await client({ secretKey: "not-the-secret" }).GET("/v3/{project_id}/vaults");
    expect(response.status).toBe(401);
  });

  it("never replays a signed 401, even with the default retry policy", async () => {
    const auth = akskAuth({ accessKey: AK, secretKey: "not-the-secret", projectId: PROJECT_ID });
    expect(auth.refresh).toBeUndefined();
    const c = createCbrClient({ auth, projectId: PROJECT_ID, endpoint: iam().origin });
    const { response } = await c.GET("/v3/{project_id}/vaults");
    expect(response.status).toBe(401);
    expect(iam().apiRequests).toHaveLength(1);
  });

  it("re-signs each retry with a fresh X-Sdk-Date", async () => {
    let t = T0;
    const auth = akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT_ID, clock: clockOf(() => (t += 1000)) });
    iam().options.failNextApi = [503];
    const c = createCbrClient({ auth, projectId: PROJECT_ID, endpoint: iam().origin, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const { response } = await c.GET("/v3/{project_id}/vaults");
    expect(response.status).toBe(200);
    expect(iam().apiRequests).toHaveLength(2);
    const dates = iam().apiRequests.map((r) => r.headers["x-sdk-date"]);
    expect(dates[0]).not.toBe(dates[1]);
  });

  it("prepares the HMAC key once per secret key", async () => {
    const spy = vi.spyOn(signingCrypto, "hmacSha256Hex");
    try {
      const auth = akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT_ID });
      for (let i = 0; i < 3; i++) await auth.authenticate(new Request(`${iam().origin}/v3/${PROJECT_ID}/vaults`));
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("signs a client's request at once with a fixed key pair on Node (no promise on the call's path)", () => {
    const auth = akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT_ID, clock: clockOf(() => T0) }) as ReturnType<
      typeof akskAuth
    > &
      CredentialAdder;
    const request = { method: "GET", url: `${iam().origin}/v3/${PROJECT_ID}/vaults`, headers: new Headers() };
    expect(auth[addCredentials]!(request, undefined)).toBeUndefined();
    expect(request.headers.get("x-sdk-date")).toBe("20240102T030405Z");
    expect(request.headers.get("authorization")).toMatch(
      /^SDK-HMAC-SHA256 Access=.+, SignedHeaders=host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it("looks a project name up through a signed IAM call", async () => {
    const auth = akskAuth({ accessKey: AK, secretKey: SK, projectName: "eu-de_backup", authUrl: iam().authUrl });
    const options = await clientOptionsFromCatalog(auth, { service: "cbr" });
    expect(options.projectId).toBe(PROJECT_ID);
    expect(options.endpoint).toBe("https://cbr.eu-de.otc.t-systems.com"); // region from the project name
    expect(iam().otherRequests[0]!.path).toBe("/v3/projects?name=eu-de_backup");
    // Later requests carry the project that was found.
    const signed = await auth.authenticate(new Request(`${iam().origin}/v3/${PROJECT_ID}/vaults`));
    expect(signed.headers.get("x-project-id")).toBe(PROJECT_ID);
  });

  it("takes only the project of exactly that name, and says so when there is none", async () => {
    const listing = (projects: Array<{ id: string; name: string }>) => async () => Response.json({ projects });
    const lookup = (fetch: () => Promise<Response>) =>
      akskAuth({
        accessKey: AK,
        secretKey: SK,
        projectName: "eu-de_prod",
        authUrl: "https://iam.eu-de.otc.t-systems.com/v3",
        fetch,
      }).discover();

    const found = await lookup(
      listing([
        { id: "other-id", name: "eu-de_other" },
        { id: "prod-id", name: "eu-de_prod" },
      ]),
    );
    expect(found).toMatchObject({ projectId: "prod-id", projectName: "eu-de_prod", region: "eu-de" });

    // IAM filters by name, but an answer listing only another project must not stand in for it.
    const error = await lookup(listing([{ id: "other-id", name: "eu-de_other" }])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe(
      "akskAuth: IAM project lookup found no project with the configured `projectName` visible to this access key",
    );
    expect(JSON.stringify(error)).not.toContain("other-id");
    expect(await lookup(listing([])).catch((e: unknown) => e)).toBeInstanceOf(AuthenticationError);
  });

  it("never shows the secret key or security token", async () => {
    const auth = akskAuth({ accessKey: AK, secretKey: SK, securityToken: "security-token-SECRET" });
    const c = createCbrClient({ auth, projectId: PROJECT_ID, endpoint: iam().origin });
    for (const text of [JSON.stringify(auth), inspect(auth, { showHidden: true, depth: 10 }), inspect(c, { depth: 4 })]) {
      expect(text).not.toContain(SK);
      expect(text).not.toContain("security-token-SECRET");
    }
    expect(() => akskAuth({ accessKey: AK, secretKey: "" })).toThrow(/`secretKey`/);
    expect(() => akskAuth({ accessKey: "", secretKey: SK })).toThrow(/`accessKey`/);
  });
});
