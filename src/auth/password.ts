// IAM password authentication: POST {auth_url}/auth/tokens with the password method and a
// project scope (auth.md §1.2a), token from X-Subject-Token.
import { issueToken, resolveAuthUrl, type Fetch } from "./iam.js";
import { checkMargin, createTokenAuth, type TokenCacheOptions } from "./token-auth.js";
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
  fetch?: Fetch | undefined;
  /** Timeout of each IAM request in ms (default 30 000). */
  timeoutMs?: number | undefined;
}

const WHERE = "passwordAuth";

export function nonEmpty(where: string, name: string, value: unknown, required = false): value is string {
  if (value === undefined && !required) return false;
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`${where}: \`${name}\` must be a non-empty string`);
  return true;
}

/** Obtains, caches and renews a project-scoped IAM token from a user name (or id) and password. */
export function passwordAuth(options: PasswordAuthOptions): TokenAuth {
  if (options === null || typeof options !== "object") throw new TypeError(`${WHERE}: options are required`);
  nonEmpty(WHERE, "password", options.password, true);
  const hasUser = nonEmpty(WHERE, "user", options.user);
  const hasUserId = nonEmpty(WHERE, "userId", options.userId);
  if (hasUser === hasUserId) throw new TypeError(`${WHERE}: pass exactly one of \`user\` and \`userId\``);
  const domain = domainRef(WHERE, "domain", options.domainName, options.domainId);
  if (hasUser && !domain) throw new TypeError(`${WHERE}: \`user\` needs \`domainName\` or \`domainId\` (the OTC account, e.g. OTC00000000001000000xxx)`);
  checkMargin(WHERE, options.refreshMarginMs);
  const authUrl = resolveAuthUrl(WHERE, options.authUrl, options.region);
  const scope = projectScope(WHERE, options, domain);

  const body = {
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: hasUser
            ? { name: options.user, password: options.password, domain }
            : { id: options.userId, password: options.password },
        },
      },
      scope,
    },
  };
  return createTokenAuth("password", () => issueToken(authUrl, body, "IAM password authentication", options), options);
}

export function domainRef(where: string, prefix: string, name: unknown, id: unknown): { name: string } | { id: string } | undefined {
  const cap = prefix === "domain" ? "domain" : `${prefix}Domain`;
  const hasName = nonEmpty(where, `${cap}Name`, name);
  const hasId = nonEmpty(where, `${cap}Id`, id);
  if (hasName && hasId) throw new TypeError(`${where}: pass \`${cap}Name\` or \`${cap}Id\`, not both`);
  return hasId ? { id: id as string } : hasName ? { name: name as string } : undefined;
}

function projectScope(
  where: string,
  options: PasswordAuthOptions,
  userDomain: { name: string } | { id: string } | undefined,
): { project: Record<string, unknown> } {
  const hasId = nonEmpty(where, "projectId", options.projectId);
  const hasName = nonEmpty(where, "projectName", options.projectName);
  if (hasId && hasName) throw new TypeError(`${where}: pass \`projectId\` or \`projectName\`, not both`);
  if (hasId) return { project: { id: options.projectId } };
  const name = hasName ? options.projectName : options.region;
  if (name === undefined || name === "") {
    throw new TypeError(`${where}: pass \`projectId\`, \`projectName\` or \`region\` (VBS and CBR need a project-scoped token)`);
  }
  const domain = domainRef(where, "project", options.projectDomainName, options.projectDomainId) ?? userDomain;
  if (!domain) throw new TypeError(`${where}: a project given by name needs \`projectDomainName\`, \`projectDomainId\` or the user's domain`);
  return { project: { name, domain } };
}
