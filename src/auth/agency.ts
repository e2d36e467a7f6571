// Agency (assume role): the caller's own credentials obtain a token for another account's
// project. The base strategy authenticates the IAM request: a token strategy sends
// X-Auth-Token, akskAuth signs it.
import type { FetchLike } from "../pipeline/senders/fetch.js";
import { checkIamCallOptions, issueToken, resolveAuthUrl } from "./iam.js";
import { checkClock, checkMargin, domainRef, projectRef, requireOptions, stringOption } from "./options.js";
import { createTokenAuth, type TokenCacheOptions } from "./token-auth.js";
import type { AuthStrategy, TokenAuth } from "./types.js";

export interface AgencyAuthOptions extends TokenCacheOptions {
  /** The caller's own credentials: passwordAuth, staticTokenAuth or akskAuth. */
  auth: AuthStrategy;
  authUrl?: string | undefined;
  region?: string | undefined;
  /** The delegating account (domain) by name, or… */
  domainName?: string | undefined;
  /** …by id. */
  domainId?: string | undefined;
  /** The agency that account created for the caller. */
  agencyName: string;
  /** The delegating account's project by id, or… */
  projectId?: string | undefined;
  /** …by name; defaults to the region name. */
  projectName?: string | undefined;
  fetch?: FetchLike | undefined;
  /** Timeout of each IAM request in ms (default 30 000; Infinity for none); an API call waits no longer than its own deadline. */
  attemptTimeoutMs?: number | undefined;
  /** Accept an `http://` authUrl on another host than this machine (tokens then travel unencrypted). */
  allowInsecureHttp?: boolean | undefined;
}

const WHERE = "agencyAuth";

/** Obtains, caches and renews an agency token for the delegating account's project. */
export function agencyAuth(options: AgencyAuthOptions): TokenAuth {
  requireOptions(WHERE, options);
  if (!options.auth || typeof options.auth.authenticate !== "function") {
    throw new TypeError(`${WHERE}: \`auth\` must be the caller's own strategy (passwordAuth, staticTokenAuth or akskAuth)`);
  }
  stringOption(WHERE, "agencyName", options.agencyName, "text", true);
  const domain = domainRef(WHERE, options.domainName, options.domainId);
  if (!domain) throw new TypeError(`${WHERE}: pass \`domainName\` or \`domainId\` of the delegating account`);
  checkMargin(WHERE, options.refreshMarginMs);
  checkClock(WHERE, options.clock);
  checkIamCallOptions(WHERE, options);
  const authUrl = resolveAuthUrl(WHERE, options.authUrl, options.region, options.allowInsecureHttp);
  const { hasId, hasName } = projectRef(WHERE, options.projectId, options.projectName);
  const projectName = hasName ? options.projectName : options.region;
  if (!hasId && !projectName) throw new TypeError(`${WHERE}: pass \`projectId\`, \`projectName\` or \`region\``);

  // IAM's table calls the field agency_name, but its example and every SDK send xrole_name.
  const assumeRole =
    "id" in domain
      ? { domain_id: domain.id, xrole_name: options.agencyName }
      : { domain_name: domain.name, xrole_name: options.agencyName };
  const body = {
    auth: {
      identity: { methods: ["assume_role"], assume_role: assumeRole },
      scope: { project: hasId ? { id: options.projectId } : { name: projectName } },
    },
  };
  return createTokenAuth(
    "agency",
    (context) => issueToken(authUrl, body, "IAM agency (assume role) authentication", { ...options, auth: options.auth, context }),
    options,
    WHERE,
  );
}
