// AK/SK request signing: every attempt is signed afresh with a new X-Sdk-Date over the exact body
// bytes sent. There is no refresh: a 401 is never replayed, because more than five failed
// signatures in a row lock the access key for five minutes.
import { systemClock, type Clock } from "../clock.js";
import { regionOfProject } from "../endpoints.js";
import { andThen, type MaybePromise } from "../maybe-promise.js";
import { redactedInspect } from "../redact.js";
import type { CallContext } from "../pipeline/context.js";
import type { FetchLike } from "../pipeline/senders/fetch.js";
import { AuthenticationError, authenticationErrorFrom } from "./errors.js";
import { credentialStrategy, type OutgoingRequest } from "./headers.js";
import type { Bytes } from "./crypto.js";
import { callIam, resolveAuthUrl } from "./iam.js";
import { checkClock, isHeaderSafe, requireOptions, stringOption } from "./options.js";
import { rememberRejection } from "./rejections.js";
import { createSigner, isEmptyBody, sdkDateAt, type Signature, type Signer } from "./signer.js";
import type { DiscoverableAuth, Discovery } from "./types.js";

/** An access key pair; `securityToken` marks temporary credentials. */
export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string | undefined;
}

export interface AkSkAuthOptions extends Omit<SigningOptions, "discover"> {
  accessKey: string;
  secretKey: string;
  /** The security token of temporary credentials; sent (and signed) as X-Security-Token. */
  securityToken?: string | undefined;
}

const WHERE = "akskAuth";

/** Signs every request with a permanent or temporary access key pair. */
export function akskAuth(options: AkSkAuthOptions): DiscoverableAuth {
  requireOptions(WHERE, options);
  stringOption(WHERE, "accessKey", options.accessKey, "header", true);
  stringOption(WHERE, "secretKey", options.secretKey, "text", true);
  stringOption(WHERE, "securityToken", options.securityToken, "header");
  const credentials: AkSkCredentials = {
    accessKey: options.accessKey,
    secretKey: options.secretKey,
    securityToken: options.securityToken,
  };
  return createSigningAuth(WHERE, options.securityToken ? "aksk-temporary" : "aksk", () => credentials, options);
}

export interface SigningOptions {
  /** Sent (and signed) as X-Project-Id; needed for sub-projects, and by clientOptionsFromCatalog. */
  projectId?: string | undefined;
  /** Without `projectId`: discover() looks this name up through IAM (a signed GET /v3/projects). */
  projectName?: string | undefined;
  /** Sent (and signed) as X-Domain-Id. */
  domainId?: string | undefined;
  /** Region; with no `authUrl` it also gives the IAM URL for the project lookup. */
  region?: string | undefined;
  authUrl?: string | undefined;
  /** The clock X-Sdk-Date is taken from (default: the system clock); injectable so signatures can be asserted. */
  clock?: Clock | undefined;
  /** Used only by discover()'s project lookup. */
  fetch?: FetchLike | undefined;
  /** Accept an `http://` authUrl on another host than this machine, for the project lookup. */
  allowInsecureHttp?: boolean | undefined;
  /** Replaces the default discover() (temporary credentials ask their token strategy). */
  discover?: (() => Promise<Discovery>) | undefined;
}

type SignedHeaders = MaybePromise<Record<string, string>>;

/**
 * The signing strategy behind akskAuth and temporaryCredentialsAuth; `where` names the one the
 * user called, for error messages. `credentials` gives them at once (a fixed key pair) or as a
 * promise (temporary ones, which may have to be fetched).
 */
export function createSigningAuth(
  where: string,
  type: string,
  credentials: (context?: CallContext) => MaybePromise<AkSkCredentials>,
  options: SigningOptions,
): DiscoverableAuth {
  stringOption(where, "projectId", options.projectId, "header");
  stringOption(where, "projectName", options.projectName, "text");
  stringOption(where, "domainId", options.domainId, "header");
  checkClock(where, options.clock);
  const clock = options.clock ?? systemClock;
  const lookupAuthUrl = options.authUrl ? resolveAuthUrl(where, options.authUrl, undefined, options.allowInsecureHttp) : undefined;
  // Preparing the key costs more than signing; keep the last signer (temporary keys rotate).
  let signerFor: { secret: string; signer: Signer } | undefined;
  const signer = (secret: string) => {
    if (signerFor?.secret !== secret) signerFor = { secret, signer: createSigner(secret) };
    return signerFor.signer;
  };

  // The signed headers of one request; `body` is exactly the bytes sent. Synchronous when the
  // credentials are at hand and the hashing is (node:crypto): no promise on the call's path.
  const signWith = (
    creds: AkSkCredentials,
    request: OutgoingRequest,
    extra: Record<string, string>,
    body: Bytes | undefined,
  ): SignedHeaders => {
    const url = new URL(request.url);
    const toSign: Record<string, string> = { host: url.host, "x-sdk-date": sdkDateAt(clock.now()), ...extra };
    if (creds.securityToken) toSign["x-security-token"] = creds.securityToken;
    if (!isEmptyBody(body)) {
      const contentType = request.headers.get("content-type");
      if (contentType !== null) toSign["content-type"] = contentType;
    }
    const signature = signer(creds.secretKey)({ method: request.method, url, headers: toSign, body }, creds.accessKey);
    const withAuthorization = ({ authorization }: Signature) => {
      const { host: _host, ...headers } = toSign; // fetch derives Host from the URL
      headers.Authorization = authorization;
      return headers;
    };
    return andThen(signature, withAuthorization);
  };
  const signedHeaders = (
    request: OutgoingRequest,
    extra: Record<string, string>,
    body: Bytes | undefined,
    context?: CallContext,
  ): SignedHeaders => {
    return andThen(credentials(context), (creds) => signWith(creds, request, extra, body));
  };

  const projectHeaders: Record<string, string> = {};
  if (options.projectId) projectHeaders["x-project-id"] = options.projectId;
  if (options.domainId) projectHeaders["x-domain-id"] = options.domainId;

  // The lookup signs with X-Domain-Id only: the project is what it is looking for.
  const lookupHeaders = options.domainId ? { "x-domain-id": options.domainId } : {};
  const lookupSigner = credentialStrategy({ type }, (request, body) => signedHeaders(request, lookupHeaders, body), true);
  const lookupProject = rememberRejection(async (): Promise<Discovery> => {
    const name = options.projectName!;
    const region = options.region ?? regionOfProject(name);
    const authUrl = lookupAuthUrl ?? resolveAuthUrl(`${where} (project lookup)`, undefined, region);
    const response = await callIam("IAM project lookup (AK/SK)", `${authUrl}/projects?name=${encodeURIComponent(name)}`, undefined, {
      fetch: options.fetch,
      auth: lookupSigner,
    });
    if (!response.ok) throw await authenticationErrorFrom(response, "IAM project lookup (AK/SK)");
    const json = (await response.json().catch(() => undefined)) as { projects?: Array<{ id?: unknown; name?: unknown }> } | undefined;
    // Only the exact name: IAM filters by it, but another project must never stand in for it.
    const project = Array.isArray(json?.projects) ? json.projects.find((p) => p?.name === name) : undefined;
    if (typeof project?.id !== "string") {
      throw new AuthenticationError(
        `${where}: IAM project lookup found no project with the configured \`projectName\` visible to this access key`,
        { status: response.status },
      );
    }
    return { projectId: project.id, projectName: name, region, endpoints: {} };
  });

  let lookup: Promise<Discovery> | undefined;
  const defaultDiscover = (): Promise<Discovery> => {
    if (options.projectId || !options.projectName) {
      const region = options.region ?? regionOfProject(options.projectName);
      return Promise.resolve({ projectId: options.projectId, projectName: options.projectName, region, endpoints: {} });
    }
    lookup ??= lookupProject().catch((error: unknown) => {
      lookup = undefined; // let the next call try again (unless IAM rejected the key: rememberRejection)
      throw error;
    });
    return lookup;
  };

  const strategy = {
    type,
    async discover(): Promise<Discovery> {
      const found = await (options.discover ?? defaultDiscover)();
      if (found.projectId !== undefined && !isHeaderSafe(found.projectId)) {
        throw new AuthenticationError(`${where}: IAM reported a project id that cannot be sent as X-Project-Id`);
      }
      // Later requests carry the discovered project, as if it had been configured.
      if (found.projectId) projectHeaders["x-project-id"] ??= found.projectId;
      return found;
    },
  };
  return redactedInspect(
    credentialStrategy(strategy, (request, body, context) => signedHeaders(request, projectHeaders, body, context), true),
  );
}
