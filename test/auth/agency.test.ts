// Agency (assume role) and temporary AK/SK, each built on a base strategy.
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  agencyAuth,
  akskAuth,
  AuthenticationError,
  clientOptionsFromCatalog,
  createCbrClient,
  passwordAuth,
  staticTokenAuth,
  temporaryCredentialsAuth,
} from "../../src/index.js";
import { AK, DOMAIN, PASSWORD, PROJECT_ID, SK, USER, clockOf, useFakeIam } from "../support/fake-iam.js";

const iam = useFakeIam();

const base = () => passwordAuth({ authUrl: iam().authUrl, user: USER, password: PASSWORD, domainName: DOMAIN, projectName: "eu-de" });

describe("agencyAuth", () => {
  it("assumes the role with the caller's token and uses the agency token", async () => {
    const auth = agencyAuth({
      auth: base(),
      authUrl: iam().authUrl,
      domainName: "OTC-TARGET",
      agencyName: "backup-operator",
      projectName: "eu-de_target",
    });
    const client = createCbrClient({ ...(await clientOptionsFromCatalog(auth, { service: "cbr" })), retry: false });
    const { response } = await client.GET("/v3/{project_id}/vaults");
    expect(response.status).toBe(200);
    expect(iam().tokenRequests).toHaveLength(2);
    const [callerToken, agencyToken] = iam().issued;
    const assume = iam().tokenRequests[1]!;
    expect(assume.headers["x-auth-token"]).toBe(callerToken);
    expect(JSON.parse(assume.body)).toEqual({
      auth: {
        identity: { methods: ["assume_role"], assume_role: { domain_name: "OTC-TARGET", xrole_name: "backup-operator" } },
        scope: { project: { name: "eu-de_target" } },
      },
    });
    expect(iam().apiRequests[0]!.headers["x-auth-token"]).toBe(agencyToken);
    expect(auth.type).toBe("agency");
  });

  it("renews the caller's token once when IAM rejects it, then assumes the role", async () => {
    const caller = base();
    await caller.getToken();
    iam().revoked.add(iam().issued[0]!);
    const auth = agencyAuth({ auth: caller, authUrl: iam().authUrl, domainId: "target-domain-id", agencyName: "ops", projectId: "p-9" });
    await auth.getToken();
    expect(iam().tokenRequests).toHaveLength(4); // caller, assume (401), caller again, assume
    expect(JSON.parse(iam().tokenRequests[3]!.body).auth).toEqual({
      identity: { methods: ["assume_role"], assume_role: { domain_id: "target-domain-id", xrole_name: "ops" } },
      scope: { project: { id: "p-9" } },
    });
  });

  it("signs the assume-role request when the caller uses AK/SK", async () => {
    const auth = agencyAuth({
      auth: akskAuth({ accessKey: AK, secretKey: SK }),
      authUrl: iam().authUrl,
      domainName: "OTC-TARGET",
      agencyName: "ops",
      projectName: "eu-de",
    });
    await auth.getToken();
    expect(iam().tokenRequests[0]!.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AKEXAMPLEAKEXAMPLE01, SignedHeaders=content-type;host;x-sdk-date,/,
    );
  });

  it("reports a refused role as an AuthenticationError", async () => {
    const auth = agencyAuth({
      auth: staticTokenAuth("not-a-valid-token"),
      authUrl: iam().authUrl,
      domainName: "X",
      agencyName: "ops",
      projectName: "eu-de",
    });
    const error = (await auth.getToken().catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.code).toBe("APIG.0301");
    expect(inspect(error)).not.toContain("not-a-valid-token");
  });

  it("checks its options", () => {
    expect(() => agencyAuth({ auth: base(), authUrl: iam().authUrl, agencyName: "ops", projectName: "eu-de" })).toThrow(/domainName/);
    expect(() => agencyAuth({ auth: base(), authUrl: iam().authUrl, domainName: "X", agencyName: "", projectName: "eu-de" })).toThrow(
      /agencyName/,
    );
    expect(() => agencyAuth({ auth: undefined as never, authUrl: iam().authUrl, domainName: "X", agencyName: "ops" })).toThrow(/`auth`/);
  });
});

describe("temporaryCredentialsAuth", () => {
  it("obtains temporary AK/SK with the caller's token and signs with X-Security-Token", async () => {
    let t = Date.UTC(2030, 0, 1);
    const auth = temporaryCredentialsAuth({ auth: base(), authUrl: iam().authUrl, clock: clockOf(() => t), durationSeconds: 900 });
    const options = await clientOptionsFromCatalog(auth, { service: "cbr" });
    expect(options.projectId).toBe(PROJECT_ID);
    expect(options.endpoint).toBe(iam().origin);
    const client = createCbrClient({ ...options, retry: false });

    const results = await Promise.all(Array.from({ length: 20 }, () => client.GET("/v3/{project_id}/vaults")));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(iam().otherRequests).toHaveLength(1); // one credential request for all 20 calls
    const obtain = iam().otherRequests[0]!;
    expect(obtain.path).toBe("/v3.0/OS-CREDENTIAL/securitytokens");
    expect(obtain.headers["x-auth-token"]).toBe(iam().issued[0]);
    expect(JSON.parse(obtain.body)).toEqual({ auth: { identity: { methods: ["token"], token: { duration_seconds: 900 } } } });
    const sent = iam().apiRequests[0]!;
    expect(sent.headers["x-security-token"]).toBe("tmp-security-token-1");
    expect(sent.headers["x-project-id"]).toBe(PROJECT_ID);
    expect(sent.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=TMPAK1, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,/,
    );

    t += 14 * 60_000 + 1; // inside the default one-minute margin of the 15-minute lifetime
    await client.GET("/v3/{project_id}/vaults");
    expect(iam().otherRequests).toHaveLength(2);
    expect(iam().apiRequests.at(-1)!.headers["x-security-token"]).toBe("tmp-security-token-2");
    expect(JSON.stringify(auth) + inspect(auth, { showHidden: true })).not.toMatch(/tmp-secret|tmp-security-token/);
  });

  it("asks for an agency's credentials", async () => {
    const auth = temporaryCredentialsAuth({
      auth: base(),
      authUrl: iam().authUrl,
      projectId: PROJECT_ID,
      agency: { agencyName: "ops", domainName: "OTC-TARGET" },
      durationSeconds: 3600,
    });
    await auth.authenticate(new Request(`${iam().origin}/v3/${PROJECT_ID}/vaults`));
    expect(JSON.parse(iam().otherRequests[0]!.body)).toEqual({
      auth: {
        identity: { methods: ["assume_role"], assume_role: { domain_name: "OTC-TARGET", xrole_name: "ops", duration_seconds: 3600 } },
      },
    });
  });

  it("checks the duration", () => {
    expect(() => temporaryCredentialsAuth({ auth: base(), authUrl: iam().authUrl, durationSeconds: 60 })).toThrow(/durationSeconds/);
  });
});
