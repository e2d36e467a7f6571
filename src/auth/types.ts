// The one shape every authentication strategy has, so that each works with either client.

export interface AuthStrategy {
  /** What kind of credentials these are (for diagnostics; never the credentials themselves). */
  readonly type: string;
  /**
   * Returns the request to send, carrying credentials. Called once per attempt, so signatures
   * and tokens are always fresh. Must not consume `request`'s body (clone it to read it).
   */
  authenticate(request: Request): Promise<Request>;
  /**
   * Called when a request answered 401. Returns true when the credentials were renewed and the
   * request may be replayed once; strategies that cannot renew (static tokens, AK/SK, where a
   * retry only counts towards the access key's lock-out) return false or omit it.
   */
  refresh?(failed: Request): Promise<boolean>;
}
