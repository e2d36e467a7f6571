// Temporary AK/SK: a token strategy obtains short-lived credentials from IAM
// (POST /v3.0/OS-CREDENTIAL/securitytokens, auth.md §1.2f), which then sign requests with
// X-Security-Token. They are renewed before they expire, one renewal for all callers.
import { createSigningAuth, type AkSkCredentials } from "./aksk.js";
import { AuthenticationError, authenticationErrorFrom } from "./errors.js";
import { callIam, jsonRequest, resolveAuthUrl, type Fetch } from "./iam.js";
import { domainRef, nonEmpty } from "./password.js";
import { renewable } from "./renewable.js";
import { checkMargin, type TokenCacheOptions } from "./token-auth.js";
import type { AuthStrategy, DiscoverableAuth, Discovery } from "./types.js";

export interface TemporaryCredentialsAuthOptions extends TokenCacheOptions {
  /** A token strategy (passwordAuth, agencyAuth, staticTokenAuth) that authorizes the IAM call. */
  auth: AuthStrategy;
  authUrl?: string | undefined;
  region?: string | undefined;
  /** Lifetime asked for, 900 (default) to 86 400 seconds. */
  durationSeconds?: number | undefined;
  /** Get the credentials of an agency instead of the caller's own. */
  agency?: { agencyName: string; domainName?: string | undefined; domainId?: string | undefined } | undefined;
  /** Sent (and signed) as X-Project-Id; default: the base strategy's discovered project. */
  projectId?: string | undefined;
  fetch?: Fetch | undefined;
  timeoutMs?: number | undefined;
}

const WHERE = "temporaryCredentialsAuth";

/** Signs requests with temporary AK/SK obtained (and renewed) through a token strategy. */
export function temporaryCredentialsAuth(options: TemporaryCredentialsAuthOptions): DiscoverableAuth {
  if (options === null || typeof options !== "object") throw new TypeError(`${WHERE}: options are required`);
  const base = options.auth;
  if (!base || typeof base.authenticate !== "function") throw new TypeError(`${WHERE}: \`auth\` must be a token strategy (e.g. passwordAuth)`);
  const duration = options.durationSeconds ?? 900;
  if (!Number.isInteger(duration) || duration < 900 || duration > 86_400) {
    throw new TypeError(`${WHERE}: durationSeconds must be an integer from 900 to 86400`);
  }
  checkMargin(WHERE, options.refreshMarginMs);
  nonEmpty(WHERE, "projectId", options.projectId);
  const authUrl = resolveAuthUrl(WHERE, options.authUrl, options.region);
  const url = `${authUrl.replace(/\/v3$/, "")}/v3.0/OS-CREDENTIAL/securitytokens`;
  const identity = options.agency ? agencyIdentity(options.agency, duration) : { methods: ["token"], token: { duration_seconds: duration } };
  const now = options.now ?? Date.now;

  const credentials = renewable<AkSkCredentials>(async () => {
    const response = await callIam(() => jsonRequest(url, { auth: { identity } }, options.timeoutMs), { ...options, auth: base });
    if (!response.ok) throw await authenticationErrorFrom(response, "IAM temporary AK/SK request");
    const json = (await response.json().catch(() => undefined)) as { credential?: Record<string, unknown> } | undefined;
    const c = json?.credential;
    if (typeof c?.access !== "string" || typeof c.secret !== "string" || typeof c.securitytoken !== "string") {
      throw new AuthenticationError("IAM temporary AK/SK request: the answer has no credential", { status: response.status });
    }
    // Count the lifetime asked for from the local clock rather than trusting it to match IAM's.
    return { value: { accessKey: c.access, secretKey: c.secret, securityToken: c.securitytoken }, expiresAt: now() + duration * 1000 };
  }, { marginMs: options.refreshMarginMs ?? 60_000, now });

  const discover = async (): Promise<Discovery> => {
    const found: Discovery = base.discover ? await base.discover() : { endpoints: {} };
    return { ...found, projectId: options.projectId ?? found.projectId, region: options.region ?? found.region };
  };

  return createSigningAuth("aksk-temporary", () => credentials.get(), {
    projectId: options.projectId,
    region: options.region,
    now,
    discover,
  });
}

function agencyIdentity(agency: NonNullable<TemporaryCredentialsAuthOptions["agency"]>, duration: number) {
  nonEmpty(WHERE, "agency.agencyName", agency.agencyName, true);
  const domain = domainRef(WHERE, "domain", agency.domainName, agency.domainId);
  if (!domain) throw new TypeError(`${WHERE}: \`agency\` needs \`domainName\` or \`domainId\``);
  const target = "id" in domain ? { domain_id: domain.id } : { domain_name: domain.name };
  return { methods: ["assume_role"], assume_role: { ...target, xrole_name: agency.agencyName, duration_seconds: duration } };
}
