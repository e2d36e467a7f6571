// What createVbsClient and createCbrClient share: option checks, the transport (auth, retries,
// timeouts), the openapi-fetch client, project scoping, error handling, and the metadata that
// paginate and the waiters read from the client (its service and operationIds). Kept apart from
// clients.ts so that it does not depend on the generated tables.
import createClient, { type Client } from "openapi-fetch";
import { requireOptions } from "./auth/options.js";
import type { AuthStrategy } from "./auth/types.js";
import { resolveEndpoint, type Service } from "./endpoints.js";
import { addCallsByName, type CallsByName } from "./by-name.js";
import { clientMeta, type ClientMeta, type OperationIds, type OperationTable, type WithClientMeta } from "./operations.js";
import { wrapCalls } from "./call-results.js";
import type { WithPaths } from "./client-types.js";
import { safePathSerializer } from "./path-safety.js";
import type { WithoutProjectId } from "./project-id.js";
import { retryPolicy, type RetryOptions } from "./retry.js";
import { createTransport, type FetchLike } from "./transport.js";
import type { ClientEventListener } from "./client-events.js";

export interface ClientOptions {
  /** Open Telekom Cloud region (`eu-de`, `eu-nl`); ignored when `endpoint` is given. */
  region?: string;
  /** Base URL of the service (a proxy, a mock, or a host from the IAM catalog). Wins over `region`. https, or http to this machine. */
  endpoint?: string;
  /** Accept an `http://` endpoint on another host than this machine: credentials then travel unencrypted. Default false. */
  allowInsecureHttp?: boolean;
  /** The project (tenant) every call is made in. */
  projectId: string;
  /** How requests are authenticated: staticTokenAuth, passwordAuth, akskAuth… */
  auth: AuthStrategy;
  /**
   * Sends each attempt: receives a Request with the credentials added (never follow its
   * redirects). Without it, the global fetch is called with the URL and an init.
   */
  fetch?: FetchLike;
  /** Per-attempt timeout in milliseconds (default 60 000; 0 disables it). Composed with each call's `signal`. */
  timeoutMs?: number;
  /**
   * Retry policy (see RetryOptions); `false` sends every request once. Default: up to 3 attempts
   * for GET/HEAD/PUT/DELETE on network errors, timeouts, 429, 502, 503 and 504; a POST only
   * when it provably never reached the server.
   */
  retry?: RetryOptions | false;
  /**
   * Calls reject with an OtcApiError instead of resolving to `{ error, response }`. Can also be
   * set per call: `client.GET(path, { throwOnError: true })`. Default false.
   */
  throwOnError?: boolean;
  /**
   * Told about every attempt of every request: method, redacted URL, operationId, status or
   * failure kind, duration, attempt number, whether it is retried, request id; never a header
   * value, a body or a credential. For logging and debugging; unset, it costs nothing.
   */
  onEvent?: ClientEventListener | undefined;
}

/**
 * A typed openapi-fetch client bound to one project, carrying its operation metadata (and, for the
 * type checker, its paths), with a method per operation of `ById`, named by its operationId.
 */
export type OtcClient<Paths extends {}, S extends Service = Service, Ops extends OperationTable = OperationTable, ById = {}> = Client<WithoutProjectId<Paths>> &
  WithClientMeta<S, Ops> &
  WithPaths<WithoutProjectId<Paths>> &
  CallsByName<WithoutProjectId<Paths>, ById>;

const PROJECT_ID_RE = /^[A-Za-z0-9_-]+$/;

/**
 * A client of `service` with its operationIds; `own` gives a client made from hand-written tables
 * its own x-pagination and x-async (the helpers otherwise use those of its service).
 */
export function createServiceClient<Paths extends {}, S extends Service, Ops extends OperationTable, ById = {}>(
  service: S,
  options: ClientOptions,
  operations: OperationIds,
  own: Pick<ClientMeta, "pagination" | "async"> = {},
): OtcClient<Paths, S, Ops, ById> {
  requireOptions(service, options);
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
  if (options.onEvent !== undefined && typeof options.onEvent !== "function") throw new TypeError(`${service}: onEvent must be a function`);
  const baseUrl = resolveEndpoint(service, options);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${service}: fetch must be a function`);
  const transport = createTransport({
    fetch: options.fetch,
    auth,
    timeoutMs: options.timeoutMs ?? 60_000,
    runAttempts: options.retry === false ? undefined : retryPolicy(options.retry),
    onEvent: options.onEvent,
    operations,
  });
  // Requests never follow redirects (redirects.ts); the transport enforces it on every attempt.
  const client = createClient<Paths>({ baseUrl, fetch: transport, pathSerializer: safePathSerializer, redirect: "manual" });
  const scoped = wrapCalls(client, projectId, { operations, throwOnError: options.throwOnError, fetch: transport });
  addCallsByName(scoped as unknown as Record<string, unknown>, operations);
  const meta: ClientMeta<S> = Object.freeze({ service, operations, ...own });
  Object.defineProperty(scoped, clientMeta, { value: meta, enumerable: false });
  return scoped as OtcClient<Paths, S, Ops, ById>;
}
