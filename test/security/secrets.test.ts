// No secret in any error, log line or serialised object. Every kind of credential
// (static token, IAM password and the tokens it obtains, AK/SK, temporary AK/SK with their
// security token) is driven through every kind of failure (IAM refusals and outages, 401, 5xx
// with retries, timeouts, refused connections, malformed answers), and everything a user could
// print is collected and scanned: messages, stacks, JSON, util.inspect with hidden properties and
// causes, String(), retry log records, waiter progress, console output, clients, strategies,
// configs and client options.
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  authFromCloudConfig,
  akskAuth,
  clientOptionsFromCatalog,
  clientOptionsFromCloudConfig,
  cloudConfigFromEnv,
  createCbrClient,
  createVbsClient,
  passwordAuth,
  paginate,
  staticTokenAuth,
  temporaryCredentialsAuth,
  waitForBackup,
  type AuthStrategy,
  type RetryInfo,
} from "../../src/index.js";
import { AK, DOMAIN, PASSWORD, PROJECT_ID, SK, USER, startFakeIam, type FakeIam } from "../support/fake-iam.js";
import { outcome } from "../support/failure.js";
import { freePort, startLoopback, type Loopback } from "../support/loopback.js";
import { serverDecidedTimeouts } from "../support/server-timeouts.js";

const STATIC_TOKEN = "MIIstaticTOKEN-0123456789-DoNotLeak";
const WRONG_PASSWORD = "wrong-pa55-DoNotLeak";
const WRONG_SK = "WrongSecretKey-DoNotLeak-9876543210";

/** Everything collected for the scan. */
const collected: Array<{ where: string; text: string }> = [];

function collect(where: string, value: unknown): void {
  const texts: string[] = [];
  if (value instanceof Error) {
    texts.push(value.message, String(value.stack), String(value));
  }
  if (typeof value === "string") texts.push(value);
  try {
    texts.push(JSON.stringify(value) ?? "");
  } catch {
    // circular: inspect covers it
  }
  texts.push(inspect(value, { showHidden: true, depth: Infinity, getters: true }));
  for (const text of texts) collected.push({ where, text });
}

function leaksIn(items: Array<{ where: string; text: string }>, secrets: string[]): string[] {
  const leaks: string[] = [];
  for (const secret of new Set(secrets)) {
    const forms = new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString("base64")]);
    for (const { where, text } of items) {
      if ([...forms].some((form) => text.includes(form))) leaks.push(`${where}: contains ${secret.slice(0, 6)}…`);
    }
  }
  return leaks;
}

let iam: FakeIam;
let api: Loopback;
let deadPort: number;
const retryLog: RetryInfo[] = [];
const consoleLines: unknown[][] = [];
const timeouts = serverDecidedTimeouts();

beforeAll(async () => {
  iam = await startFakeIam();
  // An API that fails in every way, by the last path segment.
  api = await startLoopback((req, res, raw) => {
    const name = req.url.pathname.split("/").pop() ?? "";
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", "X-Request-Id": "req-42", ...headers }).end(JSON.stringify(body));
    };
    switch (name) {
      case "unauthorized":
        return json(401, {
          error_code: "APIG.0301",
          error_msg: "Incorrect IAM authentication information: verify aksk signature fail",
          request_id: "req-42",
        });
      case "forbidden":
        return json(403, { error: { code: "VolumeBackup.0001", message: "Forbidden" } });
      case "unavailable":
        return json(503, { error_code: "CBR.0503", error_msg: "Service unavailable" }, { "Retry-After": "1" });
      case "html":
        res.writeHead(200, { "Content-Type": "text/html" }).end("<html><body>proxy login</body></html>");
        return;
      case "reset":
        raw.socket.destroy();
        return;
      case "stall":
        timeouts.expire(req); // never answers; the attempt times out (when the server says so, not a racing timer)
        return;
      case "backups":
        return json(200, { backups: [{ id: "b-1" }], count: 3 }); // a total that is never reached
      default:
        return json(200, { backup: { id: name, status: "error", fail_reason: "disk full" } });
    }
  });
  deadPort = await freePort();
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleLines.push(args));
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([iam.close(), api.close()]);
});

function strategies(): Record<string, AuthStrategy> {
  return {
    static: staticTokenAuth(STATIC_TOKEN),
    password: passwordAuth({ authUrl: iam.authUrl, user: USER, password: PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID }),
    aksk: akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT_ID }),
    temporary: temporaryCredentialsAuth({
      auth: passwordAuth({ authUrl: iam.authUrl, user: USER, password: PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID }),
      authUrl: iam.authUrl,
      projectId: PROJECT_ID,
    }),
  };
}

function clientsFor(auth: AuthStrategy, endpoint: string) {
  const retry = {
    maxAttempts: 2,
    clock: { now: () => Date.now(), sleep: async () => {} },
    onRetry: (info: RetryInfo) => void retryLog.push(info),
  };
  return [
    createCbrClient({ endpoint, projectId: PROJECT_ID, auth, retry, fetch: timeouts.fetch }),
    createCbrClient({ endpoint, projectId: PROJECT_ID, auth, retry, fetch: timeouts.fetch, throwOnError: true }),
    createVbsClient({ endpoint, projectId: PROJECT_ID, auth, retry, fetch: timeouts.fetch, throwOnError: true }),
  ] as const;
}

describe("secrets stay out of errors, logs and serialised objects", () => {
  it("drives every credential through every failure and collects what a user could print", { timeout: 30_000 }, async () => {
    const all = strategies();
    for (const [name, auth] of Object.entries(all)) {
      // Obtain credentials for real first (IAM tokens, temporary keys), so that there are live secrets to leak.
      const ok = createCbrClient({ endpoint: iam.origin, projectId: PROJECT_ID, auth, retry: false });
      const { response } = await ok.GET("/v3/{project_id}/vaults");
      expect(response.status, name).toBe(name === "static" ? 401 : 200); // the fake IAM knows only tokens it issued

      for (const client of clientsFor(auth, api.url)) {
        collect(`${name} client`, client);
        for (const which of ["unauthorized", "forbidden", "unavailable", "html", "reset", "stall"]) {
          const call = (client as unknown as { GET: (p: string, i: object) => Promise<{ error?: unknown; response: Response }> }).GET(
            "/v3/{project_id}/backups/{backup_id}",
            { params: { path: { backup_id: which } } },
          );
          const thrown = await outcome(call);
          if (thrown !== undefined) collect(`${name} ${which} thrown`, thrown);
          else {
            const result = await call;
            collect(`${name} ${which} result error`, result.error);
          }
        }
      }
      const [cbr] = clientsFor(auth, api.url);
      collect(
        `${name} paginate`,
        await outcome(
          (async () => {
            for await (const item of paginate(cbr, "/v3/{project_id}/backups", undefined, { maxPages: 5 })) void item;
          })(),
        ),
      );
      collect(
        `${name} waiter`,
        await outcome(
          waitForBackup(cbr, "b-failed", {
            clock: { now: () => 0, sleep: async () => {} },
            onProgress: (p) => collect(`${name} progress`, p),
          }),
        ),
      );
      // Nobody listening at all.
      const [dead] = clientsFor(auth, `http://127.0.0.1:${deadPort}`);
      collect(
        `${name} refused`,
        await outcome((dead as unknown as { GET: (p: string) => Promise<unknown> }).GET("/v3/{project_id}/vaults").then(() => undefined)),
      );
      collect(`${name} strategy`, auth);
      collect(
        `${name} catalog options`,
        await clientOptionsFromCatalog(auth, { service: "cbr", endpoint: api.url, projectId: PROJECT_ID }),
      );
    }

    // IAM refusing and failing: wrong password, wrong secret key, IAM down, IAM unreachable.
    const wrong = passwordAuth({ authUrl: iam.authUrl, user: USER, password: WRONG_PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID });
    collect("wrong password", await outcome(wrong.getToken()));
    collect(
      "wrong password via client",
      await outcome(createCbrClient({ endpoint: iam.origin, projectId: PROJECT_ID, auth: wrong }).GET("/v3/{project_id}/vaults")),
    );
    const badKey = createCbrClient({
      endpoint: iam.origin,
      projectId: PROJECT_ID,
      auth: akskAuth({ accessKey: AK, secretKey: WRONG_SK, projectId: PROJECT_ID }),
      throwOnError: true,
    });
    collect("wrong secret key", await outcome(badKey.GET("/v3/{project_id}/vaults")));
    iam.options.failNextTokens = [500];
    collect(
      "IAM 500",
      await outcome(
        passwordAuth({ authUrl: iam.authUrl, user: USER, password: PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID }).getToken(),
      ),
    );
    const unreachable = passwordAuth({
      authUrl: `http://127.0.0.1:${deadPort}/v3`,
      user: USER,
      password: PASSWORD,
      domainName: DOMAIN,
      projectId: PROJECT_ID,
    });
    collect("IAM unreachable", await outcome(unreachable.getToken()));
    collect(
      "IAM unreachable via temporary",
      await outcome(
        temporaryCredentialsAuth({ auth: unreachable, authUrl: `http://127.0.0.1:${deadPort}/v3` }).authenticate(
          new Request("https://cbr.example.test/v3/x/vaults"),
        ),
      ),
    );

    // Configuration from the environment, and the strategies and options made from it.
    for (const env of [
      {
        OS_AUTH_URL: iam.authUrl,
        OS_USERNAME: USER,
        OS_PASSWORD: PASSWORD,
        OS_USER_DOMAIN_NAME: DOMAIN,
        OS_PROJECT_ID: PROJECT_ID,
        OS_CBR_ENDPOINT_OVERRIDE: api.url,
      },
      { OS_AUTH_URL: iam.authUrl, OS_ACCESS_KEY: AK, OS_SECRET_KEY: SK, OS_PROJECT_ID: PROJECT_ID, OS_CBR_ENDPOINT_OVERRIDE: api.url },
      { OS_AUTH_URL: iam.authUrl, OS_TOKEN: STATIC_TOKEN, OS_PROJECT_ID: PROJECT_ID, OS_CBR_ENDPOINT_OVERRIDE: api.url },
      {
        OS_AUTH_URL: iam.authUrl,
        OS_ACCESS_KEY: "TMPAK1",
        OS_SECRET_KEY: "tmp-secret-1-DoNotLeak",
        OS_SECURITY_TOKEN: "tmp-security-token-1",
        OS_PROJECT_ID: PROJECT_ID,
        OS_CBR_ENDPOINT_OVERRIDE: api.url,
      },
    ]) {
      const config = cloudConfigFromEnv(env);
      collect("config", config);
      collect("config auth", authFromCloudConfig(config));
      collect("config options", await clientOptionsFromCloudConfig(config, "cbr"));
    }
    collect("retry log", retryLog);
    collect("console", consoleLines);

    expect(retryLog.length).toBeGreaterThan(0);
    expect(collected.length).toBeGreaterThan(200);
  });

  it("finds none of the secrets in anything collected", () => {
    const secrets = [
      STATIC_TOKEN,
      PASSWORD,
      WRONG_PASSWORD,
      SK,
      WRONG_SK,
      ...iam.issued, // IAM tokens obtained along the way
      ...Object.entries(iam.options.keys)
        .filter(([ak]) => ak.startsWith("TMPAK"))
        .map(([, secret]) => secret), // temporary secret keys
      ...iam.otherRequests.map((_, i) => `tmp-security-token-${i + 1}`),
      "tmp-secret-1-DoNotLeak",
    ];
    expect(iam.issued.length).toBeGreaterThan(0);
    // The scan finds a secret where there is one.
    expect(leaksIn([{ where: "canary", text: `x${encodeURIComponent(iam.issued[0]!)}y` }], secrets)).toHaveLength(1);
    expect(leaksIn(collected, secrets)).toEqual([]);
  });
});
