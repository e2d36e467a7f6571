// IAM on the fake: tokens for a password, a token and an agency with a catalog pointing at the
// fake; AK/SK signatures verified against the fake's own keys; temporary credentials; and every
// API call refused with the gateway's 401 without valid credentials.
import { describe, expect, test } from "vitest";
import {
  AuthenticationError,
  agencyAuth,
  akskAuth,
  clientOptionsFromCatalog,
  createCbrClient,
  createVbsClient,
  passwordAuth,
  staticTokenAuth,
  temporaryCredentialsAuth,
  unwrap,
} from "../../src/index.js";
import { clientsOf, serverVault, useFake } from "./support.js";

const fakeOf = useFake();

describe("IAM on the fake", () => {
  test("a password token's catalog points at the fake's CBR and VBS in both regions", async () => {
    const { fake } = fakeOf();
    const auth = passwordAuth(fake.credentials.password);
    const discovery = await auth.discover!();
    expect(discovery).toMatchObject({ projectId: fake.projectId, region: "eu-de", endpoints: { cbr: fake.cbr, vbs: fake.vbs } });
    const nl = await clientOptionsFromCatalog(passwordAuth({ ...fake.credentials.password, projectName: "eu-nl" }), { service: "cbr" });
    expect(nl).toMatchObject({ projectId: fake.projects["eu-nl"], endpoint: fake.endpoints.cbr["eu-nl"] });
  });

  test("a wrong password is IAM's 401", async () => {
    const { fake } = fakeOf();
    const auth = passwordAuth({ ...fake.credentials.password, password: "not-the-password" });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, iamMessage: "The username or password is wrong." });
  });

  test("agency, token and temporary-credential strategies reach the services", async () => {
    const { fake } = fakeOf();
    const base = passwordAuth(fake.credentials.password);
    const agency = agencyAuth({ auth: base, ...fake.credentials.agency });
    const viaAgency = createCbrClient(await clientOptionsFromCatalog(agency, { service: "cbr" }));
    expect((await viaAgency.listVault()).response.status).toBe(200);

    const token = await base.getToken();
    const viaToken = createVbsClient({ endpoint: fake.vbs, projectId: fake.projectId, auth: staticTokenAuth(token) });
    expect((await viaToken.showQuotas()).response.status).toBe(200);

    const temporary = temporaryCredentialsAuth({ auth: base, authUrl: fake.iam, durationSeconds: 900 });
    const viaTemporary = createCbrClient({ endpoint: fake.cbr, projectId: fake.projectId, auth: temporary });
    expect(
      unwrap(
        await viaTemporary.createVault({
          body: serverVault("vault-temporary", [{ id: "66666666-6666-4666-8666-666666666666", type: "OS::Nova::Server" }]),
        }),
      ).vault.name,
    ).toBe("vault-temporary");

    const unknownAgency = agencyAuth({ auth: base, ...fake.credentials.agency, agencyName: "nobody" });
    await expect(unknownAgency.getToken()).rejects.toMatchObject({ status: 403 });
  });

  test("AK/SK: signed calls pass, a wrong secret key gets the gateway's 401, the project is found by name", async () => {
    const { fake } = fakeOf();
    const signed = createCbrClient({ endpoint: fake.cbr, projectId: fake.projectId, auth: akskAuth(fake.credentials.aksk) });
    expect((await signed.listBackups({ query: { limit: 10 } })).response.status).toBe(200);
    const vbs = createVbsClient({ endpoint: fake.vbs, projectId: fake.projectId, auth: akskAuth(fake.credentials.aksk) });
    expect(
      (await vbs.createCloudBackup({ body: { backup: { volume_id: "7e5fdc5a-5e36-4b22-8bcc-7f17037290cc", name: "signed" } } })).response
        .status,
    ).toBe(200);

    const wrong = createCbrClient({
      endpoint: fake.cbr,
      projectId: fake.projectId,
      auth: akskAuth({ ...fake.credentials.aksk, secretKey: "not-the-secret" }),
    });
    const refused = await wrong.listVault();
    expect(refused.response.status).toBe(401);
    expect(refused.error).toMatchObject({ error_code: "APIGW.0301", error_msg: expect.stringContaining("verify aksk signature fail") });

    const byName = akskAuth({
      accessKey: fake.credentials.aksk.accessKey,
      secretKey: fake.credentials.aksk.secretKey,
      projectName: "eu-de_backup",
      authUrl: fake.iam,
    } as never);
    const options = await clientOptionsFromCatalog(byName, { service: "cbr", endpoint: fake.cbr });
    expect(options.projectId).toBe(fake.projectId);
  });

  test("no token, an unknown token, an expired token, another project's token", async () => {
    const { fake } = fakeOf();
    const bare = await fetch(`${fake.cbr}/v3/${fake.projectId}/vaults`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ error_code: "APIGW.0301", request_id: expect.any(String) });
    const native = await fetch(`${fake.vbs}/v3/${fake.projectId}/backups`, { headers: { "X-Auth-Token": "MIIforged" } });
    expect(native.status).toBe(401);
    expect(await native.json()).toEqual({ unauthorized: { code: 401, message: expect.stringContaining("token expired or invalid") } });

    const token = await passwordAuth(fake.credentials.password).getToken();
    const client = createCbrClient({ endpoint: fake.cbr, projectId: fake.projectId, auth: staticTokenAuth(token) });
    expect((await client.listVault()).response.status).toBe(200);
    const elsewhere = createCbrClient({ endpoint: fake.cbr, projectId: fake.sharedProjectId, auth: staticTokenAuth(token) });
    expect((await elsewhere.listVault()).response.status).toBe(403);
    fake.advance(25 * 3600_000);
    expect((await client.listVault()).response.status).toBe(401);
    // passwordAuth renews once on a 401 and replays: the call still succeeds.
    const { cbr } = await clientsOf(fake);
    expect((await cbr.listVault()).response.status).toBe(200);
  });

  test("a request that breaks the spec is refused with the service's 400 and says why", async () => {
    const { fake } = fakeOf();
    const { cbr, vbs } = await clientsOf(fake);
    const cbrRefusal = await cbr.createVault({
      body: {
        vault: {
          name: "x",
          resources: [],
          billing: { consistent_level: "crash_consistent", object_type: "server", protect_type: "backup", size: -1 },
        },
      },
    });
    expect(cbrRefusal.response.status).toBe(400);
    expect(cbrRefusal.error).toEqual({
      error_code: "BackupService.9900",
      error_msg: expect.stringContaining("body.vault.billing.size: expected minimum"),
    });
    const vbsRefusal = await vbs.createCloudBackup({ body: { backup: { name: "no-volume" } } as never });
    expect(vbsRefusal.error).toEqual({
      error: {
        code: "VolumeBackup.0002",
        message: expect.stringContaining("body.backup.volume_id: expected a required property, got missing"),
      },
    });
    const nativeRefusal = await vbs.listNativeBackups({ query: { limit: "many" } as never });
    expect(nativeRefusal.error).toEqual({
      badRequest: { code: 400, message: expect.stringContaining("query parameter limit: expected integer, got string") },
    });
  });
});
