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
  /** Aborts when the caller's signal aborts (its reason) or the deadline passes (a TimeoutError). */
  readonly signal: AbortSignal | undefined;
  /**
   * Clock time (ms since the epoch) at which the call gives up; Infinity for none. The steps
   * decide by it (is there time for another attempt?); the signal's timer enforces it.
   */
  readonly deadline: number;
  readonly clock: Clock;
  /** Sends the call's requests; IAM requests made for the call take it too, so a proxy carries both. */
  readonly sender: Sender | undefined;
}

/** Milliseconds left before the call's deadline (0 when it has passed). */
export function timeLeft(context: CallContext): number {
  return Math.max(0, context.deadline - context.clock.now());
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
