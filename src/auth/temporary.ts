// Temporary AK/SK: a token strategy obtains short-lived credentials from IAM
// (POST /v3.0/OS-CREDENTIAL/securitytokens), which then sign requests with X-Security-Token.
// They are renewed before they expire, one renewal for all callers; once IAM rejects the base
// credentials, no further request is made (rejections.ts).
import { systemClock } from "../clock.js";
import type { CallContext } from "../pipeline/context.js";
import type { FetchLike } from "../pipeline/senders/fetch.js";
import { createSigningAuth, type AkSkCredentials } from "./aksk.js";
import { AuthenticationError, authenticationErrorFrom } from "./errors.js";
import { callIam, checkIamCallOptions, resolveAuthUrl } from "./iam.js";
import { checkClock, checkMargin, domainRef, isHeaderSafe, requireOptions, stringOption } from "./options.js";
import { rememberRejection } from "./rejections.js";
import { renewable } from "./renewable.js";
import type { TokenCacheOptions } from "./token-auth.js";
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
  fetch?: FetchLike | undefined;
  /** Timeout of each IAM request in ms (default 30 000; Infinity for none); an API call waits no longer than its own deadline. */
  attemptTimeoutMs?: number | undefined;
  /** Accept an `http://` authUrl on another host than this machine (tokens and keys then travel unencrypted). */
  allowInsecureHttp?: boolean | undefined;
}

const WHERE = "temporaryCredentialsAuth";

/** Signs requests with temporary AK/SK obtained (and renewed) through a token strategy. */
export function temporaryCredentialsAuth(options: TemporaryCredentialsAuthOptions): DiscoverableAuth {
  requireOptions(WHERE, options);
  const base = options.auth;
  if (!base || typeof base.authenticate !== "function")
    throw new TypeError(`${WHERE}: \`auth\` must be a token strategy (e.g. passwordAuth)`);
  const duration = options.durationSeconds ?? 900;
  if (!Number.isInteger(duration) || duration < 900 || duration > 86_400) {
    throw new TypeError(`${WHERE}: durationSeconds must be an integer from 900 to 86400`);
  }
  checkMargin(WHERE, options.refreshMarginMs);
  checkClock(WHERE, options.clock);
  checkIamCallOptions(WHERE, options);
  stringOption(WHERE, "projectId", options.projectId, "header");
  const authUrl = resolveAuthUrl(WHERE, options.authUrl, options.region, options.allowInsecureHttp);
  const url = `${authUrl.replace(/\/v3$/, "")}/v3.0/OS-CREDENTIAL/securitytokens`;
  const identity = options.agency
    ? agencyIdentity(options.agency, duration)
    : { methods: ["token"], token: { duration_seconds: duration } };
  const clock = options.clock ?? systemClock;

  const exchange = rememberRejection(async (context?: CallContext) => {
    const response = await callIam("IAM temporary AK/SK request", url, { auth: { identity } }, { ...options, auth: base, context });
    if (!response.ok) throw await authenticationErrorFrom(response, "IAM temporary AK/SK request");
    const json = (await response.json().catch(() => undefined)) as { credential?: Record<string, unknown> } | undefined;
    const c = json?.credential;
    if (typeof c?.access !== "string" || typeof c.secret !== "string" || typeof c.securitytoken !== "string") {
      throw new AuthenticationError("IAM temporary AK/SK request: the answer has no credential", { status: response.status });
    }
    if (!isHeaderSafe(c.access) || !isHeaderSafe(c.securitytoken) || /[\r\n\0]/.test(c.secret)) {
      throw new AuthenticationError("IAM temporary AK/SK request: the answer's credential cannot be sent in a request", {
        status: response.status,
      });
    }
    // Count the lifetime asked for from the local clock rather than trusting it to match IAM's.
    return {
      value: { accessKey: c.access, secretKey: c.secret, securityToken: c.securitytoken },
      expiresAt: clock.now() + duration * 1000,
    };
  });
  const credentials = renewable<AkSkCredentials>(exchange, { marginMs: options.refreshMarginMs ?? 60_000, now: () => clock.now() });

  const discover = async (): Promise<Discovery> => {
    const found: Discovery = base.discover ? await base.discover() : { endpoints: {} };
    return { ...found, projectId: options.projectId ?? found.projectId, region: options.region ?? found.region };
  };

  return createSigningAuth(WHERE, "aksk-temporary", (context) => credentials.get(context), {
    projectId: options.projectId,
    region: options.region,
    clock,
    discover,
  });
}

function agencyIdentity(agency: NonNullable<TemporaryCredentialsAuthOptions["agency"]>, duration: number) {
  if (agency === null || typeof agency !== "object") throw new TypeError(`${WHERE}: \`agency\` must be an object`);
  stringOption(WHERE, "agency.agencyName", agency.agencyName, "text", true);
  const domain = domainRef(WHERE, agency.domainName, agency.domainId, ["agency.domainName", "agency.domainId"]);
  if (!domain) throw new TypeError(`${WHERE}: \`agency\` needs \`domainName\` or \`domainId\``);
  const target = "id" in domain ? { domain_id: domain.id } : { domain_name: domain.name };
  return { methods: ["assume_role"], assume_role: { ...target, xrole_name: agency.agencyName, duration_seconds: duration } };
}
