// Region → endpoint resolution. An explicit endpoint always wins; otherwise a known region maps
// to the service's public host. Other regions need an explicit endpoint or the IAM catalog
// (endpointFromCatalog below; token strategies expose it through discover()).

export type Service = "vbs" | "cbr";

/** Regions with a published host for each service. VBS is documented for eu-de only; eu-nl follows the same host pattern. */
export const KNOWN_REGIONS: Readonly<Record<Service, readonly string[]>> = {
  vbs: ["eu-de", "eu-nl"],
  cbr: ["eu-de", "eu-nl"],
};

/** A region name (`eu-de`, `eu-ch2`), as a pattern to embed in others. */
export const REGION_PATTERN = "[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*";
const REGION_RE = new RegExp(`^${REGION_PATTERN}$`);

export function isRegionName(text: string): boolean {
  return REGION_RE.test(text);
}

/** The region of an OTC project name: projects are named `<region>` or `<region>_<subproject>`. */
export function regionOfProject(projectName: string | undefined): string | undefined {
  const region = projectName?.split("_")[0];
  return region && isRegionName(region) ? region : undefined;
}

export interface EndpointOptions {
  /** Open Telekom Cloud region, e.g. `eu-de`. */
  region?: string | undefined;
  /** Base URL of the service, e.g. `https://cbr.eu-de.otc.t-systems.com` or a mock server. Wins over `region`. */
  endpoint?: string | undefined;
  /** Accept an `http://` endpoint on another host than this machine (credentials then travel unencrypted). */
  allowInsecureHttp?: boolean | undefined;
}

/** Returns the base URL (no trailing slash) that the spec's paths are appended to. */
export function resolveEndpoint(service: Service, options: EndpointOptions): string {
  if (options.endpoint !== undefined) return normalizeEndpoint(options.endpoint, options.allowInsecureHttp);
  const region = options.region;
  if (region === undefined || region === "") {
    throw new TypeError(`${service}: pass either \`region\` (${KNOWN_REGIONS[service].join(", ")}) or \`endpoint\``);
  }
  if (!isRegionName(region)) {
    throw new TypeError(`${service}: ${JSON.stringify(region)} is not a region name (expected something like "eu-de")`);
  }
  if (!KNOWN_REGIONS[service].includes(region)) {
    throw new TypeError(
      `${service}: no known endpoint for region "${region}" (known: ${KNOWN_REGIONS[service].join(", ")}); pass \`endpoint\` explicitly`,
    );
  }
  return `https://${service}.${region}.otc.t-systems.com`;
}

/** Hosts that never leave this machine: `localhost`, 127.0.0.0/8 and `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Parses a URL that credentials will be sent to (a service endpoint, IAM): `https:`, or `http:`
 * only to this machine unless `allowInsecureHttp`; no user info, query or fragment. Messages name
 * `what` and the scheme or host, never the whole URL (it may carry user info).
 */
export function credentialUrl(what: string, text: string, allowInsecureHttp = false): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`${what} is not an absolute URL`);
  }
  if (url.protocol === "http:") {
    if (!allowInsecureHttp && !isLoopbackHost(url.hostname)) {
      throw new TypeError(
        `${what} uses http:// for ${url.hostname}, which is not this machine: credentials would travel unencrypted. Use https://, or pass \`allowInsecureHttp: true\``,
      );
    }
  } else if (url.protocol !== "https:") {
    throw new TypeError(`${what} must be an https:// URL (or http:// to localhost), not ${url.protocol}`);
  }
  if (url.username || url.password) throw new TypeError(`${what} must not carry a user name or password`);
  if (url.search || url.hash) throw new TypeError(`${what} must not carry a query or fragment`);
  return url;
}

/**
 * Validates an endpoint URL (see credentialUrl) and strips what the spec's paths already carry: a
 * trailing slash and a trailing `/vN/<project>` or `/vN` (catalog URLs look like
 * `https://cbr.eu-de…/v3/<project_id>`).
 */
function normalizeEndpoint(endpoint: string, allowInsecureHttp = false): string {
  const url = credentialUrl("endpoint", endpoint, allowInsecureHttp);
  const path = url.pathname.replace(/\/+$/, "").replace(/\/v\d+(?:\.\d+)?(?:\/[^/]+)?$/, "");
  return `${url.origin}${path}`;
}

// ---- IAM service catalog ----

/** One entry of a token's `catalog` (or of `GET /v3/auth/catalog`). */
export interface CatalogService {
  type: string;
  name?: string;
  endpoints: ReadonlyArray<{ interface?: string; region?: string; region_id?: string; url: string }>;
}

/** Catalog types to look for, most specific first. */
const CATALOG_TYPES: Readonly<Record<Service, readonly string[]>> = {
  cbr: ["cbr"],
  vbs: ["vbsv2", "vbs", "volume-backup"],
};

const PROJECT_PLACEHOLDERS = /\$\(tenant_id\)s|\$\(project_id\)s|%\(tenant_id\)s|%\(project_id\)s|\{project_id\}|\{tenant_id\}/g;

/** Replaces the project placeholders used in catalogs and endpoint overrides. */
function substituteProjectId(url: string, projectId: string | undefined): string {
  return projectId === undefined ? url : url.replace(PROJECT_PLACEHOLDERS, projectId);
}

function publicUrl(catalog: readonly CatalogService[], type: string, region: string | undefined): string | undefined {
  for (const service of catalog) {
    if (service?.type !== type || !Array.isArray(service.endpoints)) continue;
    const match = service.endpoints.find(
      (e) =>
        typeof e?.url === "string" &&
        (e.interface ?? "public") === "public" &&
        (region === undefined || e.region === region || e.region_id === region),
    );
    if (match) return match.url;
  }
  return undefined;
}

/**
 * The service's base URL from an IAM catalog, or undefined. CBR: type `cbr`; VBS: `vbsv2`, `vbs`,
 * `volume-backup`, else the `volumev2` (EVS) endpoint with its `evs.` host label turned into
 * `vbs.` (as gophertelekomcloud does). Only the public interface in `region` (any region when
 * omitted) counts. The result drops the `/vN/<project>` tail, because the spec's paths carry it.
 */
export function endpointFromCatalog(
  catalog: readonly CatalogService[] | undefined,
  service: Service,
  options: { region?: string | undefined; projectId?: string | undefined; allowInsecureHttp?: boolean | undefined } = {},
): string | undefined {
  if (!Array.isArray(catalog)) return undefined;
  let url: string | undefined;
  for (const type of CATALOG_TYPES[service]) {
    url ??= publicUrl(catalog, type, options.region);
  }
  if (url === undefined && service === "vbs") {
    const evs = publicUrl(catalog, "volumev2", options.region);
    if (evs !== undefined) {
      const parsed = safeUrl(evs);
      if (parsed?.hostname.startsWith("evs.")) {
        parsed.hostname = `vbs.${parsed.hostname.slice(4)}`;
        url = parsed.toString();
      }
    }
  }
  if (url === undefined) return undefined;
  try {
    return normalizeEndpoint(substituteProjectId(url, options.projectId ?? "project"), options.allowInsecureHttp);
  } catch {
    return undefined; // an unusable catalog URL is as good as none: fall back to the region table
  }
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
