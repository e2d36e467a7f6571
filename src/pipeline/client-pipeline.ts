// The route of an API call, read top to bottom: openapi-fetch calls the client's transport with
// the request; the transport makes the call's context (one deadline, one signal) and runs
//
//   observe (onEvent) → retry (within the deadline) → attempt (its own timeout) →
//   credentials (add, 401 renewal and replay) → response guard (redirects, size caps) → sender
//
// and hands openapi-fetch the answer as a Response. Middleware (`use`) sees the Request
// openapi-fetch built, before the credentials are added: it never sees them.
//
// What is sent: the body is taken once, as bytes, and every attempt sends exactly those bytes
// (the signer hashes them).
import { systemClock, type Clock } from "../clock.js";
import { isOtcApiError, redirectError, transportError } from "../errors.js";
import type { OperationIds } from "../operations.js";
import type { AuthStrategy, CallContext } from "./context.js";
import { compose, type Next, type PipelineRequest, type Step } from "./request.js";
import type { Sender } from "./senders/types.js";
import { attemptStep } from "./steps/attempt.js";
import { credentialsStep } from "./steps/credentials.js";
import { observeStep, type ClientEventListener } from "./steps/observe.js";
import { responseGuard } from "./steps/response-guard.js";
import { retryStep, type RetryOptions } from "./steps/retry.js";
import { isTransportFailure } from "./transient.js";
import { toWebResponse } from "./web-response.js";

export interface PipelineOptions {
  /** Puts each request on the wire (and IAM requests made for a call). */
  sender: Sender;
  auth: AuthStrategy;
  /** The deadline of one call, everything included (Infinity: none). */
  timeoutMs: number;
  /** The timeout of one attempt: headers and the whole body (Infinity: none). */
  attemptTimeoutMs: number;
  /** Retry options; false: one attempt. */
  retry: RetryOptions | false;
  /** Largest success body kept, in decoded bytes. */
  maxResponseBytes: number;
  onEvent?: ClientEventListener | undefined;
  /** Names the operation of a call in its events and errors. */
  operations?: OperationIds | undefined;
}

/**
 * What the client's call wrapper tells the transport about one call: the caller's own signal,
 * a list the transport adds clean-ups to (timers of a body left to stream), which the wrapper runs
 * once the body has been read, and the call's own `timeoutMs`.
 */
export interface TransportCall {
  signal: AbortSignal | undefined;
  cleanups: Array<() => void>;
  /** Read the body inside the attempt (default true; false when the caller wants it otherwise, as a stream or bytes). */
  readBody?: boolean | undefined;
  /** The path the call was made with (`/v3/{project_id}/vaults`), which names its operation. */
  path?: string | undefined;
  /** This call's deadline, overriding the client's `timeoutMs`. */
  timeoutMs?: number | undefined;
}

/**
 * What openapi-fetch builds for a call through the client's wrapper instead of a Request (its
 * per-call `Request` option): the URL and the init as openapi-fetch made them. Calls that need a
 * real Request get one: with middleware, which sees the Request, or with a per-call `fetch`.
 */
export class CallRequest {
  declare readonly method: string;
  declare readonly headers: Headers;
  declare readonly body: unknown;
  declare readonly signal?: AbortSignal | null;
  constructor(
    readonly url: string,
    readonly init: RequestInit & Record<string, unknown>,
  ) {
    this.method = init.method!;
    this.headers = init.headers as Headers;
    this.body = init.body;
  }
}

/** The transport: openapi-fetch calls it with the request; the client's wrapper adds the call. */
export type Transport = (request: Request | CallRequest, call?: TransportCall) => Promise<Response>;

const encoder = new TextEncoder();

export function createTransport(options: PipelineOptions): Transport {
  const { sender, auth, timeoutMs, attemptTimeoutMs, onEvent, operations, maxResponseBytes } = options;
  const clock: Clock = (options.retry !== false && options.retry?.clock) || systemClock;
  const steps: Step[] = [];
  if (onEvent) steps.push(observeStep(onEvent));
  if (options.retry !== false) steps.push(retryStep(options.retry));
  steps.push(attemptStep(attemptTimeoutMs), credentialsStep(auth));
  const run: Next = compose(steps, responseGuard({ maxResponseBytes, refuse: (redirect, request) => redirectError(redirect, request) }));

  const call = async (request: Request | CallRequest, transportCall: TransportCall | undefined): Promise<Response> => {
    const callerSignal = transportCall ? transportCall.signal : (request.signal ?? undefined);
    const { url, method, headers, body, fetchInit } = await outgoing(request);
    // The deadline needs no timer of its own: every wait below is bounded by it (an attempt's
    // timeout never runs past it, no retry wait starts that would), so one timer per attempt does.
    const ms = transportCall?.timeoutMs ?? timeoutMs;
    const context: CallContext = { signal: callerSignal, deadline: clock.now() + ms, clock, sender };
    const cleanups = transportCall?.cleanups;
    const operationId = transportCall?.path === undefined ? undefined : operations?.[`${method} ${transportCall.path}`];
    const readBody = transportCall !== undefined && transportCall.readBody !== false;
    const pipelineRequest: PipelineRequest = { method, url, headers, body, callerSignal, operationId, readBody, cleanups, fetchInit };
    try {
      return toWebResponse(await run(pipelineRequest, context));
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      // A wait between attempts that the deadline ended.
      if (!isOtcApiError(error) && isTransportFailure(error)) throw transportError(error, { method, url, operationId });
      throw error;
    }
  };
  return (request, transportCall) => call(request, transportCall);
}

/**
 * The request as the attempts send it. A CallRequest's body is taken as it is when it is the
 * JSON text openapi-fetch serialized; any other body (FormData, a Blob, a stream) and a Request's
 * are read once as the Request constructor encodes them (with its Content-Type). A Request's
 * headers are copied, so that the credentials never show on the Request middleware sees.
 */
async function outgoing(request: Request | CallRequest): Promise<{
  url: string;
  method: string;
  headers: Headers;
  body: Uint8Array | undefined;
  fetchInit?: Record<string, unknown> | undefined;
}> {
  const { url, method } = request;
  if (request instanceof CallRequest) {
    const { headers, body, init } = request;
    let fetchInit: Record<string, unknown> | undefined;
    // The init keys read here; any other (`cache`, `credentials`…) is passed on to a fetch sender.
    for (const key in init)
      if (init[key] !== undefined && !/^(method|headers|body|signal|redirect)$/.test(key)) (fetchInit ??= {})[key] = init[key];
    // openapi-fetch made these headers for this call alone: the credentials may go into them.
    if (body == null || typeof body === "string")
      return { url, method, headers, body: body == null ? undefined : encoder.encode(body), fetchInit };
    request = new Request(url, init);
  }
  const headers = new Headers(request.headers);
  if (request.body === null) return { url, method, headers, body: undefined };
  return { url, method, headers, body: new Uint8Array(await request.arrayBuffer()) };
}
