// The IAM calls the strategies make: issue a token (password or assume-role) and read what the
// answer carries. These requests go straight to the given fetch, never through a client's
// transport, so a token request is never wrapped in another token request.
import { isRegionName, type CatalogService } from "../endpoints.js";
import { AuthenticationError, authenticationErrorFrom } from "./errors.js";
import type { AuthStrategy } from "./types.js";

export type Fetch = (request: Request) => Promise<Response>;

export interface IamCallOptions {
  fetch?: Fetch | undefined;
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number | undefined;
  now?: (() => number) | undefined;
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

/** The IAM v3 URL from `authUrl` or `region`, without a trailing slash. */
export function resolveAuthUrl(where: string, authUrl: string | undefined, region: string | undefined): string {
  if (authUrl !== undefined && authUrl !== "") {
    let url: URL;
    try {
      url = new URL(authUrl);
    } catch {
      throw new TypeError(`${where}: authUrl is not an absolute URL`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`${where}: authUrl must use https`);
    if (url.search || url.hash) throw new TypeError(`${where}: authUrl must not carry a query or fragment`);
    // A bare host means IAM's v3 API, as keystoneauth's version discovery would find.
    if (url.pathname === "/" || url.pathname === "") url.pathname = "/v3";
    return url.toString().replace(/\/+$/, "");
  }
  if (region !== undefined && region !== "") return authUrlForRegion(region);
  throw new TypeError(`${where}: pass \`authUrl\` (e.g. https://iam.eu-de.otc.t-systems.com/v3) or \`region\``);
}

/**
 * Sends one IAM request. With `auth` (an agency's base credentials) the request is authenticated
 * by that strategy, and a 401 is replayed once if it could renew its credentials.
 */
export async function callIam(request: () => Request, options: IamCallOptions & { auth?: AuthStrategy | undefined }): Promise<Response> {
  const fetchFn = options.fetch ?? ((r: Request) => globalThis.fetch(r));
  const send = async () => {
    const prepared = options.auth ? await options.auth.authenticate(request()) : request();
    try {
      return { sent: prepared, response: await fetchFn(prepared) };
    } catch (cause) {
      // Network errors and timeouts: name the host only, never the request.
      throw new AuthenticationError(`IAM request to ${new URL(prepared.url).host} failed: ${describe(cause)}`, { cause });
    }
  };
  let { sent, response } = await send();
  if (response.status === 401 && options.auth?.refresh && (await options.auth.refresh(sent))) {
    await response.body?.cancel();
    ({ response } = await send());
  }
  return response;
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.name === "TimeoutError" ? "timed out" : cause.message;
  return "network error";
}

export function jsonRequest(url: string, body: unknown, timeoutMs: number | undefined, headers: Record<string, string> = {}): Request {
  const ms = timeoutMs ?? 30_000;
  return new Request(url, {
    method: "POST",
    headers: { "Content-Type": "application/json;charset=utf8", Accept: "application/json", ...headers },
    body: JSON.stringify(body),
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
  const now = options.now ?? Date.now;
  const response = await callIam(() => jsonRequest(`${authUrl}/auth/tokens`, body, options.timeoutMs), options);
  if (!response.ok) throw await authenticationErrorFrom(response, what);
  const token = response.headers.get("x-subject-token");
  const requestId = response.headers.get("x-request-id") ?? undefined;
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  if (!token) throw new AuthenticationError(`${what}: IAM answered ${response.status} without an X-Subject-Token header`, { status: response.status, requestId });
  const t = (json as { token?: Record<string, unknown> } | undefined)?.token ?? {};
  const project = (t.project ?? {}) as { id?: unknown; name?: unknown };
  return {
    token,
    expiresAt: localExpiry(t.expires_at, t.issued_at, now()),
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
