// Once IAM rejects a strategy's credentials (401 or 403 to a password, an agency, a token
// exchange, a signed project lookup), the strategy stops asking: later calls fail at once with an
// AuthenticationError of the same status and code, without contacting IAM, until the strategy is
// created anew. An app that loops cannot lock the IAM account. Outages (5xx) are not remembered.
import { describe, expect, it } from "vitest";
import {
  agencyAuth,
  akskAuth,
  AuthenticationError,
  createCbrClient,
  passwordAuth,
  staticTokenAuth,
  temporaryCredentialsAuth,
} from "../../src/index.js";
import { DOMAIN, PASSWORD, PROJECT_ID, USER, useFakeIam } from "../support/fake-iam.js";
import { failure } from "../support/failure.js";
import { instantClock } from "../support/loopback.js";

const iam = useFakeIam();

/** The AuthenticationError a call rejects with. */
const failureOf = (promise: Promise<unknown>) => failure(promise, (e): e is AuthenticationError => e instanceof AuthenticationError);

describe("a rejected password is not sent again", () => {
  const wrong = () =>
    passwordAuth({ authUrl: iam().authUrl, user: USER, password: "wrong-password", domainName: DOMAIN, projectId: PROJECT_ID });

  it("getToken: one IAM request, then the same error without one", async () => {
    const auth = wrong();
    const first = await failureOf(auth.getToken());
    expect(first.status).toBe(401);
    for (let i = 0; i < 5; i++) {
      const again = await failureOf(auth.getToken());
      expect(again).toMatchObject({ status: 401, code: first.code, iamMessage: first.iamMessage, requestId: first.requestId });
      expect(again.message).toMatch(/not sent again: IAM rejected these credentials/);
      expect(again.cause).toBe(first);
    }
    expect(iam().tokenRequests).toHaveLength(1);
  });

  it("a client that loops: one IAM request for any number of calls, invalidate() does not lift it", async () => {
    const auth = wrong();
    const cbr = createCbrClient({ endpoint: iam().origin, projectId: PROJECT_ID, auth, retry: { maxAttempts: 3, clock: instantClock() } });
    for (let i = 0; i < 10; i++) await failureOf(cbr.GET("/v3/{project_id}/vaults"));
    auth.invalidate();
    await failureOf(cbr.GET("/v3/{project_id}/vaults"));
    expect(iam().tokenRequests).toHaveLength(1);
    expect(iam().apiRequests).toHaveLength(0);
  });

  it("a strategy created anew asks IAM again", async () => {
    await failureOf(wrong().getToken());
    await failureOf(wrong().getToken());
    expect(iam().tokenRequests).toHaveLength(2);
  });

  it("a renewal that IAM rejects (password changed meanwhile) is remembered too", async () => {
    const auth = passwordAuth({ authUrl: iam().authUrl, user: USER, password: PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID });
    const cbr = createCbrClient({ endpoint: iam().origin, projectId: PROJECT_ID, auth, retry: false });
    expect((await cbr.GET("/v3/{project_id}/vaults")).response.status).toBe(200);
    iam().revoked.add(iam().issued[0]!); // the API now answers 401
    iam().options.failNextTokens = [403]; // and IAM refuses to renew
    expect((await failureOf(cbr.GET("/v3/{project_id}/vaults"))).status).toBe(403);
    await failureOf(cbr.GET("/v3/{project_id}/vaults"));
    expect(iam().tokenRequests).toHaveLength(2);
  });

  it("an IAM outage (500) is not remembered: the next call tries again", async () => {
    const auth = passwordAuth({ authUrl: iam().authUrl, user: USER, password: PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID });
    iam().options.failNextTokens = [500];
    expect((await failureOf(auth.getToken())).status).toBe(500);
    await auth.getToken();
    expect(iam().tokenRequests).toHaveLength(2);
  });
});

describe("other IAM exchanges", () => {
  it("agency: a refused assume-role is not repeated", async () => {
    const auth = agencyAuth({
      auth: staticTokenAuth("MIInot-a-valid-token"),
      authUrl: iam().authUrl,
      domainName: "X",
      agencyName: "ops",
      projectName: "eu-de",
    });
    for (let i = 0; i < 3; i++) expect((await failureOf(auth.getToken())).status).toBe(401);
    expect(iam().tokenRequests).toHaveLength(1);
  });

  it("temporary credentials: a refused token exchange is not repeated", async () => {
    const auth = temporaryCredentialsAuth({ auth: staticTokenAuth("MIInot-a-valid-token"), authUrl: iam().authUrl, projectId: PROJECT_ID });
    for (let i = 0; i < 3; i++)
      expect((await failureOf(auth.authenticate(new Request(`${iam().origin}/v3/${PROJECT_ID}/vaults`)))).status).toBe(401);
    expect(iam().otherRequests).toHaveLength(1);
  });

  it("AK/SK: a project lookup refused for a wrong secret key is not repeated (five bad signatures lock the key)", async () => {
    const auth = akskAuth({
      accessKey: "AKEXAMPLEAKEXAMPLE01",
      secretKey: "wrong-secret",
      projectName: "eu-de_prod",
      authUrl: iam().authUrl,
    });
    for (let i = 0; i < 6; i++) expect((await failureOf(auth.discover())).status).toBe(401);
    expect(iam().otherRequests).toHaveLength(1);
  });
});
