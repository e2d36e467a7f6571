// The IAM calls the strategies make: issue a token (password or assume-role) and read what the
// answer carries. IAM requests take the client's pipeline without its retry step (iam-pipeline.ts):
// one attempt with its own timeout, the base strategy's credentials, redirects refused, bodies
// capped. They go through the sender of the call they are made for (so the `fetch` option of the
// client, a proxy, carries them too), unless the strategy was given its own `fetch`.
import { systemClock, type Clock } from "../clock.js";
import { credentialUrl, isRegionName, type CatalogService } from "../endpoints.js";
import { isOtcApiError, requestIdOf } from "../errors.js";
import { numberOption, refuseReplaced } from "../options/check.js";
import type { CallContext } from "../pipeline/context.js";
import { sendIamRequest } from "../pipeline/iam-pipeline.js";
import { fetchSender, type FetchLike } from "../pipeline/senders/fetch.js";
import { SendError, type Sender } from "../pipeline/senders/types.js";
import { describeRedirect } from "../redirects.js";
import { AuthenticationError, authenticationErrorFrom } from "./errors.js";
import { isHeaderSafe } from "./options.js";
import type { AuthStrategy } from "./types.js";

export interface IamCallOptions {
  /** Sends the strategy's IAM requests (default: the sender of the call they are made for, else the global fetch). */
  fetch?: FetchLike | undefined;
  /** Timeout of each IAM request, headers and body, in milliseconds (default 30 000; Infinity for none). */
  attemptTimeoutMs?: number | undefined;
  clock?: Clock | undefined;
}

/** The default timeout of one IAM request. */
export const DEFAULT_IAM_ATTEMPT_TIMEOUT_MS = 30_000;

/** Checks the IAM call options every strategy takes; refuses the `timeoutMs` of earlier versions. */
export function checkIamCallOptions(where: string, options: object & { attemptTimeoutMs?: unknown; fetch?: unknown }): void {
  refuseReplaced(
    where,
    options,
    "timeoutMs",
    "the timeout of each IAM request is `attemptTimeoutMs`; an API call waits for IAM no longer than its own deadline",
  );
  numberOption(where, "attemptTimeoutMs", options.attemptTimeoutMs, { min: 1, infinity: true });
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${where}: \`fetch\` must be a function`);
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
 * Sends one IAM request (a POST of `body` as JSON, else a GET): with `auth` (an agency's or
 * temporary credentials' base strategy) the request carries its credentials and a 401 is replayed
 * once if it could renew them; redirects are refused. `context`: the call it is made for, whose
 * sender it takes; the request itself is not ended by that call's deadline (other calls may wait
 * on it), only by `attemptTimeoutMs`. Failures are AuthenticationErrors that name IAM's origin and
 * the stage that failed, never the request.
 */
export async function callIam(
  what: string,
  url: string,
  body: unknown,
  options: IamCallOptions & { auth?: AuthStrategy | undefined; context?: CallContext | undefined },
): Promise<Response> {
  const origin = new URL(url).origin;
  const hasBody = body !== undefined;
  const headers = new Headers(
    hasBody ? { "Content-Type": "application/json;charset=utf8", Accept: "application/json" } : { Accept: "application/json" },
  );
  try {
    return await sendIamRequest(
      { url, method: hasBody ? "POST" : "GET", headers, body: hasBody ? new TextEncoder().encode(JSON.stringify(body)) : undefined },
      {
        auth: options.auth,
        sender: options.fetch ? fetchSender(options.fetch) : options.context?.sender,
        attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_IAM_ATTEMPT_TIMEOUT_MS,
        clock: options.clock ?? systemClock,
        refuse: (redirect) =>
          new AuthenticationError(`${what}: IAM at ${origin}: ${describeRedirect(redirect)}`, { status: redirect.status }),
      },
    );
  } catch (cause) {
    if (!isOtcApiError(cause)) throw cause;
    const failure = cause.cause;
    const stage = failure instanceof SendError ? ` (stage ${failure.stage}${failure.code ? `, ${failure.code}` : ""})` : "";
    const why =
      cause.kind === "timeout"
        ? `no answer within attemptTimeoutMs${stage}`
        : cause.kind === "network"
          ? `no answer${stage}: ${failure instanceof Error ? failure.message : "network error"}`
          : cause.message;
    throw new AuthenticationError(`${what}: the IAM request to ${origin} failed: ${why}`, { cause });
  }
}

/** POSTs `{auth_url}/auth/tokens` and reads token, expiry, project and catalog from the answer. */
export async function issueToken(
  authUrl: string,
  body: unknown,
  what: string,
  options: IamCallOptions & { auth?: AuthStrategy | undefined; context?: CallContext | undefined },
): Promise<IssuedToken> {
  const clock = options.clock ?? systemClock;
  const response = await callIam(what, `${authUrl}/auth/tokens`, body, options);
  if (!response.ok) throw await authenticationErrorFrom(response, what);
  const token = response.headers.get("x-subject-token");
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  const requestId = requestIdOf(response.headers, json);
  if (!token)
    throw new AuthenticationError(`${what}: IAM answered ${response.status} without an X-Subject-Token header`, {
      status: response.status,
      requestId,
    });
  if (!isHeaderSafe(token))
    throw new AuthenticationError(`${what}: IAM answered with a token that cannot be sent as a header`, {
      status: response.status,
      requestId,
    });
  const t = (json as { token?: Record<string, unknown> } | undefined)?.token ?? {};
  const project = (t.project ?? {}) as { id?: unknown; name?: unknown };
  return {
    token,
    expiresAt: localExpiry(t.expires_at, t.issued_at, clock.now(), response.headers.get("date")),
    projectId: typeof project.id === "string" ? project.id : undefined,
    projectName: typeof project.name === "string" ? project.name : undefined,
    catalog: Array.isArray(t.catalog) ? (t.catalog as CatalogService[]) : [],
  };
}

/**
 * Converts IAM's expiry to the local clock: the token's life by IAM's own clock (expires_at −
 * issued_at, else expires_at − the answer's Date header) counted from now, so a skewed local
 * clock does not make a fresh token look expired (costing a login per call) or vice versa. Only
 * without either is expires_at taken as it is.
 */
export function localExpiry(expiresAt: unknown, issuedAt: unknown, now: number, iamDate?: string | null): number {
  const expires = typeof expiresAt === "string" ? parseUtc(expiresAt) : NaN;
  const issued = typeof issuedAt === "string" ? parseUtc(issuedAt) : NaN;
  const answered = iamDate ? Date.parse(iamDate) : NaN;
  if (Number.isFinite(expires) && Number.isFinite(issued) && expires > issued) return now + (expires - issued);
  if (Number.isFinite(expires) && Number.isFinite(answered)) return now + Math.max(0, expires - answered);
  if (Number.isFinite(expires)) return expires;
  return now + 60 * 60_000; // no expiry given: assume one hour, far below IAM's 24 h
}

/** Parses an IAM timestamp; ones without a zone (e.g. `password_expires_at`) are UTC. */
export function parseUtc(text: string): number {
  return Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`);
}
