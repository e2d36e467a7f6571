// One cloud's settings, normalised from a clouds.yaml entry (merged with secure.yaml) or from the
// OS_* environment variables OTC tools read. Pure data handling, no file access, so
// it also runs in Deno, Bun or a browser given an environment object.
import { REGION_PATTERN, regionOfProject } from "../endpoints.js";
import { redactFields } from "../redact.js";
import { ConfigError } from "./errors.js";

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

export type ConfigOrigin =
  | { kind: "file"; file: string; cloud: string }
  | { kind: "env" };

export type ConfigField = Exclude<keyof CloudConfig, "origin" | "endpoints">;

const SECRET_FIELDS: ReadonlySet<string> = new Set(["password", "token", "secretKey", "securityToken"]);

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
  ...ENV_KEYS.authUrl, ...ENV_KEYS.username, ...ENV_KEYS.userId, ...ENV_KEYS.password,
  ...ENV_KEYS.token, ...ENV_KEYS.accessKey, ...ENV_KEYS.secretKey,
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

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value); // YAML reads digit-only ids as numbers
  return undefined;
}

function lookup(entry: Record<string, unknown>, dotted: string): unknown {
  let value: unknown = entry;
  for (const part of dotted.split(".")) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function regionValue(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    return scalar(first) ?? (first && typeof first === "object" ? scalar((first as { name?: unknown }).name) : undefined);
  }
  return scalar(value);
}

/** Normalises one clouds.yaml entry (already merged with its secure.yaml counterpart). */
export function cloudConfigFromEntry(entry: unknown, file: string, cloud: string): CloudConfig {
  const origin: ConfigOrigin = { kind: "file", file, cloud };
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    throw new ConfigError(`${file}: clouds.${cloud} must be a mapping`, `clouds.${cloud}`, file);
  }
  const record = entry as Record<string, unknown>;
  const config: CloudConfig = { origin, endpoints: {} };
  for (const field of Object.keys(FILE_KEYS) as ConfigField[]) {
    for (const key of FILE_KEYS[field]) {
      const raw = lookup(record, key);
      const value = field === "region" ? regionValue(raw) : scalar(raw);
      if (value !== undefined) {
        config[field] = value;
        break;
      }
    }
  }
  for (const service of ["vbs", "cbr"] as const) {
    for (const key of FILE_ENDPOINTS[service]) config.endpoints[service] ??= scalar(record[key]);
  }
  return finish(config);
}

/** Reads the OS_* variables. */
export function cloudConfigFromEnv(env: Env): CloudConfig {
  const config: CloudConfig = { origin: { kind: "env" }, endpoints: {} };
  for (const field of Object.keys(ENV_KEYS) as ConfigField[]) {
    for (const key of ENV_KEYS[field]) {
      const value = scalar(env[key]);
      if (value !== undefined) {
        config[field] = value;
        break;
      }
    }
  }
  for (const service of ["vbs", "cbr"] as const) {
    for (const key of ENV_ENDPOINTS[service]) config.endpoints[service] ??= scalar(env[key]);
  }
  return finish(config);
}

const REGION_IN_IAM_HOST = new RegExp(`^iam(?:-pub)?\\.(${REGION_PATTERN})\\.`);

/** Derives what the usual tools derive: region from project name or IAM host, `{region_name}` in auth_url. */
function finish(config: CloudConfig): CloudConfig {
  config.region ??= regionOfProject(config.projectName) ?? regionOfProject(config.agencyProjectName);
  if (config.authUrl && config.region) {
    config.authUrl = config.authUrl.replace(/\{region_name\}|%\(region_name\)s/g, config.region);
  }
  if (!config.region && config.authUrl) {
    try {
      config.region = REGION_IN_IAM_HOST.exec(new URL(config.authUrl).hostname)?.[1];
    } catch {
      // an invalid auth_url is reported when the strategy is built
    }
  }
  return hideSecrets(config);
}

/** JSON.stringify / util.inspect show which secrets are set, never their values. */
function hideSecrets(config: CloudConfig): CloudConfig {
  return redactFields(config, "CloudConfig", SECRET_FIELDS);
}
