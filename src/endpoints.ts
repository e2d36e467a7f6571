// Region → endpoint resolution. An explicit endpoint always wins; otherwise a known region maps
// to the service's public host. Other regions need an explicit endpoint (or the IAM catalog,
// see discoverEndpoints in the auth module).

export type Service = "vbs" | "cbr";

/** Regions with a published host for each service. VBS is documented for eu-de only; eu-nl follows the same host pattern. */
export const KNOWN_REGIONS: Readonly<Record<Service, readonly string[]>> = {
  vbs: ["eu-de", "eu-nl"],
  cbr: ["eu-de", "eu-nl"],
};

const REGION_RE = /^[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface EndpointOptions {
  /** Open Telekom Cloud region, e.g. `eu-de`. */
  region?: string | undefined;
  /** Base URL of the service, e.g. `https://cbr.eu-de.otc.t-systems.com` or a mock server. Wins over `region`. */
  endpoint?: string | undefined;
}

/** Returns the base URL (no trailing slash) that the spec's paths are appended to. */
export function resolveEndpoint(service: Service, options: EndpointOptions): string {
  if (options.endpoint !== undefined) return normalizeEndpoint(options.endpoint);
  const region = options.region;
  if (region === undefined || region === "") {
    throw new TypeError(`${service}: pass either \`region\` (${KNOWN_REGIONS[service].join(", ")}) or \`endpoint\``);
  }
  if (!REGION_RE.test(region)) {
    throw new TypeError(`${service}: ${JSON.stringify(region)} is not a region name (expected something like "eu-de")`);
  }
  if (!KNOWN_REGIONS[service].includes(region)) {
    throw new TypeError(
      `${service}: no known endpoint for region "${region}" (known: ${KNOWN_REGIONS[service].join(", ")}); pass \`endpoint\` explicitly`,
    );
  }
  return `https://${service}.${region}.otc.t-systems.com`;
}

/**
 * Validates an endpoint URL and strips what the spec's paths already carry: a trailing slash and
 * a trailing `/vN/<project>` or `/vN` (catalog URLs look like `https://cbr.eu-de…/v3/<project_id>`).
 */
export function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`endpoint ${JSON.stringify(endpoint)} is not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`endpoint must use https (or http for a local mock), got ${url.protocol}`);
  }
  if (url.search || url.hash) throw new TypeError("endpoint must not carry a query or fragment");
  const path = url.pathname.replace(/\/+$/, "").replace(/\/v\d+(?:\.\d+)?(?:\/[^/]+)?$/, "");
  return `${url.origin}${path}`;
}
