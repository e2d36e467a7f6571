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

export interface Exchange {
  /** Adds credentials; none for an unauthenticated request. */
  auth: AuthStrategy | undefined;
  /** A fresh request for every send (a body can be sent once). */
  build: () => Request;
  /** The request body's bytes, as buffered once for all sends; signing strategies hash them instead of reading a copy. */
  body?: ArrayBuffer | undefined;
  /** Sends one request (with its timeout); network failures reject. */
  send: (request: Request) => Promise<Response>;
  /** The error to throw for a refused redirect. */
  refuse: (redirect: Redirect) => Error;
}

export async function sendAuthenticated(exchange: Exchange): Promise<Response> {
  const { auth, build, body, send, refuse } = exchange;
  const once = async (): Promise<{ sent: Request; response: Response }> => {
    const sent = await authenticate(auth, withoutRedirects(build()), body);
    const response = await send(sent);
    const redirect = redirectOf(response, sent.url);
    if (redirect) {
      await discard(response);
      throw refuse(redirect);
    }
    return { sent, response };
  };
  let { sent, response } = await once();
  // The strategy sees the request that failed, so it can tell a stale token from a renewed one.
  if (response.status === 401 && auth?.refresh && (await auth.refresh(sent))) {
    await discard(response);
    ({ response } = await once());
  }
  return capErrorBody(response);
}

async function authenticate(auth: AuthStrategy | undefined, request: Request, body: ArrayBuffer | undefined): Promise<Request> {
  if (!auth) return request;
  try {
    // A strategy that builds a new Request keeps the redirect mode; one built from scratch may not.
    return withoutRedirects(await auth.authenticate(request, body));
  } catch (error) {
    // `Headers` refuses such values with a TypeError that quotes them: replace it, keep no cause.
    if (error instanceof TypeError && /header|bytestring/i.test(error.message)) throw new InvalidHeaderError(auth.type, undefined);
    throw error;
  }
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // the body is unwanted either way
  }
}
