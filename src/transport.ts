// The fetch that openapi-fetch calls: it turns one logical request into attempts, each with fresh
// credentials (tokens or signatures) and its own timeout, and replays a 401 once when the
// credentials could be renewed; redirects are never followed. An attempt ends when the answer's
// body has been read (when the call reads it as text or JSON), so that a body that stalls or
// breaks off fails the attempt, and can be retried, instead of failing the call after the retries
// are over. Retries plug in as an AttemptRunner (retry.ts). Failures below HTTP become
// OtcApiErrors (errors.ts transportError says which kind); the caller's own abort rejects with
// the signal's reason, as fetch does.
//
// What is sent: the body is taken once, as bytes, and every attempt sends exactly those bytes
// (the signer hashes them). Without the `fetch` option an attempt is `fetch(url, { method,
// headers, body, signal, redirect: "manual" })`: no Request is built on the way, because each
// one costs more than the rest of the client's work on a call (test/bench), and its body's
// stream would be read back. The `fetch` option receives a Request per attempt, with the credentials added. The
// strategies of this package add their headers directly (auth/headers.ts); any other strategy
// gets a Request per attempt, as `authenticate` documents.
import { addCredentials, type CredentialAdder, type OutgoingRequest } from "./auth/headers.js";
import type { AuthStrategy } from "./auth/types.js";
import { sendAuthenticated, withCredentials, type Exchange } from "./authenticated-send.js";
import { runObserved, type ClientEventListener } from "./client-events.js";
import { isTransportFailure, redirectError, transportError } from "./errors.js";
import { andThen } from "./maybe-promise.js";
import type { OperationIds } from "./operations.js";

export type FetchLike = (input: Request) => Promise<Response>;

/**
 * One attempt of a request: `signal` is the caller's; `budgetMs`, when given, shortens the
 * attempt's timeout to what is left of the call's time budget (retry.ts maxElapsedMs).
 */
export type Attempt = (signal: AbortSignal | undefined, budgetMs?: number) => Promise<Response>;

/** Runs attempts until one may be returned; see retry.ts. */
export type AttemptRunner = (attempt: Attempt, request: RequestFacts) => Promise<Response>;

/** What a retry policy may know about the request (never its credentials). */
export interface RequestFacts {
  readonly method: string;
  readonly url: string;
  readonly signal: AbortSignal | undefined;
  /** Told before the wait for another attempt (the client's onEvent); retry policies call it. */
  readonly retrying?: ((delayMs: number) => void) | undefined;
}

export interface TransportOptions {
  /** Sends each attempt as a Request; without it, the global fetch is called with the URL and an init. */
  fetch?: FetchLike | undefined;
  auth: AuthStrategy;
  /** Per-attempt timeout in milliseconds; 0 or undefined disables it. */
  timeoutMs?: number | undefined;
  /** Decides whether and when to try again; default: one attempt. */
  runAttempts?: AttemptRunner | undefined;
  /** Told about every attempt (client-events.ts); unset, the transport does no extra work. */
  onEvent?: ClientEventListener | undefined;
  /** Names the operation of a call in its events. */
  operations?: OperationIds | undefined;
}

/**
 * What the client's call wrapper tells the transport about one call: the caller's own signal
 * (undefined when there is none, so that nothing needs to follow it), and a list the transport
 * adds clean-ups to (timers), which the wrapper runs once the body has been read.
 */
export interface TransportCall {
  signal: AbortSignal | undefined;
  cleanups: Array<() => void>;
  /** Read the body as text inside each attempt (default true; false when the caller wants it otherwise, as a stream or bytes). */
  readBody?: boolean | undefined;
  /** The path the call was made with (`/v3/{project_id}/vaults`), which names its operation in events. */
  path?: string | undefined;
}

/**
 * What openapi-fetch builds for a call through the client's wrapper instead of a Request (its
 * per-call `Request` option): the URL and the init as openapi-fetch made them (the headers
 * merged into a Headers, the body serialized). openapi-fetch copies the init's other keys onto it
 * (`signal`…). Calls that need a real Request get one: with middleware, which sees the Request,
 * or with a per-call `fetch`.
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

/** A request as every attempt sends it: `headers` are the transport's own, `body` the bytes sent. */
interface Outgoing extends OutgoingRequest {
  readonly body: Uint8Array | undefined;
  /** Other init options of the call (`cache`, `credentials`…), passed on to fetch. */
  readonly extras: Record<string, unknown> | undefined;
  readonly facts: RequestFacts;
}

/** One send of a request with its credentials: the Outgoing itself, or the Request a strategy of your own returned. */
type Prepared = Outgoing | Request;

const encoder = new TextEncoder();

export function createTransport(options: TransportOptions): Transport {
  const { fetch: custom, auth, timeoutMs, onEvent, operations } = options;
  const runAttempts: AttemptRunner = options.runAttempts ?? ((attempt, facts) => attempt(facts.signal));
  const add = (auth as CredentialAdder)[addCredentials];

  const initOf = (out: Outgoing, headers: Headers, signal: AbortSignal | undefined): RequestInit => {
    const init: RequestInit = { ...out.extras, method: out.method, headers, redirect: "manual" };
    if (out.body !== undefined) init.body = out.body as Uint8Array<ArrayBuffer>;
    if (signal) init.signal = signal;
    return init;
  };

  // Credentials, redirect refusal, the one 401 replay and error-body caps: authenticated-send.ts.
  const exchange: Exchange<Outgoing, Prepared> = {
    auth,
    // This package's strategies set their headers on the Outgoing; others get a Request with the body.
    prepare: add
      ? (out) => andThen(add.call(auth, out, out.body), () => out)
      : (out) => withCredentials<Prepared>(auth, () => auth.authenticate(new Request(out.url, initOf(out, out.headers, undefined)), out.body && arrayBufferOf(out.body)), () => out),
    send: (out, sent, signal) => {
      const init = initOf(out, sent.headers, signal);
      if (sent !== out) init.method = sent.method;
      return custom ? custom(new Request(sent.url, init)) : globalThis.fetch(sent.url, init);
    },
    url: (sent) => sent.url,
    failed: (sent) => (sent instanceof Request ? sent : new Request(sent.url, { method: sent.method, headers: sent.headers })),
    refuse: (redirect, out) => redirectError(redirect, out.facts),
  };

  const run = (out: Outgoing, call: TransportCall | undefined): Promise<Response> => {
    const { facts } = out;
    const readBody = call !== undefined && call.readBody !== false && out.method !== "HEAD";
    const attempt: Attempt = async (signalOfCaller, budgetMs) => {
      const limit = budgetMs === undefined ? timeoutMs : timeoutMs && timeoutMs > 0 ? Math.min(timeoutMs, budgetMs) : budgetMs;
      const timer = attemptSignal(signalOfCaller, limit, call?.cleanups);
      let response: Response | undefined;
      try {
        response = await sendAuthenticated(exchange, out, timer.signal);
        if (!readBody) return response;
        const read = await readText(response);
        timer.clear();
        return read;
      } catch (error) {
        timer.clear();
        if (signalOfCaller?.aborted) throw signalOfCaller.reason;
        if (!isTransportFailure(error)) throw error;
        throw transportError(error, facts, response);
      }
    };
    if (!onEvent) return runAttempts(attempt, facts);
    const operationId = call?.path === undefined ? undefined : operations?.[`${out.method} ${call.path}`];
    return runObserved(runAttempts, attempt, facts, operationId, onEvent);
  };

  return function transport(request: Request | CallRequest, call?: TransportCall): Promise<Response> {
    const signal = call ? call.signal : (request.signal ?? undefined);
    const out = outgoing(request, signal);
    return out instanceof Promise ? out.then((o) => run(o, call)) : run(out, call);
  };
}

/**
 * The request as the attempts send it. A CallRequest's body is taken as it is when it is the
 * JSON text openapi-fetch serialized; any other body (FormData, a Blob, a stream) and a Request's
 * are read once as the Request constructor encodes them (with its Content-Type). A Request's
 * headers are copied, so that the credentials never show on the Request middleware sees.
 */
function outgoing(request: Request | CallRequest, signal: AbortSignal | undefined): Outgoing | Promise<Outgoing> {
  const { url, method } = request;
  const facts: RequestFacts = { method, url, signal };
  if (request instanceof CallRequest) {
    const { headers, body, init } = request;
    let extras: Record<string, unknown> | undefined;
    // The init keys it reads itself; any other (`cache`, `credentials`…) is passed on to fetch.
    for (const key in init) if (init[key] !== undefined && !/^(method|headers|body|signal|redirect)$/.test(key)) (extras ??= {})[key] = init[key];
    if (body == null || typeof body === "string") return { url, method, headers, body: body == null ? undefined : encoder.encode(body), extras, facts };
    request = new Request(url, init);
  }
  const headers = new Headers(request.headers);
  if (request.body === null) return { url, method, headers, body: undefined, extras: undefined, facts };
  return request.arrayBuffer().then((bytes) => ({ url, method, headers, body: new Uint8Array(bytes), extras: undefined, facts }));
}

/** The bytes as an ArrayBuffer of their own, as `authenticate` documents its `body`. */
function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
}

/**
 * The answer with its body read as text, inside the attempt: the body is then under the
 * attempt's timeout and its failures under the retry policy. openapi-fetch reads the body again
 * (as text: the call wrapper asks it to), so the answer's own `text()` hands it what was read;
 * a copy of the Response would cost about as much as the rest of the call's own work.
 */
async function readText(response: Response): Promise<Response> {
  const text = await response.text();
  Object.defineProperty(response, "text", { value: () => Promise.resolve(text), configurable: true });
  return response;
}

interface AttemptTimer {
  signal: AbortSignal | undefined;
  /** Stops the timer and the caller-abort listener once the attempt is over. */
  clear(): void;
}

/**
 * The signal of one attempt: aborts with a TimeoutError after `timeoutMs`, or with the caller's
 * reason when the caller aborts. One AbortController and one timer (cheaper than
 * AbortSignal.timeout + AbortSignal.any). Cleared when the attempt ends with its body read; when
 * the caller streams the body, the call's clean-ups clear it after reading, and without a call it
 * is left to fire harmlessly (unreferenced). Without a timeout the caller's signal is passed on.
 */
function attemptSignal(callerSignal: AbortSignal | undefined, timeoutMs: number | undefined, cleanups: Array<() => void> | undefined): AttemptTimer {
  if (!timeoutMs || timeoutMs <= 0 || timeoutMs === Infinity || callerSignal?.aborted) return { signal: callerSignal, clear: noop };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("The operation timed out.", "TimeoutError")), timeoutMs);
  let onAbort: (() => void) | undefined;
  if (callerSignal) {
    onAbort = () => {
      clearTimeout(timer);
      controller.abort(callerSignal.reason);
    };
    callerSignal.addEventListener("abort", onAbort, { once: true });
  }
  const clear = () => {
    clearTimeout(timer);
    if (onAbort) callerSignal!.removeEventListener("abort", onAbort);
  };
  if (cleanups) cleanups.push(clear);
  else (timer as { unref?: () => void }).unref?.();
  return { signal: controller.signal, clear };
}

const noop = () => {};
