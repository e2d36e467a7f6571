// Credentials never leave the configured origin: a hostile endpoint or IAM that answers with a
// redirect to another origin (301, 302, 303, 307, 308; GET and POST) gets a typed error back,
// and the other origin receives nothing: no request at all, so no token, security token,
// signature, project id or password body. Redirects are never followed, not even retried.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  agencyAuth,
  akskAuth,
  AuthenticationError,
  createCbrClient,
  isOtcApiError,
  OtcApiError,
  passwordAuth,
  staticTokenAuth,
  temporaryCredentialsAuth,
  type AuthStrategy,
  type DiscoverableAuth,
} from "../../src/index.js";
import { redirectOf } from "../../src/redirects.js";
import { AK, DOMAIN, PASSWORD, PROJECT_ID, SK, USER, useFakeIam } from "../support/fake-iam.js";
import { instantClock, startLoopback, type Loopback } from "../support/loopback.js";
import { REDIRECT_STATUSES, seen, startForeign, startRedirector, type Redirector } from "./hostile.js";

const STATIC_TOKEN = "MIIstatic-token-DoNotLeak-0123456789";
const SECURITY_TOKEN = "security-token-DoNotLeak-0123456789";

const iam = useFakeIam();
let foreign: Loopback;
let redirector: Redirector;

beforeAll(async () => {
  foreign = await startForeign();
  redirector = await startRedirector(foreign.url);
});
afterAll(async () => {
  await Promise.all([foreign.close(), redirector.close()]);
});
beforeEach(() => {
  foreign.requests.length = 0;
  redirector.requests.length = 0;
});

const password = () => passwordAuth({ authUrl: iam().authUrl, user: USER, password: PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID });

const strategies: Record<string, () => AuthStrategy> = {
  "static token": () => staticTokenAuth(STATIC_TOKEN),
  password,
  agency: () =>
    agencyAuth({ auth: password(), authUrl: iam().authUrl, domainName: "OTC-DELEGATING", agencyName: "ops", projectId: PROJECT_ID }),
  "AK/SK": () => akskAuth({ accessKey: AK, secretKey: SK, securityToken: SECURITY_TOKEN, projectId: PROJECT_ID, domainId: "domain-id-1" }),
  "temporary credentials": () => temporaryCredentialsAuth({ auth: password(), authUrl: iam().authUrl, projectId: PROJECT_ID }),
};

type Loose = (path: string, init?: Record<string, unknown>) => Promise<unknown>;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("the call should have been refused"),
    (error: unknown) => error,
  );
}

function expectRefused(error: unknown, status: number): void {
  const text = `${String((error as Error).message)} ${JSON.stringify(error)} ${String((error as Error).stack)}`;
  expect(text).toContain(foreign.url); // the target's origin…
  expect(text).not.toContain("stolen-path"); // …never its path or query
  expect(text).not.toContain("SECRETQUERY");
  expect((error as { status?: number }).status).toBe(status);
}

describe.each(Object.entries(strategies))("%s: an API endpoint that redirects", (_name, strategy) => {
  const cases = REDIRECT_STATUSES.flatMap((status) => (["GET", "POST"] as const).map((method) => ({ status, method })));

  it.each(cases)("$status on $method: refused, nothing reaches the other origin, not retried", async ({ status, method }) => {
    redirector.answer.status = status;
    const cbr = createCbrClient({
      endpoint: redirector.url,
      projectId: PROJECT_ID,
      auth: strategy(),
      retry: { maxAttempts: 3, clock: instantClock() },
    });
    const call = (cbr as unknown as Record<string, Loose>)[method]!;
    const init = method === "POST" ? { body: { vault: { name: "v", billing: {}, resources: [] } } } : {};
    const error = await rejection(call("/v3/{project_id}/vaults", init));

    expect(isOtcApiError(error)).toBe(true);
    expect((error as OtcApiError).kind).toBe("redirect"); // not "network" (no detached-buffer failure on 307/308)
    expectRefused(error, status);
    expect(redirector.requests).toHaveLength(1);
    expect(seen(foreign.requests)).toEqual([]);
  });
});

describe("an IAM that redirects", () => {
  const iamCalls: Record<string, () => Promise<unknown>> = {
    "password token request (POST)": () =>
      passwordAuth({
        authUrl: `${redirector.url}/v3`,
        user: USER,
        password: PASSWORD,
        domainName: DOMAIN,
        projectId: PROJECT_ID,
      }).getToken(),
    "agency token request (POST, with the base token)": () =>
      agencyAuth({
        auth: password(),
        authUrl: `${redirector.url}/v3`,
        domainName: "OTC-DELEGATING",
        agencyName: "ops",
        projectId: PROJECT_ID,
      }).getToken(),
    "agency on a static token (POST)": () =>
      agencyAuth({
        auth: staticTokenAuth(STATIC_TOKEN),
        authUrl: `${redirector.url}/v3`,
        domainName: "OTC-DELEGATING",
        agencyName: "ops",
        projectId: PROJECT_ID,
      }).getToken(),
    "temporary credentials request (POST, with the base token)": () =>
      temporaryCredentialsAuth({ auth: password(), authUrl: `${redirector.url}/v3`, projectId: PROJECT_ID }).authenticate(
        new Request(`${iam().origin}/v3/${PROJECT_ID}/vaults`),
      ),
    "AK/SK project lookup (signed GET)": () =>
      (
        akskAuth({
          accessKey: AK,
          secretKey: SK,
          securityToken: SECURITY_TOKEN,
          projectName: "eu-de_prod",
          authUrl: `${redirector.url}/v3`,
        }) as DiscoverableAuth
      ).discover(),
  };
  const cases = Object.keys(iamCalls).flatMap((what) => REDIRECT_STATUSES.map((status) => ({ what, status })));

  it.each(cases)("$what answered $status: AuthenticationError, nothing reaches the other origin", async ({ what, status }) => {
    redirector.answer.status = status;
    const error = await rejection(iamCalls[what]!());
    expect(error).toBeInstanceOf(AuthenticationError);
    expectRefused(error, status);
    expect(redirector.requests).toHaveLength(1);
    expect(seen(foreign.requests)).toEqual([]);
  });

  it("a client whose password strategy is redirected rejects with that AuthenticationError, and sends no API request", async () => {
    redirector.answer.status = 307;
    const auth = passwordAuth({
      authUrl: `${redirector.url}/v3`,
      user: USER,
      password: PASSWORD,
      domainName: DOMAIN,
      projectId: PROJECT_ID,
    });
    const cbr = createCbrClient({ endpoint: iam().origin, projectId: PROJECT_ID, auth });
    const error = await rejection(cbr.GET("/v3/{project_id}/vaults"));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(iam().apiRequests).toEqual([]);
    expect(seen(foreign.requests)).toEqual([]);
  });
});

describe("what is not a redirect", () => {
  let versions: Loopback;
  beforeAll(async () => {
    // CBR's version list answers 300 with a body; a 302 without Location is just an answer too.
    versions = await startLoopback((req, res) => {
      const status = req.url.pathname === "/odd" ? 302 : 300;
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ versions: [{ id: "v3", status: "CURRENT" }] }));
    });
  });
  afterAll(() => versions.close());

  it("a 3xx without Location is an ordinary answer", async () => {
    const cbr = createCbrClient({ endpoint: versions.url, projectId: PROJECT_ID, auth: staticTokenAuth(STATIC_TOKEN) });
    const listed = await cbr.GET("/");
    expect(listed.response.status).toBe(300);
    const odd = (await (cbr as unknown as Record<string, Loose>).GET!("/odd")) as { response: Response };
    expect(odd.response.status).toBe(302);
  });
});

describe("redirects outside loopback reach (custom fetch)", () => {
  it("https → http: refused, the fetch is called once", async () => {
    const calls: Request[] = [];
    const fetch = async (request: Request) => {
      calls.push(request);
      return new Response(null, { status: 301, headers: { Location: "http://cbr.eu-de.otc.t-systems.com/v3/p/vaults?token=x" } });
    };
    const cbr = createCbrClient({ region: "eu-de", projectId: PROJECT_ID, auth: staticTokenAuth(STATIC_TOKEN), fetch });
    const error = (await rejection(cbr.GET("/v3/{project_id}/vaults"))) as OtcApiError;
    expect(error.kind).toBe("redirect");
    expect(error.message).toContain("redirect to http://cbr.eu-de.otc.t-systems.com refused");
    expect(error.message).not.toContain("token=x");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.redirect).toBe("manual");
  });

  it('a per-call redirect: "follow" is overridden', async () => {
    const calls: Request[] = [];
    const fetch = async (request: Request) => {
      calls.push(request);
      return new Response(null, { status: 302, headers: { Location: "https://elsewhere.example/" } });
    };
    const cbr = createCbrClient({ region: "eu-de", projectId: PROJECT_ID, auth: staticTokenAuth(STATIC_TOKEN), fetch });
    const error = (await rejection(
      (cbr as unknown as Record<string, Loose>).GET!("/v3/{project_id}/vaults", { redirect: "follow" }),
    )) as OtcApiError;
    expect(error.kind).toBe("redirect");
    expect(calls.map((r) => r.redirect)).toEqual(["manual"]);
  });

  it("a browser's opaque redirect (status 0) is refused without a target", async () => {
    const opaque = Object.defineProperties(new Response(null, { status: 200 }), {
      type: { value: "opaqueredirect" },
      status: { value: 0 },
    });
    expect(redirectOf(opaque, "https://cbr.example/")).toEqual({ status: 0, target: undefined });
    const cbr = createCbrClient({ region: "eu-de", projectId: PROJECT_ID, auth: staticTokenAuth(STATIC_TOKEN), fetch: async () => opaque });
    const error = (await rejection(cbr.GET("/v3/{project_id}/vaults"))) as OtcApiError;
    expect(error.kind).toBe("redirect");
    expect(error.message).toContain("redirect to a location that is not disclosed refused");
  });

  it("an answer a custom fetch reached by following a redirect anyway is not used", async () => {
    const followed = Object.defineProperties(new Response("{}", { status: 200 }), {
      redirected: { value: true },
      url: { value: "https://elsewhere.example/v3/p/vaults" },
    });
    const cbr = createCbrClient({
      region: "eu-de",
      projectId: PROJECT_ID,
      auth: staticTokenAuth(STATIC_TOKEN),
      fetch: async () => followed,
    });
    const error = (await rejection(cbr.GET("/v3/{project_id}/vaults"))) as OtcApiError;
    expect(error.kind).toBe("redirect");
    expect(error.message).toContain("https://elsewhere.example");
  });

  it("the policy names the origin of relative and cross-scheme locations", () => {
    const answer = (status: number, location?: string) => new Response(null, { status, headers: location ? { Location: location } : {} });
    expect(redirectOf(answer(302, "/v3/other"), "https://cbr.example/v3/x")).toEqual({ status: 302, target: "https://cbr.example" });
    expect(redirectOf(answer(308, "http://cbr.example:8080/x?sig=1"), "https://cbr.example/")).toEqual({
      status: 308,
      target: "http://cbr.example:8080",
    });
    expect(redirectOf(answer(303, "data:text/plain,x"), "https://cbr.example/")).toEqual({ status: 303, target: "data:" });
    expect(redirectOf(answer(300, "https://other.example/"), "https://cbr.example/")).toBeUndefined(); // 300 is never a redirect
    expect(redirectOf(answer(301), "https://cbr.example/")).toBeUndefined(); // no Location: an answer
    expect(redirectOf(answer(200), "https://cbr.example/")).toBeUndefined();
  });
});
