// IAM password authentication: POST {auth_url}/auth/tokens with the password method and a
// project scope, token from X-Subject-Token.
import type { FetchLike } from "../pipeline/senders/fetch.js";
import { checkIamCallOptions, issueToken, resolveAuthUrl } from "./iam.js";
import { checkClock, checkMargin, domainRef, projectRef, requireOptions, stringOption } from "./options.js";
import { createTokenAuth, type TokenCacheOptions } from "./token-auth.js";
import type { TokenAuth } from "./types.js";

export interface PasswordAuthOptions extends TokenCacheOptions {
  /** IAM v3 URL, e.g. `https://iam.eu-de.otc.t-systems.com/v3`. Derived from `region` when omitted. */
  authUrl?: string | undefined;
  /** Region (`eu-de`, `eu-nl`); gives the IAM URL and the default project name. */
  region?: string | undefined;
  /** User name (needs `domainName` or `domainId`), or… */
  user?: string | undefined;
  /** …the user's id. */
  userId?: string | undefined;
  password: string;
  /** The user's domain (account) name, usually `OTC00000000001000000xxx`. */
  domainName?: string | undefined;
  domainId?: string | undefined;
  /** Scope: the project id, or… */
  projectId?: string | undefined;
  /** …its name (`eu-de`, `eu-de_sub`); defaults to the region name. */
  projectName?: string | undefined;
  /** Domain of a project given by name; defaults to the user's domain. */
  projectDomainName?: string | undefined;
  projectDomainId?: string | undefined;
  fetch?: FetchLike | undefined;
  /**
   * Timeout of each IAM request in ms, headers and body (default 30 000; Infinity for none). An
   * API call waits for IAM no longer than its own deadline (the client's `timeoutMs`).
   */
  attemptTimeoutMs?: number | undefined;
  /** Accept an `http://` authUrl on another host than this machine (the password then travels unencrypted). */
  allowInsecureHttp?: boolean | undefined;
}

const WHERE = "passwordAuth";

/** Obtains, caches and renews a project-scoped IAM token from a user name (or id) and password. */
export function passwordAuth(options: PasswordAuthOptions): TokenAuth {
  requireOptions(WHERE, options);
  stringOption(WHERE, "password", options.password, "text", true);
  const hasUser = stringOption(WHERE, "user", options.user, "text");
  const hasUserId = stringOption(WHERE, "userId", options.userId, "text");
  if (hasUser === hasUserId) throw new TypeError(`${WHERE}: pass exactly one of \`user\` and \`userId\``);
  const domain = domainRef(WHERE, options.domainName, options.domainId);
  if (hasUser && !domain)
    throw new TypeError(`${WHERE}: \`user\` needs \`domainName\` or \`domainId\` (the OTC account, e.g. OTC00000000001000000xxx)`);
  checkMargin(WHERE, options.refreshMarginMs);
  checkClock(WHERE, options.clock);
  checkIamCallOptions(WHERE, options);
  const authUrl = resolveAuthUrl(WHERE, options.authUrl, options.region, options.allowInsecureHttp);
  const scope = projectScope(options, domain);

  const body = {
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: hasUser ? { name: options.user, password: options.password, domain } : { id: options.userId, password: options.password },
        },
      },
      scope,
    },
  };
  return createTokenAuth(
    "password",
    (context) => issueToken(authUrl, body, "IAM password authentication", { ...options, context }),
    options,
    WHERE,
  );
}

function projectScope(
  options: PasswordAuthOptions,
  userDomain: { name: string } | { id: string } | undefined,
): { project: Record<string, unknown> } {
  const { hasId, hasName } = projectRef(WHERE, options.projectId, options.projectName);
  if (hasId) return { project: { id: options.projectId } };
  const name = hasName ? options.projectName : options.region;
  if (name === undefined || name === "") {
    throw new TypeError(`${WHERE}: pass \`projectId\`, \`projectName\` or \`region\` (VBS and CBR need a project-scoped token)`);
  }
  const domain =
    domainRef(WHERE, options.projectDomainName, options.projectDomainId, ["projectDomainName", "projectDomainId"]) ?? userDomain;
  if (!domain)
    throw new TypeError(`${WHERE}: a project given by name needs \`projectDomainName\`, \`projectDomainId\` or the user's domain`);
  return { project: { name, domain } };
}
