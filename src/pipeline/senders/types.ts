// The contract every sender keeps: the last step of the request pipeline, which puts one
// request on the wire and hands back the answer. Two senders implement it: fetch (browsers, Deno,
// Bun, and Node by choice) and node:http/node:https (Node, picked by the package's `node` import
// condition). One contract suite runs against both, so the steps above never learn which one ran.

/** One request, with its credentials already added. */
export interface SendRequest {
  /** Absolute URL. */
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** The exact bytes to send (the signature covers them); undefined for no body. */
  readonly body: Uint8Array | undefined;
  /** Aborts every stage (connect, headers, body); the sender then rejects with `signal.reason`. */
  readonly signal: AbortSignal | undefined;
  /**
   * Given only to a sender that says it keeps timeouts itself (`keepsTimeouts`): after this many
   * milliseconds the exchange fails as an AbortSignal.timeout of that length would make it fail
   * (a TimeoutError, the connection dropped), at any stage up to the end of the body. Saves an
   * AbortSignal per attempt.
   */
  readonly timeoutMs?: number | undefined;
  /** A call's other fetch init options (`cache`, `credentials`…): the fetch sender passes them on, the node sender has no use for them. */
  readonly fetchInit?: Readonly<Record<string, unknown>> | undefined;
}

/** The answer: status and headers now, the body when asked for. Redirects are never followed: a 3xx comes back as it is. */
export interface SentResponse {
  /** The status; 0 for a browser's opaque redirect (fetch sender), whose target is not disclosed. */
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /**
   * Where the answer came from when the sender followed redirects anyway (a fetch of your own
   * that ignores `redirect: "manual"`); undefined otherwise. The steps above refuse such an answer.
   */
  readonly redirectedTo?: string | undefined;
  /**
   * Reads the whole body, decoded (gzip, deflate, br). Rejects with a BodyLimitError as soon as
   * more than `limit` decoded bytes arrived (reading stops, the connection is dropped), with the
   * signal's reason on abort, and with a SendError (stage "body") when the body breaks off.
   */
  bytes(limit: number): Promise<Uint8Array>;
  /** The decoded body as a web stream, for callers who stream it themselves; null when there is none. */
  stream(): ReadableStream<Uint8Array> | null;
  /** Drops the body unread, keeping the connection for reuse where the sender can. */
  discard(): Promise<void>;
}

export type Sender = (request: SendRequest) => Promise<SentResponse>;

/** Set to true on a sender that honours `SendRequest.timeoutMs`; any other sender gets a signal that aborts at the timeout. */
export const keepsTimeouts: unique symbol = Symbol.for("otc-backup-api.keepsTimeouts") as never;

/** True when `sender` keeps `timeoutMs` itself. */
export function sendsWithTimeout(sender: Sender): boolean {
  return (sender as { [keepsTimeouts]?: boolean })[keepsTimeouts] === true;
}

/** Where an exchange failed. "dns" and "connect" mean the request provably never reached the server. */
export type FailureStage = "dns" | "connect" | "tls" | "send" | "headers" | "body";

/** A failure below HTTP, classified the same way by every sender. */
export class SendError extends Error {
  override readonly name = "SendError";
  constructor(
    readonly stage: FailureStage,
    /** The system's code where there is one (ECONNREFUSED, ECONNRESET, ENOTFOUND, CERT_HAS_EXPIRED…). */
    readonly code: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  /** True when the request never left this machine: a POST may then be sent again. */
  get neverSent(): boolean {
    return this.stage === "dns" || this.stage === "connect";
  }
}

/** The decoded body grew past the caller's limit. */
export class BodyLimitError extends Error {
  override readonly name = "BodyLimitError";
  constructor(readonly limit: number) {
    super(`the response body is larger than ${limit} bytes (decoded)`);
  }
}
