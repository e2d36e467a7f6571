// IAM's token API as the client uses it: project-scoped tokens for a password, a token or an
// agency (assume_role), with a catalog pointing at the fake's own CBR and VBS; temporary AK/SK
// (securitytokens); project lookup by name. API calls are checked here too: a token must be one
// this IAM issued and not expired, a signature must verify against the fake's own key pairs.
import { createSigner } from "../auth/signer.js";
import type { Reply } from "./context.js";
import { REGIONS, type Region, type Store } from "./store.js";
import type { Json } from "./spec.js";

export interface FakeAccount {
  user: string;
  userId: string;
  password: string;
  domainName: string;
  domainId: string;
  /** Projects by name, one per region (and the main one). */
  projects: Array<{ name: string; id: string; region: Region }>;
  /** Agencies this account may assume: the delegating domain's name and the agency's name. */
  agencies: Array<{ domainName: string; agencyName: string }>;
  accessKey: string;
  secretKey: string;
}

export interface IamRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
  rawBody: Uint8Array;
  url: string;
}

const TOKEN_LIFETIME_MS = 24 * 3600_000;
const SIGNATURE_WINDOW_MS = 15 * 60_000;

const iamError = (status: number, message: string): Reply => ({
  status,
  body: {
    error: {
      code: status,
      message,
      title: status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : status === 404 ? "Not Found" : "Bad Request",
    },
  },
});

export class FakeIam {
  constructor(
    readonly account: FakeAccount,
    readonly store: Store,
    readonly now: () => number,
    readonly origin: () => string,
  ) {}

  catalog(): Json[] {
    const origin = this.origin();
    const project = (region: Region) => this.account.projects.find((p) => p.region === region)!.id;
    return [
      {
        type: "cbr",
        name: "cbr",
        id: "cbr",
        endpoints: REGIONS.map((region) => ({
          id: `cbr-${region}`,
          interface: "public",
          region,
          region_id: region,
          url: `${origin}/cbr/${region}/v3/${project(region)}`,
        })),
      },
      {
        type: "vbsv2",
        name: "vbsv2",
        id: "vbsv2",
        endpoints: REGIONS.map((region) => ({
          id: `vbs-${region}`,
          interface: "public",
          region,
          region_id: region,
          url: `${origin}/vbs/${region}/v2/$(tenant_id)s`,
        })),
      },
      {
        type: "identity",
        name: "iam",
        id: "iam",
        endpoints: [{ id: "iam", interface: "public", region: "*", region_id: "*", url: `${origin}/iam/v3` }],
      },
    ];
  }

  async handle(request: IamRequest): Promise<Reply> {
    const { method, path } = request;
    if (method === "POST" && path === "/v3/auth/tokens") return this.#issueToken(request);
    if (method === "GET" && path === "/v3/auth/tokens") return this.#showToken(request);
    if (method === "POST" && path === "/v3.0/OS-CREDENTIAL/securitytokens") return this.#securityToken(request);
    if (method === "GET" && (path === "/v3/projects" || path === "/v3/auth/projects")) {
      if (!(await this.#caller(request))) return iamError(401, "The request you have made requires authentication.");
      const name = request.query.get("name");
      const projects = this.account.projects
        .filter((p) => !name || p.name === name)
        .map((p) => ({
          id: p.id,
          name: p.name,
          domain_id: this.account.domainId,
          enabled: true,
          is_domain: false,
          parent_id: this.account.domainId,
        }));
      return { status: 200, body: { projects, links: { self: `${this.origin()}/iam/v3/projects`, next: null, previous: null } } };
    }
    if (method === "GET" && path === "/v3/auth/catalog") {
      if (!(await this.#caller(request))) return iamError(401, "The request you have made requires authentication.");
      return { status: 200, body: { catalog: this.catalog() } };
    }
    return iamError(404, `The fake IAM does not serve ${method} ${path}.`);
  }

  /** The token record of a valid X-Auth-Token, or undefined. */
  tokenOf(token: string | undefined): IamTokenRecord | undefined {
    if (!token) return undefined;
    const record = this.store.state.iam.tokens[token];
    return record && record.expiresAt > this.now() ? record : undefined;
  }

  /**
   * Verifies an SDK-HMAC-SHA256 signature by recomputing it from what arrived with the signer the
   * client uses: the project it is for (X-Project-Id, or undefined), or why it fails.
   */
  async verifySignature(
    request: Pick<IamRequest, "method" | "url" | "headers" | "rawBody">,
  ): Promise<{ ok: true; projectId: string | undefined } | { ok: false; reason: string }> {
    const header = one(request.headers.authorization);
    const match = /^SDK-HMAC-SHA256 Access=([^,\s]+), SignedHeaders=([^,\s]+), Signature=([0-9a-f]{64})$/.exec(header ?? "");
    if (!match) return { ok: false, reason: "the Authorization header is not an SDK-HMAC-SHA256 signature" };
    const [, access, signedHeaders, signature] = match as unknown as [string, string, string, string];
    let secret: string | undefined;
    let projectId: string | undefined;
    if (access === this.account.accessKey) secret = this.account.secretKey;
    else {
      const temporary = this.store.state.iam.temporaryKeys[access];
      if (temporary && temporary.expiresAt > this.now()) {
        if (one(request.headers["x-security-token"]) !== temporary.securityToken)
          return { ok: false, reason: "temporary credentials need their X-Security-Token" };
        secret = temporary.secret;
        projectId = temporary.projectId;
      }
    }
    if (!secret) return { ok: false, reason: `access key ${access} does not exist or has expired` };
    const headers: Record<string, string> = {};
    for (const name of signedHeaders.split(";")) {
      const value = one(request.headers[name]);
      if (value === undefined) return { ok: false, reason: `signed header ${name} is missing` };
      headers[name] = value;
    }
    const date = headers["x-sdk-date"];
    const at = date
      ? Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15))
      : NaN;
    if (!Number.isFinite(at)) return { ok: false, reason: "X-Sdk-Date is missing from the signed headers" };
    if (Math.abs(at - Date.now()) > SIGNATURE_WINDOW_MS && Math.abs(at - this.now()) > SIGNATURE_WINDOW_MS)
      return { ok: false, reason: "X-Sdk-Date is more than 15 minutes off" };
    const { signature: expected } = await createSigner(secret)(
      { method: request.method, url: request.url, headers, body: request.rawBody },
      access,
    );
    if (expected !== signature) return { ok: false, reason: "verify aksk signature fail" };
    return { ok: true, projectId: one(request.headers["x-project-id"]) ?? projectId };
  }

  async #caller(request: IamRequest): Promise<boolean> {
    if (this.tokenOf(one(request.headers["x-auth-token"]))) return true;
    return one(request.headers.authorization) !== undefined && (await this.verifySignature(request)).ok;
  }

  async #showToken(request: IamRequest): Promise<Reply> {
    const subject = one(request.headers["x-subject-token"]);
    const record = this.tokenOf(subject);
    if (!(await this.#caller(request)) || !record) return iamError(404, "The token does not exist or has expired.");
    return { status: 200, body: { token: this.#tokenBody(record, ["token"], true) }, headers: { "X-Subject-Token": subject! } };
  }

  async #issueToken(request: IamRequest): Promise<Reply> {
    const auth = request.body?.auth;
    const identity = auth?.identity;
    const methods: unknown = identity?.methods;
    if (!Array.isArray(methods) || methods.length !== 1)
      return iamError(400, "auth.identity.methods must name one method: password, token or assume_role.");
    const method = methods[0];
    let agency: string | undefined;
    if (method === "password") {
      const user = identity.password?.user ?? {};
      const knownUser =
        user.id === this.account.userId ||
        (user.name === this.account.user && (user.domain?.name === this.account.domainName || user.domain?.id === this.account.domainId));
      if (!knownUser || user.password !== this.account.password) return iamError(401, "The username or password is wrong.");
    } else if (method === "token") {
      const token = identity.token?.id ?? one(request.headers["x-auth-token"]);
      if (!this.tokenOf(token)) return iamError(401, "The token is invalid or has expired.");
    } else if (method === "assume_role") {
      if (!(await this.#caller(request))) return iamError(401, "The request you have made requires authentication.");
      const role = identity.assume_role ?? {};
      const known = this.account.agencies.find(
        (a) =>
          a.agencyName === (role.agency_name ?? role.xrole_name) &&
          (a.domainName === role.domain_name || (role.domain_id !== undefined && role.domain_id === this.account.domainId)),
      );
      if (!known)
        return iamError(
          403,
          `No agency ${JSON.stringify(role.agency_name ?? role.xrole_name)} of domain ${JSON.stringify(role.domain_name ?? role.domain_id)} delegates to this user.`,
        );
      agency = known.agencyName;
    } else return iamError(400, `Authentication method ${JSON.stringify(method)} is not supported.`);

    const scope = auth.scope?.project;
    const project = scope ? this.account.projects.find((p) => p.id === scope.id || p.name === scope.name) : undefined;
    if (!project)
      return iamError(
        401,
        scope
          ? `No project ${JSON.stringify(scope.name ?? scope.id)} in this account.`
          : "The fake IAM issues project-scoped tokens only: pass scope.project.",
      );
    const token = `MIIfake-${this.store.hexId()}${this.store.hexId()}`;
    const record: IamTokenRecord = {
      projectId: project.id,
      projectName: project.name,
      region: project.region,
      userId: this.account.userId,
      expiresAt: this.now() + TOKEN_LIFETIME_MS,
      agency,
    };
    this.store.state.iam.tokens[token] = record;
    this.#forgetExpiredTokens();
    const withCatalog = !request.query.has("nocatalog");
    return { status: 201, body: { token: this.#tokenBody(record, [method], withCatalog) }, headers: { "X-Subject-Token": token } };
  }

  #tokenBody(record: IamTokenRecord, methods: string[], withCatalog: boolean): Json {
    const issued = record.expiresAt - TOKEN_LIFETIME_MS;
    const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "000Z");
    return {
      methods,
      issued_at: iso(issued),
      expires_at: iso(record.expiresAt),
      user: {
        id: this.account.userId,
        name: this.account.user,
        domain: { id: this.account.domainId, name: this.account.domainName },
        password_expires_at: "",
      },
      project: { id: record.projectId, name: record.projectName, domain: { id: this.account.domainId, name: this.account.domainName } },
      roles: [
        { id: "0", name: "op_service" },
        { id: "1", name: "te_admin" },
      ],
      ...(record.agency
        ? {
            assumed_by: {
              user: {
                id: this.account.userId,
                name: this.account.user,
                domain: { id: this.account.domainId, name: this.account.domainName },
              },
            },
          }
        : {}),
      ...(withCatalog ? { catalog: this.catalog() } : {}),
    };
  }

  #securityToken(request: IamRequest): Reply {
    const identity = request.body?.auth?.identity;
    const method = identity?.methods?.[0];
    const caller = this.tokenOf(identity?.token?.id ?? one(request.headers["x-auth-token"]));
    if (!caller) return iamError(401, "The token is invalid or has expired.");
    if (method === "assume_role") {
      const role = identity.assume_role ?? {};
      if (!this.account.agencies.some((a) => a.agencyName === (role.agency_name ?? role.xrole_name)))
        return iamError(403, `No agency ${JSON.stringify(role.agency_name ?? role.xrole_name)} delegates to this user.`);
    } else if (method !== "token") return iamError(400, 'auth.identity.methods must be ["token"] or ["assume_role"].');
    const duration = Number(identity?.token?.duration_seconds ?? identity?.assume_role?.duration_seconds ?? 900);
    if (!(duration >= 900 && duration <= 86_400)) return iamError(400, "duration_seconds must be between 900 and 86400.");
    const access = `FAKETMP${this.store.hexId().slice(0, 13).toUpperCase()}`;
    const secret = `fake-temporary-secret-${this.store.hexId()}`;
    const securitytoken = `fake-security-token-${this.store.hexId()}`;
    const expiresAt = this.now() + duration * 1000;
    this.store.state.iam.temporaryKeys[access] = { secret, securityToken: securitytoken, expiresAt, projectId: caller.projectId };
    return {
      status: 201,
      body: { credential: { access, secret, securitytoken, expires_at: new Date(expiresAt).toISOString().replace("Z", "000Z") } },
    };
  }

  /** Tokens are kept until they expire; dropping the expired ones keeps memory flat on long runs. */
  #forgetExpiredTokens(): void {
    const now = this.now();
    const tokens = this.store.state.iam.tokens;
    for (const [token, record] of Object.entries(tokens)) if (record.expiresAt <= now) delete tokens[token];
    const keys = this.store.state.iam.temporaryKeys;
    for (const [key, record] of Object.entries(keys)) if (record.expiresAt <= now) delete keys[key];
  }
}

export type IamTokenRecord = FakeState_Token;
type FakeState_Token = {
  projectId: string;
  projectName: string;
  region: string;
  userId: string;
  expiresAt: number;
  agency?: string | undefined;
};

export function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
