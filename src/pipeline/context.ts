// Where the request pipeline and the authentication strategies meet, and nothing else: the call
// context made once per call (its deadline, its signal, its clock, its sender), and the entries
// through which a strategy of this package adds credentials and renews them within that call.
// The strategies import this module, never the pipeline's steps; the steps import this module,
// never a strategy.
import type { Clock } from "../clock.js";
import type { MaybePromise } from "../maybe-promise.js";
import type { Sender } from "./senders/types.js";

/** One call: made once and passed down to every step, every credential wait and every IAM request made for it. */
export interface CallContext {
  /**
   * Aborts when the caller's signal aborts (its reason), and below the attempt step also when
   * the attempt's time is up (a TimeoutError, never later than the deadline).
   */
  readonly signal: AbortSignal | undefined;
  /**
   * Clock time (ms since the epoch) at which the call gives up; Infinity for none. Every wait is
   * bounded by it: an attempt's timeout never runs past it, and no wait between attempts starts
   * that would.
   */
  readonly deadline: number;
  readonly clock: Clock;
  /** Sends the call's requests; IAM requests made for the call take it too, so a proxy carries both. */
  readonly sender: Sender | undefined;
  /**
   * Below the attempt step, while nothing has read `signal` yet: the caller's signal and the
   * milliseconds left, for a sender that keeps the timeout itself (then no signal is made).
   */
  untimed?(): { signal: AbortSignal | undefined; timeoutMs: number } | undefined;
}

/** Milliseconds left before the call's deadline (0 when it has passed). */
export function timeLeft(context: CallContext): number {
  return Math.max(0, context.deadline - context.clock.now());
}

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

/** A request as the pipeline holds it: credentials go into `headers`. */
export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
}

/** The pipeline's entry into the strategies of this package (a strategy without it gets a Request). */
export const addCredentials: unique symbol = Symbol("otc-backup-api.addCredentials") as never;

/** The pipeline's entry for renewing credentials after a 401, within the call. */
export const renewCredentials: unique symbol = Symbol("otc-backup-api.renewCredentials") as never;

export interface CredentialAdder {
  /** Sets the credentials on `request.headers`; a promise when they are not at hand (then it honours `context`). */
  [addCredentials]?(request: OutgoingRequest, body: Uint8Array | undefined, context?: CallContext): MaybePromise<void>;
  /** Like `refresh`, waiting no longer than the call allows. */
  [renewCredentials]?(failed: OutgoingRequest, context?: CallContext): Promise<boolean>;
}

/**
 * A credential header could not be built: a strategy produced a value that no request can carry
 * (a line break, NUL, or a character beyond Latin-1). A usage error like a TypeError, raised before
 * anything is sent; never classified as a network error and never retried. The message names the
 * strategy and the header, never the value.
 */
export class InvalidHeaderError extends Error {
  override readonly name = "InvalidHeaderError";
  /** The header that could not be set, when known. */
  declare readonly header: string | undefined;

  constructor(strategy: string, header: string | undefined) {
    super(
      `${strategy} auth: ${header ? `the ${header} header` : "a header the strategy set"} cannot be sent: its value contains a line break, NUL or a character beyond Latin-1`,
    );
    this.header = header;
  }
}
