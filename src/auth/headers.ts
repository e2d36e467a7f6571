// How the strategies of this package add their credentials: each says which headers a request
// gets (credentialHeaders), and credentialStrategy makes of it both the public `authenticate`,
// which sets them on a Request, and the client's own entry (addCredentials), which sets them on
// the headers the transport sends with the body's bytes, so that no Request is built for them.
//
// Values are checked first: `Headers` refuses line breaks, NUL and characters beyond Latin-1 with
// a TypeError that quotes the value (a credential), which must never reach an error or a log.
import { andThen, type MaybePromise } from "../maybe-promise.js";
import { addCredentials, type CallContext, type CredentialAdder, type OutgoingRequest } from "../pipeline/context.js";
import type { Bytes } from "./crypto.js";
import { InvalidHeaderError } from "./errors.js";
import type { AuthStrategy } from "./types.js";

export { addCredentials, type CredentialAdder, type OutgoingRequest };

const UNSENDABLE = /[\r\n\0]|[^\x00-\xff]/;

type Credentials = Record<string, string>;

/**
 * The headers that carry a strategy's credentials for one request; `body` is its exact bytes.
 * `context`: the call they are for (its deadline and signal bound any wait for credentials, its
 * sender carries any IAM request); absent when a Request is authenticated outside a call.
 */
export type CredentialHeaders = (request: OutgoingRequest, body: Bytes | undefined, context?: CallContext) => MaybePromise<Credentials>;

function check(headers: Credentials, strategy: string): Credentials {
  for (const name in headers) if (UNSENDABLE.test(headers[name]!)) throw new InvalidHeaderError(strategy, name);
  return headers;
}

/**
 * The strategy `rest` with `authenticate` and the client's entry built from `headersFor`;
 * `readsBody`: given only a Request, `authenticate` reads a copy of its body for `headersFor`.
 */
export function credentialStrategy<T extends { readonly type: string }>(
  rest: T,
  headersFor: CredentialHeaders,
  readsBody = false,
): T & AuthStrategy & CredentialAdder {
  const { type } = rest;
  return Object.assign(rest, {
    async authenticate(request: Request, body?: ArrayBuffer): Promise<Request> {
      const bytes = body ?? (readsBody && request.body !== null ? await request.clone().arrayBuffer() : undefined);
      return setHeaders(request, check(await headersFor(request, bytes), type));
    },
    [addCredentials](request: OutgoingRequest, body: Uint8Array | undefined, context?: CallContext): MaybePromise<void> {
      return andThen(headersFor(request, body, context), (headers) => setAll(request.headers, check(headers, type)));
    },
  });
}

function setAll(target: Headers, headers: Credentials): void {
  for (const name in headers) target.set(name, headers[name]!);
}

/** Sets `headers` on the request in place, or on a copy when its headers are immutable. */
function setHeaders(request: Request, headers: Credentials): Request {
  try {
    setAll(request.headers, headers);
    return request;
  } catch {
    const copy = new Headers(request.headers);
    setAll(copy, headers);
    return new Request(request, { headers: copy });
  }
}
