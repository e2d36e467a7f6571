// The one classification of failures another attempt may not meet, used by the retry step and
// the waiters: which errors are transient, which prove the request never left this machine
// (so that even a POST may be sent again), and which statuses are worth another try.
import { isOtcApiError } from "../errors.js";
import { SendError } from "./senders/types.js";
import { isTimeout } from "../timers.js";

/** Answers worth another try: rate limited, or a gateway that could not reach the service. */
export const RETRYABLE_STATUSES: readonly number[] = [429, 502, 503, 504];

/** Error codes meaning the request never left this machine or never reached a server. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** The kinds of OtcApiError that another attempt may not meet. */
const TRANSIENT_KINDS = new Set(["network", "timeout", "incomplete-response", "malformed-response"]);

/** What a sender or a fetch rejects with when a request fails below HTTP (network, decoding) or times out. */
export function isTransportFailure(error: unknown): boolean {
  return error instanceof SendError || error instanceof TypeError || isTimeout(error);
}

/**
 * A failure that another attempt may not meet: no answer, no complete answer in time, a body that
 * broke off or did not decode. Error statuses, redirects and bodies over the size cap are not.
 */
export function isTransient(error: unknown): boolean {
  return isOtcApiError(error) ? TRANSIENT_KINDS.has(error.kind) && isTransportFailure(error.cause) : isTransportFailure(error);
}

/**
 * True only when the error proves the request never reached a server: the connection was
 * refused or the host name did not resolve (a SendError of stage "dns" or "connect", or such a
 * code anywhere in the causes, possibly inside an AggregateError). Browsers do not say why a
 * fetch failed, so there a POST is never retried.
 */
export function neverSent(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    if (current instanceof SendError && current.neverSent) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NEVER_SENT_CODES.has(code)) return true;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => neverSent(e))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
