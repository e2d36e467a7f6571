// One poll: a GET of the polled resource, bounded by what is left of the wait, and whether a
// failed poll is worth another (a passing failure) or ends the wait at once.
import { discard } from "../pipeline/web-response.js";
import { unwrapResult } from "../call-results.js";
import { isOtcApiError } from "../errors.js";
import { isTransient, RETRYABLE_STATUSES } from "../pipeline/transient.js";
import { scopedSignal } from "../timers.js";
import type { Target } from "./target.js";

/** The poll found the resource gone (a 404 where that means done). */
export const GONE: unique symbol = Symbol("gone");
/** The wait's deadline ended the poll. */
export const DEADLINE: unique symbol = Symbol("wait deadline");

/**
 * A poll failure worth polling again: no (complete) answer in time, or 429, 502, 503, 504. A bare
 * TypeError without a cause is the client refusing the request before sending it (its path
 * check, a header value): every poll would fail the same way, so it ends the wait at once.
 * (fetch's own network failure is a TypeError with a cause, and this package's clients wrap it
 * in an OtcApiError.)
 */
export function pollAgain(error: unknown): boolean {
  if (isOtcApiError(error)) return error.kind === "http" ? RETRYABLE_STATUSES.includes(error.status) : isTransient(error);
  if (error instanceof TypeError && error.cause === undefined) return false;
  return isTransient(error);
}

/**
 * One poll, aborted when the wait's deadline passes (`remainingMs` from now) or when the caller's
 * signal aborts: the pipeline's scoped signal (one timer, clamped to what timers can hold, and one
 * shared listener on the caller's signal however many waits follow it).
 */
export async function pollWithin(client: object, target: Target, remainingMs: number, signal: AbortSignal | undefined): Promise<unknown> {
  if (remainingMs <= 0) throw DEADLINE;
  const scoped = scopedSignal(signal, remainingMs);
  try {
    return await pollOnce(client, target, scoped.signal);
  } catch (error) {
    if (scoped.signal?.aborted && !signal?.aborted) throw DEADLINE;
    throw error;
  } finally {
    scoped.dispose();
  }
}

async function pollOnce(client: object, target: Target, signal: AbortSignal | undefined): Promise<unknown> {
  const get = (client as { GET?: unknown }).GET;
  if (typeof get !== "function") throw new TypeError("wait: the client has no GET method");
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    result = await get(target.path, { params: { path: target.pathParams }, throwOnError: false, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (target.gone && isOtcApiError(error) && error.status === 404) return GONE;
    throw error;
  }
  if (target.gone && result.response.status === 404) {
    await discard(result.response);
    return GONE;
  }
  return unwrapResult(result, { method: "GET", url: result.response.url, operationId: target.operationId });
}
