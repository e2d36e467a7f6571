// Picks the configuration the way OTC tools do: a named cloud from clouds.yaml
// (+ secure.yaml), selected by `cloud` or OS_CLOUD; otherwise the OS_* variables; otherwise the
// only cloud in clouds.yaml. A selected cloud is used as written: OS_* variables are not mixed in.
import type { Service } from "../endpoints.js";
import type { AuthStrategy } from "../auth/types.js";
import type { DiscoveredClientOptions } from "../auth/discover.js";
import { cloudConfigFromEntry, cloudConfigFromEnv, ENV_CREDENTIAL_KEYS, type CloudConfig, type Env } from "./cloud-config.js";
import { ConfigError } from "./errors.js";
import { deepMerge, findFile, readCloudsFile, searchDirs, type SearchOptions } from "./files.js";
import { authFromCloudConfig, clientOptionsFromCloudConfig, type AuthFactoryOptions } from "./to-options.js";

export interface LoadConfigOptions extends SearchOptions {
  /** The cloud to use; default OS_CLOUD. */
  cloud?: string | undefined;
  /** Environment to read (default process.env). */
  env?: Env | undefined;
  /** clouds.yaml to read instead of searching (default OS_CLIENT_CONFIG_FILE, then the search path). */
  cloudsFile?: string | undefined;
  /** secure.yaml to read instead of searching (default OS_CLIENT_SECURE_FILE, then the search path). */
  secureFile?: string | undefined;
}

function explicitFile(path: string | undefined): string | undefined {
  return path === undefined || path.trim() === "" ? undefined : path;
}

/** Loads one cloud's settings from clouds.yaml/secure.yaml or the environment. */
export function loadCloudConfig(options: LoadConfigOptions = {}): CloudConfig {
  const env = options.env ?? process.env;
  const dirs = searchDirs(options);
  const cloudsKey = options.cloudsFile ? "cloudsFile" : "OS_CLIENT_CONFIG_FILE";
  const secureKey = options.secureFile ? "secureFile" : "OS_CLIENT_SECURE_FILE";
  const cloudsExplicit = explicitFile(options.cloudsFile ?? env.OS_CLIENT_CONFIG_FILE);
  const secureExplicit = explicitFile(options.secureFile ?? env.OS_CLIENT_SECURE_FILE);
  const cloudsFile = cloudsExplicit ?? findFile("clouds", dirs);
  const secureFile = secureExplicit ?? findFile("secure", dirs);

  const clouds = cloudsFile ? readCloudsFile(cloudsFile, cloudsExplicit ? cloudsKey : "clouds.yaml") : {};
  const secure = secureFile ? readCloudsFile(secureFile, secureExplicit ? secureKey : "secure.yaml") : {};
  const names = [...new Set([...Object.keys(clouds), ...Object.keys(secure)])];
  const where = cloudsFile ?? secureFile ?? `clouds.yaml (searched ${dirs.join(", ")})`;

  const requested = options.cloud ?? (env.OS_CLOUD?.trim() || undefined);
  const requestedKey = options.cloud !== undefined ? "cloud" : "OS_CLOUD";
  if (requested !== undefined) {
    if (!names.includes(requested)) {
      const known = names.length ? `known clouds: ${names.join(", ")}` : "no clouds.yaml found";
      throw new ConfigError(`${requestedKey} names cloud "${requested}", which ${where} does not define (${known})`, requestedKey, where);
    }
    return fromFile(requested);
  }
  if (ENV_CREDENTIAL_KEYS.some((key) => env[key]?.trim())) return cloudConfigFromEnv(env);
  if (names.length === 1) return fromFile(names[0]!);
  if (names.length > 1) {
    throw new ConfigError(`${where} defines several clouds (${names.join(", ")}): set OS_CLOUD or pass \`cloud\``, "OS_CLOUD", where);
  }
  throw new ConfigError(
    `no credentials found: set OS_CLOUD and write clouds.yaml (searched ${dirs.join(", ")}), or set OS_AUTH_URL/OS_USERNAME/OS_PASSWORD or OS_ACCESS_KEY/OS_SECRET_KEY`,
    "OS_CLOUD",
    "environment",
  );

  function fromFile(name: string): CloudConfig {
    const entry = deepMerge(clouds[name], secure[name]);
    // Errors name clouds.yaml, where users write most of a cloud (secure.yaml holds the secrets).
    return cloudConfigFromEntry(entry, cloudsFile ?? secureFile ?? "clouds.yaml", name);
  }
}

/** Loads the configuration and builds its authentication strategy. */
export function loadAuth(options: LoadConfigOptions & AuthFactoryOptions = {}): AuthStrategy {
  return authFromCloudConfig(loadCloudConfig(options), options);
}

/**
 * Loads the configuration and returns options for createVbsClient / createCbrClient:
 * `createCbrClient(await loadClientOptions("cbr"))`.
 */
export async function loadClientOptions(
  service: Service,
  options: LoadConfigOptions & AuthFactoryOptions = {},
): Promise<DiscoveredClientOptions<AuthStrategy>> {
  return clientOptionsFromCloudConfig(loadCloudConfig(options), service, options);
}
