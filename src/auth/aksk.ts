// AK/SK request signing (auth.md §2): every attempt is signed afresh with a new X-Sdk-Date over
// the exact body bytes sent. There is no refresh: a 401 is never replayed, because more than
// five failed signatures in a row lock the access key for five minutes.
import { redactedInspect } from "../redact.js";
import { setHeaders } from "./headers.js";
import { authenticationErrorFrom, AuthenticationError } from "./errors.js";
import { resolveAuthUrl, type Fetch } from "./iam.js";
import { nonEmpty } from "./password.js";
import { createSigner, formatSdkDate, type Signer } from "./signer.js";
import { regionOfProject } from "./token-auth.js";
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
  if (options === null || typeof options !== "object") throw new TypeError(`${WHERE}: options are required`);
  nonEmpty(WHERE, "accessKey", options.accessKey, true);
  nonEmpty(WHERE, "secretKey", options.secretKey, true);
  nonEmpty(WHERE, "securityToken", options.securityToken);
  const credentials: AkSkCredentials = {
    accessKey: options.accessKey,
    secretKey: options.secretKey,
    securityToken: options.securityToken,
  };
  return createSigningAuth(options.securityToken ? "aksk-temporary" : "aksk", async () => credentials, options);
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
  /** Clock in ms since epoch; injectable so signatures can be asserted. */
  now?: (() => number) | undefined;
  /** Used only by discover()'s project lookup. */
  fetch?: Fetch | undefined;
  /** Replaces the default discover() (temporary credentials ask their token strategy). */
  discover?: (() => Promise<Discovery>) | undefined;
}

/** The signing strategy behind akskAuth and temporaryCredentialsAuth. */
export function createSigningAuth(type: string, credentials: () => Promise<AkSkCredentials>, options: SigningOptions): DiscoverableAuth {
  nonEmpty(WHERE, "projectId", options.projectId);
  nonEmpty(WHERE, "projectName", options.projectName);
  nonEmpty(WHERE, "domainId", options.domainId);
  const now = options.now ?? Date.now;
  // Preparing the key costs more than signing; keep the last signer (temporary keys rotate).
  let signerFor: { secret: string; signer: Signer } | undefined;
  const signer = (secret: string) => {
    if (signerFor?.secret !== secret) signerFor = { secret, signer: createSigner(secret) };
    return signerFor.signer;
  };

  // `bytes`: the body as the transport buffered it; without them, a copy of the request is read.
  const signedRequest = async (request: Request, extra: Record<string, string>, bytes?: ArrayBuffer): Promise<Request> => {
    const creds = await credentials();
    const url = new URL(request.url);
    const body = bytes ?? (request.body === null ? undefined : await request.clone().arrayBuffer());
    const toSign: Record<string, string> = { host: url.host, "x-sdk-date": formatSdkDate(new Date(now())), ...extra };
    if (creds.securityToken) toSign["x-security-token"] = creds.securityToken;
    const contentType = request.headers.get("content-type");
    if (body && body.byteLength > 0 && contentType !== null) toSign["content-type"] = contentType;
    const signature = signer(creds.secretKey)({ method: request.method, url, headers: toSign, body }, creds.accessKey);
    const { authorization } = signature instanceof Promise ? await signature : signature;
    const { host: _host, ...headers } = toSign; // fetch derives Host from the URL
    return setHeaders(request, { ...headers, Authorization: authorization });
  };

  const projectHeaders: Record<string, string> = {};
  if (options.projectId) projectHeaders["x-project-id"] = options.projectId;
  if (options.domainId) projectHeaders["x-domain-id"] = options.domainId;

  let lookup: Promise<Discovery> | undefined;
  const defaultDiscover = (): Promise<Discovery> => {
    const region = options.region ?? regionOfProject(options.projectName);
    if (options.projectId || !options.projectName) {
      return Promise.resolve({ projectId: options.projectId, projectName: options.projectName, region, endpoints: {} });
    }
    lookup ??= lookupProject(options.projectName, region).catch((error: unknown) => {
      lookup = undefined; // let the next call try again
      throw error;
    });
    return lookup;
  };

  const lookupProject = async (name: string, region: string | undefined): Promise<Discovery> => {
    const authUrl = resolveAuthUrl(`${WHERE} (project lookup)`, options.authUrl, region);
    const fetchFn = options.fetch ?? ((r: Request) => globalThis.fetch(r));
    const request = new Request(`${authUrl}/projects?name=${encodeURIComponent(name)}`, {
      headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(30_000),
    });
    const globalHeaders: Record<string, string> = options.domainId ? { "x-domain-id": options.domainId } : {};
    let response: Response;
    try {
      response = await fetchFn(await signedRequest(request, globalHeaders));
    } catch (cause) {
      throw new AuthenticationError(`IAM project lookup at ${new URL(authUrl).host} failed`, { cause });
    }
    if (!response.ok) throw await authenticationErrorFrom(response, "IAM project lookup (AK/SK)");
    const json = (await response.json().catch(() => undefined)) as { projects?: Array<{ id?: unknown; name?: unknown }> } | undefined;
    const project = json?.projects?.find((p) => p?.name === name) ?? json?.projects?.[0];
    if (typeof project?.id !== "string") {
      throw new AuthenticationError(`IAM project lookup: no project named ${JSON.stringify(name)} is visible to this access key`, { status: response.status });
    }
    return { projectId: project.id, projectName: name, region, endpoints: {} };
  };

  return redactedInspect({
    type,
    authenticate: (request: Request, body?: ArrayBuffer) => signedRequest(request, projectHeaders, body),
    async discover(): Promise<Discovery> {
      const found = await (options.discover ?? defaultDiscover)();
      // Later requests carry the discovered project, as if it had been configured.
      if (found.projectId) projectHeaders["x-project-id"] ??= found.projectId;
      return found;
    },
  });
}
