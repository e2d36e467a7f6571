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
import { booleanOption, functionOption, numberOption } from "./options/check.js";
import { createTransport } from "./pipeline/client-pipeline.js";
import { defaultSender } from "./pipeline/senders/default.js";
import { fetchSender, type FetchLike } from "./pipeline/senders/fetch.js";
import type { Sender } from "./pipeline/senders/types.js";
import type { ClientEventListener } from "./pipeline/steps/observe.js";
import type { RetryOptions } from "./pipeline/steps/retry.js";

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
   * redirects). Shorthand for `sender: fetchSender(fetch)`; the IAM requests of this package's
   * strategies take it too.
   */
  fetch?: FetchLike;
  /**
   * Puts each attempt on the wire (and the IAM requests of this package's strategies). Default:
   * a node:http(s) sender with a keep-alive agent on Node (`nodeSender` from
   * `otc-backup-api/node`), `fetch` everywhere else. `fetchSender()` uses the global fetch on Node
   * too, e.g. for tools that intercept it. Not together with `fetch`.
   */
  sender?: Sender;
  /**
   * The deadline of one call in milliseconds, everything included: getting credentials (an IAM
   * login), every attempt with its body, and the waits between attempts (default 120 000;
   * Infinity for none). A call's own `timeoutMs` overrides it; its `signal` ends it earlier.
   */
  timeoutMs?: number;
  /**
   * The timeout of one attempt in milliseconds: credentials, headers and the whole body (default
   * 30 000; Infinity for none). Shorter than `timeoutMs`, so a timed-out attempt is retried
   * within the call's deadline.
   */
  attemptTimeoutMs?: number;
  /**
   * The largest success body a call reads, in decoded bytes (default 64 MiB). A larger one
   * fails the call with an OtcApiError of kind `"too-large"`. Error bodies are kept up to 64 KiB.
   */
  maxResponseBytes?: number;
  /**
   * Retry policy (see RetryOptions); `false` sends every request once. Default: up to 3 attempts
   * for GET/HEAD/PUT/DELETE on network errors, timeouts, 429, 502, 503 and 504; a POST only
   * when it provably never reached the server. All within the call's `timeoutMs`.
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
export type OtcClient<Paths extends {}, S extends Service = Service, Ops extends OperationTable = OperationTable, ById = {}> = Client<
  WithoutProjectId<Paths>
> &
  WithClientMeta<S, Ops> &
  WithPaths<WithoutProjectId<Paths>> &
  CallsByName<WithoutProjectId<Paths>, ById>;

const PROJECT_ID_RE = /^[A-Za-z0-9_-]+$/;
/** The deadline of one call, everything included. */
export const DEFAULT_TIMEOUT_MS = 120_000;
/** One attempt: well under the call's deadline, so that a timed-out attempt is retried. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
/** The largest success body read (decoded); CBR's and VBS's largest pages are far below it. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

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
  functionOption(service, "onEvent", options.onEvent);
  const baseUrl = resolveEndpoint(service, options);
  const fetch = functionOption<FetchLike>(service, "fetch", options.fetch);
  const sender = functionOption<Sender>(service, "sender", options.sender);
  if (fetch && sender) throw new TypeError(`${service}: pass \`fetch\` or \`sender\`, not both`);
  booleanOption(service, "throwOnError", options.throwOnError);
  // Checked by the retry step as it is built.
  const retry = options.retry ?? {};
  const transport = createTransport({
    sender: sender ?? (fetch ? fetchSender(fetch) : defaultSender),
    auth,
    timeoutMs: numberOption(service, "timeoutMs", options.timeoutMs, { min: 1, infinity: true }) ?? DEFAULT_TIMEOUT_MS,
    attemptTimeoutMs:
      numberOption(service, "attemptTimeoutMs", options.attemptTimeoutMs, { min: 1, infinity: true }) ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
    maxResponseBytes:
      numberOption(service, "maxResponseBytes", options.maxResponseBytes, { min: 1, integer: true }) ?? DEFAULT_MAX_RESPONSE_BYTES,
    retry,
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
