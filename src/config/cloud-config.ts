// One cloud's settings, normalised from a clouds.yaml entry (merged with secure.yaml) or from the
// OS_* environment variables OTC tools read. Pure data handling, no file access, so
// it also runs in Deno, Bun or a browser given an environment object.
import { isRegionName, REGION_PATTERN, regionOfProject } from "../endpoints.js";
import { baseUrlOption, textOption, urlSegmentOption } from "../options/check.js";
import { redactFields } from "../redact.js";
import { ConfigError } from "./errors.js";
import { UnquotedScalar } from "./scalar.js";

export type Env = Readonly<Record<string, string | undefined>>;

/** The settings this package understands. Secrets are hidden from JSON.stringify and util.inspect. */
export interface CloudConfig {
  /** Where the settings came from, for error messages. */
  readonly origin: ConfigOrigin;
  authType?: string | undefined;
  authUrl?: string | undefined;
  region?: string | undefined;
  username?: string | undefined;
  userId?: string | undefined;
  password?: string | undefined;
  userDomainName?: string | undefined;
  userDomainId?: string | undefined;
  projectName?: string | undefined;
  projectId?: string | undefined;
  projectDomainName?: string | undefined;
  projectDomainId?: string | undefined;
  token?: string | undefined;
  accessKey?: string | undefined;
  secretKey?: string | undefined;
  securityToken?: string | undefined;
  agencyName?: string | undefined;
  agencyDomainName?: string | undefined;
  agencyDomainId?: string | undefined;
  agencyProjectName?: string | undefined;
  agencyProjectId?: string | undefined;
  /** `<service>_endpoint_override` / `OS_<SERVICE>_ENDPOINT_OVERRIDE`. */
  endpoints: { vbs?: string | undefined; cbr?: string | undefined };
}

export type ConfigOrigin = { kind: "file"; file: string; cloud: string } | { kind: "env" };

export type ConfigField = Exclude<keyof CloudConfig, "origin" | "endpoints">;

const SECRET_FIELDS: ReadonlySet<string> = new Set(["password", "token", "secretKey", "securityToken"]);

/**
 * Credentials must be written as text: an unquoted `012` is 12 to YAML 1.2 and 10 to YAML 1.1
 * (the OpenStack tools), so no reading of it is safe, and a wrong password counts towards the
 * account's lock-out. Every other setting keeps the text as written (`project_id: 0123456789`
 * stays "0123456789").
 */
const CREDENTIAL_FIELDS: ReadonlySet<string> = new Set(["password", "token", "accessKey", "secretKey", "securityToken"]);

/** How each value is checked before it is used; ids and the region end up in URLs. */
const RULES: Record<ConfigField, "text" | "segment" | "region" | "url"> = {
  authType: "text",
  authUrl: "url",
  region: "region",
  username: "text",
  userId: "segment",
  password: "text",
  userDomainName: "text",
  userDomainId: "segment",
  projectName: "text",
  projectId: "segment",
  projectDomainName: "text",
  projectDomainId: "segment",
  token: "text",
  accessKey: "text",
  secretKey: "text",
  securityToken: "text",
  agencyName: "text",
  agencyDomainName: "text",
  agencyDomainId: "segment",
  agencyProjectName: "text",
  agencyProjectId: "segment",
};

/** clouds.yaml key (under the cloud) for each field: the first is the one error messages name. */
const FILE_KEYS: Record<ConfigField, readonly string[]> = {
  authType: ["auth_type"],
  authUrl: ["auth.auth_url"],
  region: ["region_name", "regions"],
  username: ["auth.username", "auth.user_name"],
  userId: ["auth.user_id"],
  password: ["auth.password"],
  userDomainName: ["auth.user_domain_name", "auth.domain_name"],
  userDomainId: ["auth.user_domain_id", "auth.domain_id"],
  projectName: ["auth.project_name", "auth.tenant_name"],
  projectId: ["auth.project_id", "auth.tenant_id"],
  projectDomainName: ["auth.project_domain_name"],
  projectDomainId: ["auth.project_domain_id"],
  token: ["auth.token"],
  accessKey: ["auth.ak", "auth.access_key", "ak", "access_key"],
  secretKey: ["auth.sk", "auth.secret_key", "sk", "secret_key"],
  // Cloud-level `token` is python-otcextensions' name for the security token.
  securityToken: ["auth.security_token", "security_token", "token"],
  agencyName: ["auth.target_agency_name", "auth.agency_name"],
  agencyDomainName: ["auth.target_domain_name", "auth.agency_domain_name"],
  agencyDomainId: ["auth.target_domain_id", "auth.agency_domain_id"],
  agencyProjectName: ["auth.target_project_name", "auth.delegated_project"],
  agencyProjectId: ["auth.target_project_id"],
};

/** Environment variables for each field, in the order they are read. */
const ENV_KEYS: Record<ConfigField, readonly string[]> = {
  authType: ["OS_AUTH_TYPE"],
  authUrl: ["OS_AUTH_URL"],
  region: ["OS_REGION_NAME", "OS_REGION_ID", "OS_REGION"],
  username: ["OS_USERNAME"],
  userId: ["OS_USER_ID", "OS_USERID"],
  password: ["OS_PASSWORD"],
  userDomainName: ["OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME"],
  userDomainId: ["OS_USER_DOMAIN_ID", "OS_DOMAIN_ID"],
  projectName: ["OS_PROJECT_NAME", "OS_TENANT_NAME"],
  projectId: ["OS_PROJECT_ID", "OS_TENANT_ID"],
  projectDomainName: ["OS_PROJECT_DOMAIN_NAME"],
  projectDomainId: ["OS_PROJECT_DOMAIN_ID"],
  token: ["OS_TOKEN", "OS_AUTH_TOKEN", "OS_TOKEN_ID"],
  accessKey: ["OS_ACCESS_KEY", "OS_ACCESS_KEY_ID", "OS_AK"],
  secretKey: ["OS_SECRET_KEY", "OS_ACCESS_KEY_SECRET", "OS_SK"],
  securityToken: ["OS_SECURITY_TOKEN", "OS_AKSK_SECURITY_TOKEN", "OS_ST"],
  agencyName: ["OS_AGENCY_NAME", "OS_TARGET_AGENCY_NAME"],
  agencyDomainName: ["OS_AGENCY_DOMAIN_NAME", "OS_TARGET_DOMAIN_NAME"],
  agencyDomainId: ["OS_AGENCY_DOMAIN_ID", "OS_TARGET_DOMAIN_ID"],
  agencyProjectName: ["OS_DELEGATED_PROJECT", "OS_TARGET_PROJECT_NAME"],
  agencyProjectId: ["OS_TARGET_PROJECT_ID"],
};

const ENV_ENDPOINTS = {
  vbs: ["OS_VBS_ENDPOINT_OVERRIDE", "OS_VOLUME_BACKUP_ENDPOINT_OVERRIDE"],
  cbr: ["OS_CBR_ENDPOINT_OVERRIDE"],
} as const;
const FILE_ENDPOINTS = {
  vbs: ["vbs_endpoint_override", "volume_backup_endpoint_override"],
  cbr: ["cbr_endpoint_override"],
} as const;

/** Variables whose presence means "the environment holds credentials". */
export const ENV_CREDENTIAL_KEYS: readonly string[] = [
  ...ENV_KEYS.authUrl,
  ...ENV_KEYS.username,
  ...ENV_KEYS.userId,
  ...ENV_KEYS.password,
  ...ENV_KEYS.token,
  ...ENV_KEYS.accessKey,
  ...ENV_KEYS.secretKey,
];

/** The key a user should set for `field`, in the vocabulary of the config's origin. */
export function keyFor(config: Pick<CloudConfig, "origin">, field: ConfigField): string {
  return config.origin.kind === "env" ? ENV_KEYS[field][0]! : `clouds.${config.origin.cloud}.${FILE_KEYS[field][0]}`;
}

/** "clouds.yaml (/path), cloud "otc"" or "the environment", for messages. */
export function describeOrigin(origin: ConfigOrigin): string {
  return origin.kind === "env" ? "the OS_* environment variables" : `${origin.file}, cloud "${origin.cloud}"`;
}

export function sourceOf(origin: ConfigOrigin): string {
  return origin.kind === "env" ? "environment" : origin.file;
}

/** The keys each value was read from (`clouds.otc.auth.project_id`, `OS_PROJECT_ID`), for messages. */
type ReadKeys = Map<ConfigField | "endpoints.vbs" | "endpoints.cbr", string>;

/**
 * One value as text, exactly as written: empty and null mean unset; an unquoted number or boolean
 * keeps its source text, except for credentials, which must be quoted; anything else is refused.
 * Messages name the key, never the value.
 */
function textOf(raw: unknown, credential: boolean, key: string, origin: ConfigOrigin): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string") return raw.trim() === "" ? undefined : raw;
  const where = describeOrigin(origin);
  if (raw instanceof UnquotedScalar || typeof raw === "number" || typeof raw === "boolean" || typeof raw === "bigint") {
    if (raw instanceof UnquotedScalar && !credential) return raw.source;
    const readAs = raw instanceof UnquotedScalar ? raw.readAs : typeof raw === "boolean" ? "boolean" : "number";
    throw new ConfigError(
      `${where}: ${key} is written without quotes and YAML reads it as a ${readAs}, not as the text written; put it in quotes ('...')`,
      key,
      sourceOf(origin),
    );
  }
  throw new ConfigError(`${where}: ${key} must be text, not a ${Array.isArray(raw) ? "list" : "mapping"}`, key, sourceOf(origin));
}

function lookup(entry: Record<string, unknown>, dotted: string): unknown {
  let value: unknown = entry;
  for (const part of dotted.split(".")) {
    if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof UnquotedScalar) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** `region_name: eu-de`, or the first of `regions: [eu-de]` / `regions: [{ name: eu-de }]`. */
function regionValue(value: unknown, key: string, origin: ConfigOrigin): string | undefined {
  if (!Array.isArray(value)) return textOf(value, false, key, origin);
  const first: unknown = value[0];
  if (first !== null && typeof first === "object" && !(first instanceof UnquotedScalar) && !Array.isArray(first)) {
    return textOf((first as { name?: unknown }).name, false, `${key}[0].name`, origin);
  }
  return textOf(first, false, `${key}[0]`, origin);
}

/** Normalises one clouds.yaml entry (already merged with its secure.yaml counterpart). */
export function cloudConfigFromEntry(entry: unknown, file: string, cloud: string): CloudConfig {
  const origin: ConfigOrigin = { kind: "file", file, cloud };
  if (entry === null || typeof entry !== "object" || Array.isArray(entry) || entry instanceof UnquotedScalar) {
    throw new ConfigError(`${file}: clouds.${cloud} must be a mapping`, `clouds.${cloud}`, file);
  }
  const record = entry as Record<string, unknown>;
  const config: CloudConfig = { origin, endpoints: {} };
  const keys: ReadKeys = new Map();
  for (const field of Object.keys(FILE_KEYS) as ConfigField[]) {
    for (const key of FILE_KEYS[field]) {
      const full = `clouds.${cloud}.${key}`;
      const raw = lookup(record, key);
      const value = field === "region" ? regionValue(raw, full, origin) : textOf(raw, CREDENTIAL_FIELDS.has(field), full, origin);
      if (value !== undefined) {
        config[field] = value;
        keys.set(field, full);
        break;
      }
    }
  }
  for (const service of ["vbs", "cbr"] as const) {
    for (const key of FILE_ENDPOINTS[service]) {
      if (config.endpoints[service] !== undefined) break;
      config.endpoints[service] = textOf(record[key], false, `clouds.${cloud}.${key}`, origin);
      keys.set(`endpoints.${service}`, `clouds.${cloud}.${key}`);
    }
  }
  return finish(config, keys);
}

/** Reads the OS_* variables. */
export function cloudConfigFromEnv(env: Env): CloudConfig {
  const origin: ConfigOrigin = { kind: "env" };
  const config: CloudConfig = { origin, endpoints: {} };
  const keys: ReadKeys = new Map();
  for (const field of Object.keys(ENV_KEYS) as ConfigField[]) {
    for (const key of ENV_KEYS[field]) {
      const value = textOf(env[key], false, key, origin);
      if (value !== undefined) {
        config[field] = value;
        keys.set(field, key);
        break;
      }
    }
  }
  for (const service of ["vbs", "cbr"] as const) {
    for (const key of ENV_ENDPOINTS[service]) {
      if (config.endpoints[service] !== undefined) break;
      config.endpoints[service] = textOf(env[key], false, key, origin);
      keys.set(`endpoints.${service}`, key);
    }
  }
  return finish(config, keys);
}

const REGION_IN_IAM_HOST = new RegExp(`^iam(?:-pub)?\\.(${REGION_PATTERN})\\.`);
const REGION_PLACEHOLDER = /\{region_name\}|%\(region_name\)s/g;

/** Runs an option check under the config's vocabulary: its TypeError becomes a ConfigError naming the key. */
function checked<T>(config: CloudConfig, key: string, check: (where: string, name: string) => T): T {
  try {
    return check(describeOrigin(config.origin), key);
  } catch (error) {
    if (error instanceof TypeError) throw new ConfigError(error.message, key, sourceOf(config.origin));
    throw error;
  }
}

/**
 * Checks every value before anything is derived from it or put into a URL, then derives what the
 * usual tools derive: region from project name or IAM host, `{region_name}` in auth_url.
 */
function finish(config: CloudConfig, keys: ReadKeys): CloudConfig {
  for (const field of Object.keys(RULES) as ConfigField[]) {
    const value = config[field];
    if (value === undefined) continue;
    const key = keys.get(field) ?? keyFor(config, field);
    const rule = RULES[field];
    if (rule === "text") checked(config, key, (where, name) => textOption(where, name, value));
    else if (rule === "segment") checked(config, key, (where, name) => urlSegmentOption(where, name, value));
    else if (rule === "region") {
      checked(config, key, (where, name) => {
        urlSegmentOption(where, name, value);
        if (!isRegionName(value)) throw new TypeError(`${where}: \`${name}\` must be a region name such as eu-de`);
      });
    }
    // auth_url is checked below, once its placeholder is filled in
  }
  for (const service of ["vbs", "cbr"] as const) {
    const endpoint = config.endpoints[service];
    if (endpoint !== undefined) checked(config, keys.get(`endpoints.${service}`)!, (where, name) => baseUrlOption(where, name, endpoint));
  }

  config.region ??= regionOfProject(config.projectName) ?? regionOfProject(config.agencyProjectName);
  if (config.authUrl !== undefined) {
    const key = keys.get("authUrl") ?? keyFor(config, "authUrl");
    if (config.authUrl.search(REGION_PLACEHOLDER) !== -1) {
      // The region was checked to be a region name: filling it in cannot move the URL to another host.
      if (!config.region) {
        throw new ConfigError(
          `${describeOrigin(config.origin)}: ${key} contains {region_name}, but no region is set`,
          key,
          sourceOf(config.origin),
        );
      }
      config.authUrl = config.authUrl.replace(REGION_PLACEHOLDER, config.region);
    }
    const authUrl = checked(config, key, (where, name) => baseUrlOption(where, name, config.authUrl))!;
    config.region ??= REGION_IN_IAM_HOST.exec(authUrl.hostname)?.[1];
  }
  return hideSecrets(config);
}

/** JSON.stringify / util.inspect show which secrets are set, never their values. */
function hideSecrets(config: CloudConfig): CloudConfig {
  return redactFields(config, "CloudConfig", SECRET_FIELDS);
}
