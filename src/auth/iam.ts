// The IAM calls the strategies make: issue a token (password or assume-role) and read what the
// answer carries. These requests go straight to the given fetch, never through a client's
// transport, so a token request is never wrapped in another token request.
import { sendRequest } from "../authenticated-send.js";
import { systemClock, type Clock } from "../clock.js";
import { credentialUrl, isRegionName, type CatalogService } from "../endpoints.js";
import { requestIdOf } from "../errors.js";
import { describeRedirect } from "../redirects.js";
import type { FetchLike } from "../transport.js";
import { AuthenticationError, authenticationErrorFrom } from "./errors.js";
import { isHeaderSafe } from "./options.js";
import type { AuthStrategy } from "./types.js";

export interface IamCallOptions {
  fetch?: FetchLike | undefined;
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number | undefined;
  clock?: Clock | undefined;
}

/** What a token answer carries besides the token. */
export interface IssuedToken {
  token: string;
  /** Local clock time (ms) when the token expires. */
  expiresAt: number;
  projectId?: string | undefined;
  projectName?: string | undefined;
  catalog: CatalogService[];
}

/** IAM's v3 URL for a region: `https://iam.{region}.otc.t-systems.com/v3` (Swiss: `iam-pub.eu-ch2.sc…`). */
export function authUrlForRegion(region: string): string {
  if (!isRegionName(region)) {
    throw new TypeError(`${JSON.stringify(region)} is not a region name (expected something like "eu-de")`);
  }
  if (region === "eu-ch2") return "https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3";
  return `https://iam.${region}.otc.t-systems.com/v3`;
}

/**
 * The IAM v3 URL from `authUrl` or `region`, without a trailing slash. `authUrl` must be https
 * (http only to this machine, unless `allowInsecureHttp`): IAM requests carry passwords and tokens.
 */
export function resolveAuthUrl(where: string, authUrl: string | undefined, region: string | undefined, allowInsecureHttp = false): string {
  if (authUrl !== undefined && authUrl !== "") {
    const url = credentialUrl(`${where}: authUrl`, authUrl, allowInsecureHttp);
    // A bare host means IAM's v3 API, as keystoneauth's version discovery would find.
    if (url.pathname === "/" || url.pathname === "") url.pathname = "/v3";
    return url.toString().replace(/\/+$/, "");
  }
  if (region !== undefined && region !== "") return authUrlForRegion(region);
  throw new TypeError(`${where}: pass \`authUrl\` (e.g. https://iam.eu-de.otc.t-systems.com/v3) or \`region\``);
}

/**
 * Sends one IAM request as the client sends API calls (authenticated-send.ts): with `auth` (an
 * agency's or temporary credentials' base strategy) the request carries its credentials and a 401
 * is replayed once if it could renew them; redirects are refused. Failures are AuthenticationErrors
 * that name IAM's host, never the request.
 */
export async function callIam(request: () => Request, options: IamCallOptions & { auth?: AuthStrategy | undefined }): Promise<Response> {
  const fetchFn = options.fetch ?? ((r: Request) => globalThis.fetch(r));
  return sendRequest(
    options.auth,
    request,
    async (prepared) => {
      try {
        return await fetchFn(prepared);
      } catch (cause) {
        throw new AuthenticationError(`IAM request to ${new URL(prepared.url).host} failed: ${describe(cause)}`, { cause });
      }
    },
    (redirect) => new AuthenticationError(`IAM: ${describeRedirect(redirect)}`, { status: redirect.status }),
  );
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.name === "TimeoutError" ? "timed out" : cause.message;
  return "network error";
}

/** An IAM request (a POST of `body` as JSON, else a GET) that never follows redirects, with its own timeout (default 30 s). */
export function iamRequest(url: string, init: { body?: unknown; timeoutMs?: number | undefined }): Request {
  const ms = init.timeoutMs ?? 30_000;
  const hasBody = init.body !== undefined;
  return new Request(url, {
    method: hasBody ? "POST" : "GET",
    headers: hasBody ? { "Content-Type": "application/json;charset=utf8", Accept: "application/json" } : { Accept: "application/json" },
    ...(hasBody ? { body: JSON.stringify(init.body) } : {}),
    redirect: "manual",
    ...(ms > 0 ? { signal: AbortSignal.timeout(ms) } : {}),
  });
}

/** POSTs `{auth_url}/auth/tokens` and reads token, expiry, project and catalog from the answer. */
export async function issueToken(
  authUrl: string,
  body: unknown,
  what: string,
  options: IamCallOptions & { auth?: AuthStrategy | undefined },
): Promise<IssuedToken> {
  const clock = options.clock ?? systemClock;
  const response = await callIam(() => iamRequest(`${authUrl}/auth/tokens`, { body, timeoutMs: options.timeoutMs }), options);
  if (!response.ok) throw await authenticationErrorFrom(response, what);
  const token = response.headers.get("x-subject-token");
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  const requestId = requestIdOf(response.headers, json);
  if (!token) throw new AuthenticationError(`${what}: IAM answered ${response.status} without an X-Subject-Token header`, { status: response.status, requestId });
  if (!isHeaderSafe(token)) throw new AuthenticationError(`${what}: IAM answered with a token that cannot be sent as a header`, { status: response.status, requestId });
  const t = (json as { token?: Record<string, unknown> } | undefined)?.token ?? {};
  const project = (t.project ?? {}) as { id?: unknown; name?: unknown };
  return {
    token,
    expiresAt: localExpiry(t.expires_at, t.issued_at, clock.now()),
    projectId: typeof project.id === "string" ? project.id : undefined,
    projectName: typeof project.name === "string" ? project.name : undefined,
    catalog: Array.isArray(t.catalog) ? (t.catalog as CatalogService[]) : [],
  };
}

/**
 * Converts IAM's expiry to the local clock: the token's lifetime (expires_at − issued_at) counted
 * from now, so a skewed local clock does not make a fresh token look expired or vice versa.
 */
export function localExpiry(expiresAt: unknown, issuedAt: unknown, now: number): number {
  const expires = typeof expiresAt === "string" ? parseUtc(expiresAt) : NaN;
  const issued = typeof issuedAt === "string" ? parseUtc(issuedAt) : NaN;
  if (Number.isFinite(expires) && Number.isFinite(issued) && expires > issued) return now + (expires - issued);
  if (Number.isFinite(expires)) return expires;
  return now + 60 * 60_000; // no expiry given: assume one hour, far below IAM's 24 h
}

/** Parses an IAM timestamp; ones without a zone (e.g. `password_expires_at`) are UTC. */
export function parseUtc(text: string): number {
  return Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`);
}
