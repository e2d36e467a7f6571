// From credentials to client options: the project id and the service's base URL (explicit
// endpoint, then IAM catalog, then the region table).
import { resolveEndpoint, type Service } from "../endpoints.js";
import type { AuthStrategy } from "./types.js";

export interface CatalogOptionsRequest {
  service: Service;
  /** Region used to pick the catalog entry and, failing that, the region table. */
  region?: string | undefined;
  /** An explicit endpoint; always wins over the catalog. */
  endpoint?: string | undefined;
  /** An explicit project id; wins over the discovered one. */
  projectId?: string | undefined;
  /** Accept an `http://` endpoint on another host than this machine; passed on to the client options. */
  allowInsecureHttp?: boolean | undefined;
}

export interface DiscoveredClientOptions<A extends AuthStrategy> {
  auth: A;
  projectId: string;
  endpoint: string;
  /** Present (true) only when the request asked for it. */
  allowInsecureHttp?: true;
}

/**
 * Asks the strategy which project and endpoints its credentials belong to (for token strategies
 * this is the token's project and catalog: no extra request) and returns options for
 * createVbsClient / createCbrClient.
 */
export async function clientOptionsFromCatalog<A extends AuthStrategy>(
  auth: A,
  request: CatalogOptionsRequest,
): Promise<DiscoveredClientOptions<A>> {
  const { service } = request;
  if (service !== "vbs" && service !== "cbr") throw new TypeError('clientOptionsFromCatalog: service must be "vbs" or "cbr"');
  const needsDiscovery = request.projectId === undefined || request.endpoint === undefined;
  const found = needsDiscovery && typeof auth.discover === "function" ? await auth.discover() : undefined;
  const projectId = request.projectId ?? found?.projectId;
  if (!projectId) {
    throw new TypeError(`${service}: the credentials do not name a project; pass \`projectId\` (or use a project-scoped token strategy)`);
  }
  const region = request.region ?? found?.region;
  const endpoint = request.endpoint ?? found?.endpoints[service] ?? resolveEndpoint(service, { region });
  return request.allowInsecureHttp === true ? { auth, projectId, endpoint, allowInsecureHttp: true } : { auth, projectId, endpoint };
}
