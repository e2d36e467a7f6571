// From a CloudConfig to an authentication strategy and client options. Every missing setting is
// reported as a ConfigError naming the key in the vocabulary of where the config came from.
import { agencyAuth } from "../auth/agency.js";
import { akskAuth } from "../auth/aksk.js";
import { clientOptionsFromCatalog, type DiscoveredClientOptions } from "../auth/discover.js";
import { requireOptions } from "../auth/options.js";
import { passwordAuth } from "../auth/password.js";
import { staticTokenAuth } from "../auth/static-token.js";
import type { AuthStrategy } from "../auth/types.js";
import type { Clock } from "../clock.js";
import type { Service } from "../endpoints.js";
import type { FetchLike } from "../pipeline/senders/fetch.js";
import { describeOrigin, keyFor, sourceOf, type CloudConfig, type ConfigField } from "./cloud-config.js";
import { ConfigError } from "./errors.js";

export interface AuthFactoryOptions {
  /** fetch for IAM requests (defaults to the global one). */
  fetch?: FetchLike | undefined;
  refreshMarginMs?: number | undefined;
  /** Timeout of each IAM request in ms (default 30 000). */
  attemptTimeoutMs?: number | undefined;
  /** The clock for token lifetimes and signing dates (default: the system clock). */
  clock?: Clock | undefined;
  /**
   * Accept `http://` auth URLs and endpoints on other hosts than this machine (credentials then
   * travel unencrypted); also passed on to the client options.
   */
  allowInsecureHttp?: boolean | undefined;
}

type AuthKind = "password" | "token" | "aksk";

const AUTH_TYPES: Record<string, AuthKind | "agency"> = {
  password: "password",
  v3password: "password",
  token: "token",
  v3token: "token",
  aksk: "aksk",
  "ak/sk": "aksk",
  agency: "agency",
};

function missing(config: CloudConfig, field: ConfigField, why: string, alternatives: ConfigField[] = []): ConfigError {
  const keys = [field, ...alternatives].map((f) => keyFor(config, f));
  const which = keys.length === 1 ? keys[0]! : `${keys.slice(0, -1).join(", ")} or ${keys[keys.length - 1]}`;
  return new ConfigError(`${describeOrigin(config.origin)}: missing ${which} (${why})`, keys[0]!, sourceOf(config.origin));
}

/** Which credentials the config holds: auth_type if set, else AK/SK, else a token, else a password. */
function kindOf(config: CloudConfig): { kind: AuthKind; agency: boolean } {
  let declared: AuthKind | "agency" | undefined;
  if (config.authType !== undefined) {
    declared = AUTH_TYPES[config.authType.toLowerCase()];
    if (!declared) {
      const key = keyFor(config, "authType");
      throw new ConfigError(
        `${describeOrigin(config.origin)}: ${key} "${config.authType}" is not supported (use password, token, aksk or agency)`,
        key,
        sourceOf(config.origin),
      );
    }
  }
  const inferred: AuthKind = config.accessKey ? "aksk" : config.token ? "token" : "password";
  const agency = declared === "agency" || config.agencyName !== undefined;
  return { kind: declared === undefined || declared === "agency" ? inferred : declared, agency };
}

function baseAuth(config: CloudConfig, kind: AuthKind, options: AuthFactoryOptions): AuthStrategy {
  const region = config.region;
  const iam = {
    authUrl: config.authUrl,
    region,
    fetch: options.fetch,
    attemptTimeoutMs: options.attemptTimeoutMs,
    clock: options.clock,
    allowInsecureHttp: options.allowInsecureHttp,
  };
  if (kind === "aksk") {
    if (!config.accessKey) throw missing(config, "accessKey", "AK/SK authentication");
    if (!config.secretKey) throw missing(config, "secretKey", "AK/SK authentication");
    return akskAuth({
      accessKey: config.accessKey,
      secretKey: config.secretKey,
      securityToken: config.securityToken,
      projectId: config.projectId,
      projectName: config.projectId ? undefined : config.projectName,
      region,
      authUrl: config.authUrl,
      fetch: options.fetch,
      clock: options.clock,
      allowInsecureHttp: options.allowInsecureHttp,
    });
  }
  if (kind === "token") {
    if (!config.token) throw missing(config, "token", "token authentication");
    return staticTokenAuth(config.token);
  }
  if (!config.password) throw missing(config, "password", "password authentication");
  if (!config.username && !config.userId) throw missing(config, "username", "password authentication", ["userId"]);
  if (config.username && !config.userDomainName && !config.userDomainId) {
    throw missing(config, "userDomainName", "the account of the user, e.g. OTC00000000001000000xxx", ["userDomainId"]);
  }
  if (!config.authUrl && !region) throw missing(config, "authUrl", "where IAM is", ["region"]);
  if (!config.projectId && !config.projectName && !region) {
    throw missing(config, "projectName", "VBS and CBR need a project-scoped token", ["projectId", "region"]);
  }
  return passwordAuth({
    ...iam,
    refreshMarginMs: options.refreshMarginMs,
    user: config.userId ? undefined : config.username,
    userId: config.userId,
    password: config.password,
    domainName: config.userDomainId ? undefined : config.userDomainName,
    domainId: config.userDomainId,
    projectId: config.projectId,
    projectName: config.projectId ? undefined : config.projectName,
    projectDomainName: config.projectDomainId ? undefined : config.projectDomainName,
    projectDomainId: config.projectDomainId,
  });
}

/** Builds the strategy the config describes (password, token, AK/SK, optionally through an agency). */
export function authFromCloudConfig(config: CloudConfig, options: AuthFactoryOptions = {}): AuthStrategy {
  requireOptions("authFromCloudConfig", options);
  const { kind, agency } = kindOf(config);
  const base = baseAuth(config, kind, options);
  if (!agency) return base;
  if (!config.agencyName) throw missing(config, "agencyName", "agency authentication");
  if (!config.agencyDomainName && !config.agencyDomainId) {
    throw missing(config, "agencyDomainName", "the account that created the agency", ["agencyDomainId"]);
  }
  if (!config.authUrl && !config.region) throw missing(config, "authUrl", "where IAM is", ["region"]);
  return agencyAuth({
    auth: base,
    authUrl: config.authUrl,
    region: config.region,
    agencyName: config.agencyName,
    domainName: config.agencyDomainId ? undefined : config.agencyDomainName,
    domainId: config.agencyDomainId,
    projectId: config.agencyProjectId,
    projectName: config.agencyProjectId ? undefined : config.agencyProjectName,
    fetch: options.fetch,
    attemptTimeoutMs: options.attemptTimeoutMs,
    clock: options.clock,
    allowInsecureHttp: options.allowInsecureHttp,
    refreshMarginMs: options.refreshMarginMs,
  });
}

/**
 * Client options for one service: the strategy, the project id and the endpoint (endpoint
 * override, then the token's catalog, then the region table). Token strategies obtain their
 * token here, so wrong credentials fail now rather than on the first call.
 */
export async function clientOptionsFromCloudConfig(
  config: CloudConfig,
  service: Service,
  options: AuthFactoryOptions = {},
): Promise<DiscoveredClientOptions<AuthStrategy>> {
  const auth = authFromCloudConfig(config, options);
  const agency = kindOf(config).agency;
  const projectId = agency ? config.agencyProjectId : config.projectId;
  if (!projectId && !auth.discover) {
    throw missing(config, "projectId", `a ${auth.type} strategy cannot look the project up`);
  }
  if (!config.endpoints[service] && !config.region && !auth.discover) {
    throw missing(config, "region", `to find the ${service} endpoint`);
  }
  return clientOptionsFromCatalog(auth, {
    service,
    region: config.region,
    endpoint: config.endpoints[service],
    projectId,
    allowInsecureHttp: options.allowInsecureHttp,
  });
}
