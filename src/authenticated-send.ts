// One authenticated exchange, made the same way by the client's transport (each attempt of an
// API call) and by the IAM calls of the strategies (token, agency, temporary credentials, the
// AK/SK project lookup):
// - the strategy adds its credentials; a header it cannot build is an InvalidHeaderError (a
//   usage error, never a network error, never retried), whose message holds no header value;
// - the request is sent without following redirects, and a redirect is refused (redirects.ts);
// - a 401 is replayed once when the strategy renewed its credentials;
// - an error answer's body is limited to 64 KiB for whoever reads it (error-body.ts).
import { InvalidHeaderError } from "./auth/errors.js";
import type { AuthStrategy } from "./auth/types.js";
import { capErrorBody } from "./error-body.js";
import { redirectOf, withoutRedirects, type Redirect } from "./redirects.js";

/**
 * How requests of one kind are authenticated and sent; `Req` is what the caller sends, `Prepared`
 * the same with its credentials. One Exchange serves every request of its kind.
 */
export interface Exchange<Req, Prepared> {
  auth: AuthStrategy | undefined;
  /** Adds the credentials to the request (see withCredentials); called for every send. */
  prepare: (request: Req) => Prepared | Promise<Prepared>;
  /** Sends one request, with `signal` (its timeout); network failures reject. */
  send: (request: Req, prepared: Prepared, signal: AbortSignal | undefined) => Promise<Response>;
  /** The URL a prepared request goes to, for redirects. */
  url: (prepared: Prepared) => string;
  /** The request that failed with 401, for the strategy's refresh. */
  failed: (prepared: Prepared) => Request;
  /** The error to throw for a refused redirect. */
  refuse: (redirect: Redirect, request: Req) => Error;
}

export async function sendAuthenticated<Req, Prepared>(exchange: Exchange<Req, Prepared>, request: Req, signal?: AbortSignal): Promise<Response> {
  const { auth } = exchange;
  for (let replayed = false; ; replayed = true) {
    let sent = exchange.prepare(request);
    if (sent instanceof Promise) sent = await sent;
    const response = await exchange.send(request, sent, signal);
    const redirect = redirectOf(response, exchange.url(sent));
    if (redirect) {
      await discard(response);
      throw exchange.refuse(redirect, request);
    }
    // The strategy sees the request that failed, so it can tell a stale token from a renewed one.
    if (replayed || response.status !== 401 || !auth?.refresh || !(await auth.refresh(exchange.failed(sent)))) return capErrorBody(response);
    await discard(response);
  }
}

/** A Request exchange (the IAM calls): `build` gives a fresh request for every send. */
export function sendRequest(auth: AuthStrategy | undefined, build: () => Request, send: (request: Request) => Promise<Response>, refuse: (redirect: Redirect) => Error): Promise<Response> {
  return sendAuthenticated<undefined, Request>(
    {
      auth,
      prepare: () => {
        const request = withoutRedirects(build());
        // A strategy that builds a new Request keeps the redirect mode; one built from scratch may not.
        return withCredentials(auth, async () => withoutRedirects(await auth!.authenticate(request)), () => request);
      },
      send: (_, request) => send(request),
      url: (request) => request.url,
      failed: (request) => request,
      refuse,
    },
    undefined,
  );
}

/**
 * Runs a strategy's `authenticate` (or `unauthenticated` without a strategy), turning the
 * TypeError that `Headers` throws for a value it refuses (quoting the value) into an
 * InvalidHeaderError without a cause.
 */
export async function withCredentials<T>(auth: AuthStrategy | undefined, authenticated: () => Promise<T>, unauthenticated: () => T): Promise<T> {
  if (!auth) return unauthenticated();
  try {
    return await authenticated();
  } catch (error) {
    if (error instanceof TypeError && /header|bytestring/i.test(error.message)) throw new InvalidHeaderError(auth.type, undefined);
    throw error;
  }
}

export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // the body is unwanted either way
  }
}
