// The one shape every authentication strategy has, so that each works with either client.

export interface AuthStrategy {
  /** What kind of credentials these are (for diagnostics; never the credentials themselves). */
  readonly type: string;
  /**
   * Returns the request to send, carrying credentials. The client calls it once per attempt, so
   * signatures and tokens are always fresh, with a Request of the attempt's own (with its body):
   * it may set headers on `request` and return it; it must not consume the body (clone to read
   * it). `body`, when given, holds exactly the bytes of the request's body, which are the bytes
   * sent, so a strategy that needs them need not read the request. The client sends the URL,
   * method and headers of the returned request with those bytes. (The strategies of this
   * package add their headers without a Request being built for them.)
   */
  authenticate(request: Request, body?: ArrayBuffer): Promise<Request>;
  /**
   * Called when a request answered 401. Returns true when the credentials were renewed and the
   * request may be replayed once; strategies that cannot renew (static tokens, AK/SK, where a
   * retry only counts towards the access key's lock-out) return false or omit it.
   */
  refresh?(failed: Request): Promise<boolean>;
  /**
   * Optional: the project and service endpoints these credentials belong to (a token's project
   * and catalog). Used by clientOptionsFromCatalog.
   */
  discover?(): Promise<Discovery>;
}

/** What a strategy learned about the account: the project and the services' base URLs. */
export interface Discovery {
  /** The project the credentials are scoped to (a token's project, or AK/SK's configured one). */
  projectId?: string | undefined;
  projectName?: string | undefined;
  /** The region, from the configuration or the project name (`eu-de_sub` → `eu-de`). */
  region?: string | undefined;
  /** Base URLs from IAM's catalog (origin plus any path prefix, without `/vN/<project>`). */
  endpoints: { vbs?: string | undefined; cbr?: string | undefined };
}

/** Strategies that can tell which project and endpoints their credentials belong to. */
export interface DiscoverableAuth extends AuthStrategy {
  discover(): Promise<Discovery>;
}

/** Token strategies (IAM password, agency): a cached, renewable project-scoped token. */
export interface TokenAuth extends DiscoverableAuth {
  refresh(failed: Request): Promise<boolean>;
  /** The current token, obtaining or renewing it when needed. Handle it like a password. */
  getToken(): Promise<string>;
  /** Forgets the cached token; the next request obtains a new one. */
  invalidate(): void;
}
