// Credentials: every send carries fresh ones (a new signature, the current token), added to a copy
// of the request's headers so that nothing above (openapi-fetch middleware included) sees them.
// A 401 is replayed once when the strategy renewed its credentials. Waiting for credentials
// (a token being obtained, a renewal) honours the call's deadline and signal.
import {
  addCredentials,
  InvalidHeaderError,
  renewCredentials,
  type AuthStrategy,
  type CallContext,
  type CredentialAdder,
  type OutgoingRequest,
} from "../context.js";
import type { PipelineRequest, Step } from "../request.js";
import { untilAborted } from "../../timers.js";

export function credentialsStep(auth: AuthStrategy | undefined): Step {
  if (!auth) return (request, context, next) => next(request, context);
  const own = auth as AuthStrategy & CredentialAdder;
  const add = own[addCredentials];
  const renew = own[renewCredentials];

  const withCredentials = async (request: PipelineRequest, context: CallContext): Promise<PipelineRequest> => {
    if (add) {
      // The request's headers are the pipeline's own (never middleware's): each send sets its credentials anew.
      const adding = guardHeaders(auth, () => add.call(own, request, request.body, context));
      if (adding instanceof Promise) await adding;
      return request;
    }
    // A strategy of your own gets a Request with the body's bytes, as `authenticate` documents.
    const init: RequestInit = { method: request.method, headers: new Headers(request.headers), redirect: "manual" };
    if (request.body !== undefined) init.body = request.body as Uint8Array<ArrayBuffer>;
    const authenticated = await untilAborted(
      guardHeaders(auth, () =>
        auth.authenticate(new Request(request.url, init), request.body && arrayBufferOf(request.body)),
      ) as Promise<Request>,
      context.signal,
    );
    return { ...request, url: authenticated.url, method: authenticated.method, headers: new Headers(authenticated.headers) };
  };

  const renewed = (sent: OutgoingRequest, context: CallContext): Promise<boolean> => {
    if (renew) return renew.call(own, sent, context);
    if (!auth.refresh) return Promise.resolve(false);
    return untilAborted(auth.refresh(new Request(sent.url, { method: sent.method, headers: sent.headers })), context.signal);
  };

  return async (request, context, next) => {
    for (let replayed = false; ; replayed = true) {
      const sent = await withCredentials(request, context);
      const response = await next(sent, context);
      // The strategy sees the request that failed, so it can tell a stale token from a renewed one.
      if (replayed || response.status !== 401 || !(await renewed(sent, context))) return response;
      await response.discard();
    }
  };
}

/**
 * Runs a strategy's code that sets headers, turning the TypeError that `Headers` throws for a
 * value it refuses (quoting the value, a credential) into an InvalidHeaderError without a cause.
 */
function guardHeaders<T>(auth: AuthStrategy, run: () => T): T {
  const clean = (error: unknown): never => {
    if (error instanceof TypeError && /header|bytestring/i.test(error.message)) throw new InvalidHeaderError(auth.type, undefined);
    throw error;
  };
  try {
    const result = run();
    return (result instanceof Promise ? result.catch(clean) : result) as T;
  } catch (error) {
    return clean(error);
  }
}

/** The bytes as an ArrayBuffer of their own, as `authenticate` documents its `body`. */
function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}
