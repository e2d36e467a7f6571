// A loopback IAM + API server for the auth tests. IAM: password and assume-role tokens,
// temporary AK/SK, project lookup. API: GET/POST /v3/{project_id}/… accepting a valid
// X-Auth-Token or a correct SDK-HMAC-SHA256 signature recomputed from the bytes received.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sign } from "../../src/auth/signer.js";
import type { Clock } from "../../src/clock.js";

import { AK, DOMAIN, PASSWORD, PROJECT_ID, SK, USER } from "./constants.js";

export { AK, DOMAIN, PASSWORD, PROJECT_ID, SK, USER };

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeIamOptions {
  /** Token lifetime reported by IAM (expires_at − issued_at). */
  lifetimeMs: number;
  /** Delay before answering a token request, so concurrent callers overlap. */
  tokenDelayMs: number;
  /** Status codes to answer the next token requests with (consumed in order), e.g. [500]. */
  failNextTokens: number[];
  /** Status codes to answer the next API requests with, before checking credentials. */
  failNextApi: number[];
  /** Secret keys the API accepts, by access key. */
  keys: Record<string, string>;
}

export interface FakeIam {
  origin: string;
  authUrl: string;
  tokenRequests: Recorded[];
  apiRequests: Recorded[];
  otherRequests: Recorded[];
  issued: string[];
  revoked: Set<string>;
  options: FakeIamOptions;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeIam(): Promise<FakeIam> {
  const state = {
    tokenRequests: [] as Recorded[],
    apiRequests: [] as Recorded[],
    otherRequests: [] as Recorded[],
    issued: [] as string[],
    revoked: new Set<string>(),
    options: defaults(),
  };
  let origin = "";
  const valid = (token: unknown) => typeof token === "string" && state.issued.includes(token) && !state.revoked.has(token);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", origin);
      const rec: Recorded = {
        method: req.method ?? "GET",
        path: url.pathname + url.search,
        headers: req.headers,
        body: raw.toString("utf8"),
      };
      const signed = await verifySignature(rec, raw, state.options.keys, origin);
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "Content-Type": "application/json", "X-Request-Id": "req-0001", ...headers });
        res.end(JSON.stringify(body));
      };
      const unauthorized = () =>
        json(401, { error_code: "APIG.0301", error_msg: "Incorrect IAM authentication information", request_id: "req-0001" });

      if (url.pathname === "/v3/auth/tokens" && req.method === "POST") {
        state.tokenRequests.push(rec);
        setTimeout(() => {
          const fail = state.options.failNextTokens.shift();
          if (fail) return json(fail, { error: { code: fail, message: "IAM is unwell", title: "Error" } });
          const body = JSON.parse(rec.body) as { auth: { identity: Record<string, any>; scope: any } };
          const identity = body.auth.identity;
          if (identity.methods?.[0] === "password") {
            const user = identity.password.user;
            const ok = user.password === PASSWORD && ((user.name === USER && user.domain?.name === DOMAIN) || user.id === "user-id-1");
            if (!ok) return json(401, { error: { code: 401, message: "The username or password is wrong.", title: "Unauthorized" } });
          } else if (identity.methods?.[0] === "assume_role") {
            if (!valid(req.headers["x-auth-token"]) && !signed) return unauthorized();
          } else {
            return json(400, { error: { code: 400, message: "unsupported method", title: "Bad Request" } });
          }
          const token = `MIItoken-${state.issued.length + 1}-${"x".repeat(40)}`;
          state.issued.push(token);
          // Timestamps from another year: the client must count the lifetime, not trust its clock.
          const issuedAt = Date.UTC(2015, 10, 9, 1, 42, 57);
          const projectName = body.auth.scope?.project?.name ?? "eu-de_backup";
          json(
            201,
            {
              token: {
                methods: identity.methods,
                issued_at: new Date(issuedAt).toISOString().replace("Z", "000Z"),
                expires_at: new Date(issuedAt + state.options.lifetimeMs).toISOString().replace("Z", "000Z"),
                project: { id: body.auth.scope?.project?.id ?? PROJECT_ID, name: projectName, domain: { name: DOMAIN } },
                catalog: [
                  { type: "cbr", name: "cbr", endpoints: [{ interface: "public", region: "eu-de", url: `${origin}/v3/${PROJECT_ID}` }] },
                  {
                    type: "vbsv2",
                    name: "vbsv2",
                    endpoints: [{ interface: "public", region: "eu-de", url: `${origin}/v2/$(tenant_id)s` }],
                  },
                ],
              },
            },
            { "X-Subject-Token": token },
          );
        }, state.options.tokenDelayMs);
        return;
      }

      if (url.pathname === "/v3.0/OS-CREDENTIAL/securitytokens" && req.method === "POST") {
        state.otherRequests.push(rec);
        if (!valid(req.headers["x-auth-token"])) return unauthorized();
        const n = state.otherRequests.length;
        const access = `TMPAK${n}`;
        const secret = `tmp-secret-${n}-DoNotLeak`;
        state.options.keys[access] = secret;
        return json(201, {
          credential: { access, secret, securitytoken: `tmp-security-token-${n}`, expires_at: "2015-11-09T02:42:57.000000Z" },
        });
      }

      if (url.pathname === "/v3/projects" && req.method === "GET") {
        state.otherRequests.push(rec);
        if (!signed) return unauthorized();
        return json(200, { projects: [{ id: PROJECT_ID, name: url.searchParams.get("name") }] });
      }

      if (/^\/v[123]\//.test(url.pathname)) {
        state.apiRequests.push(rec);
        const fail = state.options.failNextApi.shift();
        if (fail) return json(fail, { error_code: "CBR.0000", error_msg: "try again" });
        const byToken = valid(req.headers["x-auth-token"]);
        if (!byToken && !signed) return unauthorized();
        return json(200, { vaults: [], count: 0 });
      }
      json(404, { error_code: "NOT.FOUND", error_msg: "no such path" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    authUrl: `${origin}/v3`,
    get tokenRequests() {
      return state.tokenRequests;
    },
    get apiRequests() {
      return state.apiRequests;
    },
    get otherRequests() {
      return state.otherRequests;
    },
    get issued() {
      return state.issued;
    },
    get revoked() {
      return state.revoked;
    },
    get options() {
      return state.options;
    },
    reset() {
      state.tokenRequests = [];
      state.apiRequests = [];
      state.otherRequests = [];
      state.issued = [];
      state.revoked = new Set();
      state.options = defaults();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function defaults(): FakeIamOptions {
  return { lifetimeMs: 24 * 3600_000, tokenDelayMs: 0, failNextTokens: [], failNextApi: [], keys: { [AK]: SK } };
}

/** Recomputes the signature from what arrived: method, path, query, the signed headers' values, the body bytes. */
export async function verifySignature(rec: Recorded, body: Buffer, keys: Record<string, string>, origin: string): Promise<boolean> {
  const authorization = rec.headers.authorization;
  const match = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization ?? "");
  if (!match) return false;
  const [, access, signedHeaders, signature] = match as unknown as [string, string, string, string];
  const secret = keys[access];
  if (!secret) return false;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(";")) {
    const value = rec.headers[name];
    if (typeof value !== "string") return false;
    headers[name] = value;
  }
  if (!headers["x-sdk-date"] || !headers.host) return false;
  const s = await sign({ method: rec.method, url: origin + rec.path, headers, body: new Uint8Array(body) }, access, secret);
  return s.signature === signature;
}

/** Starts one fake IAM for the calling test file, resets it before each test, closes it after all. */
export function useFakeIam(): () => FakeIam {
  let iam: FakeIam | undefined;
  beforeAll(async () => {
    iam = await startFakeIam();
  });
  afterAll(async () => {
    await iam?.close();
  });
  beforeEach(() => iam?.reset());
  return () => {
    if (!iam) throw new Error("the fake IAM is not running");
    return iam;
  };
}

/** A Clock reading `now` (tests of token lifetimes and signing dates never sleep). */
export function clockOf(now: () => number): Clock {
  return { now, sleep: async () => {} };
}
