// createVbsClient / createCbrClient: typed openapi-fetch clients bound to one endpoint, one
// project and one authentication strategy.
import createClient, { type Client } from "openapi-fetch";
import type { paths as VbsPaths } from "../generated/vbs.js";
import type { paths as CbrPaths } from "../generated/cbr.js";
import type { AuthStrategy } from "./auth/types.js";
import { resolveEndpoint, type Service } from "./endpoints.js";
import { safePathSerializer, scopeToProject, type WithoutProjectId } from "./project-scoped.js";
import { createTransport, type AttemptRunner, type FetchLike } from "./transport.js";

export interface ClientOptions {
  /** Open Telekom Cloud region (`eu-de`, `eu-nl`); ignored when `endpoint` is given. */
  region?: string;
  /** Base URL of the service (a proxy, a mock, or a host from the IAM catalog). Wins over `region`. */
  endpoint?: string;
  /** The project (tenant) every call is made in. */
  projectId: string;
  /** How requests are authenticated: staticTokenAuth, passwordAuth, akskAuth… */
  auth: AuthStrategy;
  /** A fetch implementation; defaults to the global one. */
  fetch?: FetchLike;
  /** Per-attempt timeout in milliseconds (default 60 000; 0 disables it). */
  timeoutMs?: number;
  /** Retry policy for the transport; see retry.ts. */
  runAttempts?: AttemptRunner;
}

export type VbsClient = Client<WithoutProjectId<VbsPaths>>;
export type CbrClient = Client<WithoutProjectId<CbrPaths>>;

const PROJECT_ID_RE = /^[A-Za-z0-9_-]+$/;

export function createVbsClient(options: ClientOptions): VbsClient {
  return createServiceClient<VbsPaths>("vbs", options);
}

export function createCbrClient(options: ClientOptions): CbrClient {
  return createServiceClient<CbrPaths>("cbr", options);
}

function createServiceClient<Paths extends {}>(service: Service, options: ClientOptions): Client<WithoutProjectId<Paths>> {
  if (options === null || typeof options !== "object") throw new TypeError(`${service}: options are required`);
  const { projectId, auth } = options;
  if (typeof projectId !== "string" || projectId.trim() === "") {
    throw new TypeError(`${service}: projectId must be a non-empty string`);
  }
  if (!PROJECT_ID_RE.test(projectId)) {
    throw new TypeError(`${service}: projectId may contain only letters, digits, "_" and "-"`);
  }
  if (!auth || typeof auth.authenticate !== "function") {
    throw new TypeError(`${service}: auth must be an authentication strategy (e.g. staticTokenAuth(token))`);
  }
  const baseUrl = resolveEndpoint(service, options);
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const transport = createTransport({
    fetch: baseFetch,
    auth,
    timeoutMs: options.timeoutMs ?? 60_000,
    runAttempts: options.runAttempts,
  });
  const client = createClient<Paths>({ baseUrl, fetch: transport, pathSerializer: safePathSerializer });
  return scopeToProject(client, projectId);
}
