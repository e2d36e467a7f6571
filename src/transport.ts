// The fetch that openapi-fetch calls: it turns one logical request into attempts, each with a
// fresh copy of the body, fresh credentials (tokens or signatures) and its own timeout, and
// replays a 401 once when the credentials could be renewed.
import type { AuthStrategy } from "./auth/types.js";

export type FetchLike = (input: Request) => Promise<Response>;

/** One attempt of a request: `signal` aborts it (timeout or caller). */
export type Attempt = (signal: AbortSignal | undefined) => Promise<Response>;

/** Runs attempts until one may be returned; see retry.ts. */
export type AttemptRunner = (attempt: Attempt, request: RequestFacts) => Promise<Response>;

/** What a retry policy may know about the request (never its credentials). */
export interface RequestFacts {
  readonly method: string;
  readonly url: string;
  readonly signal: AbortSignal | undefined;
}

export interface TransportOptions {
  fetch: FetchLike;
  auth: AuthStrategy;
  /** Per-attempt timeout in milliseconds; 0 or undefined disables it. */
  timeoutMs?: number | undefined;
  /** Decides whether and when to try again; default: one attempt. */
  runAttempts?: AttemptRunner | undefined;
}

export function createTransport(options: TransportOptions): FetchLike {
  const { fetch: baseFetch, auth, timeoutMs } = options;
  const runAttempts: AttemptRunner = options.runAttempts ?? ((attempt, facts) => attempt(facts.signal));

  return async function transport(request: Request): Promise<Response> {
    // Buffer the body once so that every attempt (and the signer) sees exactly the same bytes.
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const facts: RequestFacts = { method: request.method, url: request.url, signal: request.signal };

    const build = (signal: AbortSignal | undefined) =>
      new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: body ?? null,
        redirect: request.redirect,
        ...(signal ? { signal } : {}),
      });

    const attempt: Attempt = async (callerSignal) => {
      const signal = withTimeout(callerSignal, timeoutMs);
      let response = await baseFetch(await auth.authenticate(build(signal)));
      if (response.status === 401 && auth.refresh) {
        const renewed = await auth.refresh(build(signal));
        if (renewed) {
          await response.body?.cancel();
          response = await baseFetch(await auth.authenticate(build(signal)));
        }
      }
      return response;
    };

    return runAttempts(attempt, facts);
  };
}

/** The caller's signal combined with a per-attempt timeout. */
function withTimeout(signal: AbortSignal | undefined, timeoutMs: number | undefined): AbortSignal | undefined {
  if (!timeoutMs || timeoutMs <= 0) return signal;
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
