// Credential values that no request can carry (a token read from a file with its newline, a
// security token with a line break, CR/LF in a project or domain id) are refused when the
// strategy is created, with an error that names the option and never the value. A header that
// still cannot be built when a request is sent (a custom strategy, a hostile IAM answer) is an
// InvalidHeaderError: not a network error, never retried, no value in anything printable.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  agencyAuth,
  akskAuth,
  AuthenticationError,
  authFromCloudConfig,
  cloudConfigFromEnv,
  ConfigError,
  createCbrClient,
  InvalidHeaderError,
  isOtcApiError,
  passwordAuth,
  staticTokenAuth,
  temporaryCredentialsAuth,
  type AuthStrategy,
  type RetryInfo,
} from "../../src/index.js";
import { AK, DOMAIN, PASSWORD, PROJECT_ID, SK, USER } from "../support/fake-iam.js";
import { instantClock } from "../support/loopback.js";
import { addCredentials, credentialStrategy } from "../../src/auth/headers.js";

const IAM = "https://iam.eu-de.otc.t-systems.com/v3";
const SECRET = "s3cr3t-VALUE-DoNotLeak";

function refusal(fn: () => unknown): TypeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return error as TypeError;
  }
  throw new Error("expected a TypeError");
}

function printable(error: unknown): string {
  const e = error as Error;
  return [e.message, String(e.stack), JSON.stringify(e), inspect(e, { showHidden: true, depth: Infinity })].join("\n");
}

const base = () => staticTokenAuth("MIIbase-token");

/** Every credential-bearing option, with a builder that puts `value` into it. */
const OPTIONS: Array<[string, (value: string) => unknown]> = [
  ["staticTokenAuth token", (v) => staticTokenAuth(v)],
  ["passwordAuth password", (v) => passwordAuth({ authUrl: IAM, user: USER, password: v, domainName: DOMAIN, projectId: PROJECT_ID })],
  ["passwordAuth user", (v) => passwordAuth({ authUrl: IAM, user: v, password: PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID })],
  ["passwordAuth userId", (v) => passwordAuth({ authUrl: IAM, userId: v, password: PASSWORD, projectId: PROJECT_ID })],
  ["passwordAuth domainName", (v) => passwordAuth({ authUrl: IAM, user: USER, password: PASSWORD, domainName: v, projectId: PROJECT_ID })],
  ["passwordAuth domainId", (v) => passwordAuth({ authUrl: IAM, user: USER, password: PASSWORD, domainId: v, projectId: PROJECT_ID })],
  ["passwordAuth projectId", (v) => passwordAuth({ authUrl: IAM, user: USER, password: PASSWORD, domainName: DOMAIN, projectId: v })],
  ["passwordAuth projectName", (v) => passwordAuth({ authUrl: IAM, user: USER, password: PASSWORD, domainName: DOMAIN, projectName: v })],
  [
    "passwordAuth projectDomainName",
    (v) => passwordAuth({ authUrl: IAM, user: USER, password: PASSWORD, domainName: DOMAIN, projectName: "eu-de", projectDomainName: v }),
  ],
  [
    "passwordAuth projectDomainId",
    (v) => passwordAuth({ authUrl: IAM, user: USER, password: PASSWORD, domainName: DOMAIN, projectName: "eu-de", projectDomainId: v }),
  ],
  ["agencyAuth agencyName", (v) => agencyAuth({ auth: base(), authUrl: IAM, domainName: DOMAIN, agencyName: v, projectId: PROJECT_ID })],
  ["agencyAuth domainName", (v) => agencyAuth({ auth: base(), authUrl: IAM, domainName: v, agencyName: "ops", projectId: PROJECT_ID })],
  ["agencyAuth domainId", (v) => agencyAuth({ auth: base(), authUrl: IAM, domainId: v, agencyName: "ops", projectId: PROJECT_ID })],
  ["agencyAuth projectId", (v) => agencyAuth({ auth: base(), authUrl: IAM, domainName: DOMAIN, agencyName: "ops", projectId: v })],
  ["agencyAuth projectName", (v) => agencyAuth({ auth: base(), authUrl: IAM, domainName: DOMAIN, agencyName: "ops", projectName: v })],
  ["akskAuth accessKey", (v) => akskAuth({ accessKey: v, secretKey: SK })],
  ["akskAuth secretKey", (v) => akskAuth({ accessKey: AK, secretKey: v })],
  ["akskAuth securityToken", (v) => akskAuth({ accessKey: AK, secretKey: SK, securityToken: v })],
  ["akskAuth projectId", (v) => akskAuth({ accessKey: AK, secretKey: SK, projectId: v })],
  ["akskAuth projectName", (v) => akskAuth({ accessKey: AK, secretKey: SK, projectName: v })],
  ["akskAuth domainId", (v) => akskAuth({ accessKey: AK, secretKey: SK, domainId: v })],
  ["temporaryCredentialsAuth projectId", (v) => temporaryCredentialsAuth({ auth: base(), authUrl: IAM, projectId: v })],
  [
    "temporaryCredentialsAuth agency.agencyName",
    (v) => temporaryCredentialsAuth({ auth: base(), authUrl: IAM, agency: { agencyName: v, domainName: DOMAIN } }),
  ],
  [
    "temporaryCredentialsAuth agency.domainName",
    (v) => temporaryCredentialsAuth({ auth: base(), authUrl: IAM, agency: { agencyName: "ops", domainName: v } }),
  ],
  [
    "temporaryCredentialsAuth agency.domainId",
    (v) => temporaryCredentialsAuth({ auth: base(), authUrl: IAM, agency: { agencyName: "ops", domainId: v } }),
  ],
];

describe("values no request can carry are refused when the strategy is created", () => {
  const breaks = [
    `${SECRET}\n`,
    `${SECRET}\r\n`,
    `${SECRET.slice(0, 8)}\r${SECRET.slice(8)}`,
    `${SECRET.slice(0, 8)}\n${SECRET.slice(8)}`,
    `${SECRET}\0`,
  ];
  it.each(OPTIONS)("%s: CR, LF and NUL, named by option, value never quoted", (label, build) => {
    const option = label.split(" ")[1]!;
    for (const value of breaks) {
      const error = refusal(() => build(value));
      expect(error.message).toContain(`\`${option}\``);
      expect(error.message).toMatch(/line break or NUL/);
      expect(printable(error)).not.toContain(SECRET.slice(0, 8));
      expect(printable(error)).not.toContain(SECRET.slice(8));
    }
  });

  it("header values must be printable ASCII: spaces, Unicode and control characters are refused", () => {
    for (const value of [`${SECRET} x`, `${SECRET}€`, `${SECRET}ä`, `${SECRET}\t`, `${SECRET}\x7f`]) {
      for (const [label, build] of [
        ["token", () => staticTokenAuth(value)],
        ["securityToken", () => akskAuth({ accessKey: AK, secretKey: SK, securityToken: value })],
        ["accessKey", () => akskAuth({ accessKey: value, secretKey: SK })],
        ["projectId", () => akskAuth({ accessKey: AK, secretKey: SK, projectId: value })],
        ["domainId", () => akskAuth({ accessKey: AK, secretKey: SK, domainId: value })],
        ["projectId", () => temporaryCredentialsAuth({ auth: base(), authUrl: IAM, projectId: value })],
      ] as const) {
        const error = refusal(build);
        expect(error.message).toContain(`\`${label}\` is sent as an HTTP header`);
        expect(printable(error)).not.toContain(SECRET);
      }
    }
  });

  it("values that travel in JSON bodies may hold spaces and Unicode", () => {
    expect(() =>
      passwordAuth({ authUrl: IAM, user: "Jürgen Müller", password: "pass word ✓", domainName: DOMAIN, projectName: "eu-de_ünïcode" }),
    ).not.toThrow();
    expect(() => akskAuth({ accessKey: AK, secretKey: "secret with space", projectName: "eu-de_x y" })).not.toThrow();
  });

  it("errors name the function the user called (temporaryCredentialsAuth, not akskAuth)", () => {
    expect(refusal(() => temporaryCredentialsAuth({ auth: base(), authUrl: IAM, projectId: "a\nb" })).message).toMatch(
      /^temporaryCredentialsAuth: `projectId`/,
    );
  });

  it("the same holds for values from clouds.yaml or OS_* variables: refused as they are read, naming the variable", () => {
    let error: unknown;
    try {
      cloudConfigFromEnv({ OS_AUTH_URL: IAM, OS_TOKEN: `${SECRET}\r\nX-Injected: 1`, OS_PROJECT_ID: PROJECT_ID });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain("`OS_TOKEN`");
    expect((error as ConfigError).key).toBe("OS_TOKEN");
    expect(printable(error)).not.toContain(SECRET);
  });

  it("`now` is refused with a pointer to `clock`", () => {
    expect(refusal(() => akskAuth({ accessKey: AK, secretKey: SK, now: () => 0 } as never)).message).toMatch(
      /`now` was replaced by `clock`/,
    );
    expect(refusal(() => passwordAuth(null as never)).message).toBe("passwordAuth: options must be an object");
  });
});

describe("a header that cannot be built when the request is sent", () => {
  /** A custom strategy that sets what it is given, as a user's own strategy might. */
  const custom = (value: string): AuthStrategy & { calls: number } => {
    const strategy = {
      type: "custom",
      calls: 0,
      async authenticate(request: Request) {
        strategy.calls++;
        request.headers.set("X-Auth-Token", value);
        return request;
      },
    };
    return strategy;
  };

  it.each([
    ["a line break", `${SECRET}\r\nX-Injected: yes`],
    ["a character beyond Latin-1", `${SECRET}€`],
  ])("%s: InvalidHeaderError, not retried, not a network error, value nowhere", async (_what, value) => {
    const auth = custom(value);
    const retries: RetryInfo[] = [];
    let sent = 0;
    const cbr = createCbrClient({
      endpoint: "https://cbr.example.test",
      projectId: PROJECT_ID,
      auth,
      fetch: async () => {
        sent++;
        return new Response("{}");
      },
      retry: { maxAttempts: 3, clock: instantClock(), onRetry: (info) => void retries.push(info) },
    });
    const error = await cbr.GET("/v3/{project_id}/vaults").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidHeaderError);
    expect(isOtcApiError(error)).toBe(false);
    expect(error).not.toBeInstanceOf(TypeError); // so that no retry policy takes it for a network failure
    expect((error as Error).message).toBe(
      "custom auth: a header the strategy set cannot be sent: its value contains a line break, NUL or a character beyond Latin-1",
    );
    expect(auth.calls).toBe(1);
    expect(retries).toEqual([]);
    expect(sent).toBe(0);
    expect(printable(error)).not.toContain(SECRET);
  });

  it("a hostile IAM's temporary credentials with a line break: AuthenticationError, nothing sent with them", async () => {
    const api: Request[] = [];
    const fetch = async (request: Request) => {
      if (request.url.endsWith("/OS-CREDENTIAL/securitytokens")) {
        return Response.json(
          { credential: { access: "TMPAK", secret: "tmp-secret", securitytoken: `${SECRET}\r\nX-Injected: 1` } },
          { status: 201 },
        );
      }
      api.push(request);
      return new Response("{}");
    };
    const auth = temporaryCredentialsAuth({ auth: base(), authUrl: IAM, projectId: PROJECT_ID, fetch });
    const cbr = createCbrClient({ endpoint: "https://cbr.example.test", projectId: PROJECT_ID, auth, fetch, retry: false });
    const error = await cbr.GET("/v3/{project_id}/vaults").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/cannot be sent in a request/);
    expect(printable(error)).not.toContain(SECRET);
    expect(api).toEqual([]);
  });

  it("the strategies' own header setting checks values before Headers sees them, on a Request and on the client's headers", async () => {
    const strategy = credentialStrategy({ type: "aksk" }, async () => ({ "X-Security-Token": `${SECRET}\n` }));
    const errors = [
      await strategy.authenticate(new Request("https://x.test/")).then(
        () => undefined,
        (e: unknown) => e,
      ),
      await Promise.resolve()
        .then(() => strategy[addCredentials]!({ method: "GET", url: "https://x.test/", headers: new Headers() }, undefined))
        .then(
          () => undefined,
          (e: unknown) => e,
        ),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(InvalidHeaderError);
      expect((error as InvalidHeaderError).header).toBe("X-Security-Token");
      expect(printable(error)).not.toContain(SECRET);
    }
  });
});
