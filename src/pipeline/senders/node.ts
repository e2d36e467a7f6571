// The sender over node:http and node:https, Node's default (package.json "imports" `#sender`):
// on Node, undici's fetch costs more than twice what `http.request` on a keep-alive agent costs
// for the same loopback exchange (web streams for the body, a Request clone for manual
// redirects). This sender keeps fetch's behaviour where the steps above can see it: redirects come
// back unfollowed, gzip/deflate/br bodies are decoded (and counted decoded, so a small compressed
// answer cannot grow past the caller's limit), an abort rejects with the signal's reason, and
// failures are classified as the fetch sender classifies them (failures.ts).
//
// Each sender owns one keep-alive agent per protocol, so calls of one client reuse connections.
// Proxies from HTTP_PROXY/HTTPS_PROXY/NO_PROXY go through Node's own agent support (`proxyEnv`),
// which Node 20 lacks.
import {
  Agent as HttpAgent,
  request as httpRequest,
  type AgentOptions as HttpAgentOptions,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions as HttpsAgentOptions } from "node:https";
import { Readable, type Transform } from "node:stream";
import { constants as zlibConstants, createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { after, MAX_TIMER_MS, timeoutReason, type Timer } from "../../timers.js";
import { sendError } from "./failures.js";
import { BodyLimitError, keepsTimeouts, type SendRequest, type Sender, type SentResponse } from "./types.js";

/** The variables Node's proxy support reads: HTTP_PROXY, HTTPS_PROXY, NO_PROXY (and their lower-case forms). */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

export interface NodeSenderOptions {
  /**
   * Where the proxy settings come from (`process.env`, or an object of your own). Default:
   * `process.env` when Node itself is set to use the environment's proxy (`NODE_USE_ENV_PROXY=1`
   * or `--use-env-proxy`), otherwise no proxy; `null`: never a proxy. Needs Node's agent
   * support for `proxyEnv` (Node 22.21+ and 24.5+): on older Node an explicit `proxyEnv` throws.
   */
  proxyEnv?: ProxyEnv | null | undefined;
  /** The agent for http: URLs, or options for the keep-alive agent this sender makes. */
  httpAgent?: HttpAgent | HttpAgentOptions | undefined;
  /** The agent for https: URLs (or its options: `ca`, `cert`, `maxSockets`…). */
  httpsAgent?: HttpsAgent | HttpsAgentOptions | undefined;
}

const WHERE = "nodeSender";

/** True when this Node's agents honour a `proxyEnv` option (they keep a parsed proxy configuration). */
function agentsSupportProxyEnv(): boolean {
  const probe = new HttpAgent({ proxyEnv: { HTTP_PROXY: "http://127.0.0.1:9" } } as HttpAgentOptions);
  return Object.getOwnPropertySymbols(probe).some(
    (s) => /proxy/i.test(s.description ?? "") && (probe as unknown as Record<symbol, unknown>)[s] != null,
  );
}

function nodeUsesEnvProxy(): boolean {
  return (
    process.env.NODE_USE_ENV_PROXY === "1" ||
    process.execArgv.includes("--use-env-proxy") ||
    /(^|\s)--use-env-proxy(\s|$)/.test(process.env.NODE_OPTIONS ?? "")
  );
}

function proxyEnvOf(option: NodeSenderOptions["proxyEnv"], given: boolean): ProxyEnv | undefined {
  if (option === null) return undefined;
  if (option !== undefined && (typeof option !== "object" || Array.isArray(option)))
    throw new TypeError(`${WHERE}: \`proxyEnv\` must be an object of environment variables, or null`);
  const env = option ?? (nodeUsesEnvProxy() ? process.env : undefined);
  if (env === undefined || agentsSupportProxyEnv()) return env;
  if (given) {
    throw new TypeError(
      `${WHERE}: \`proxyEnv\` needs Node 22.21+ or 24.5+ (this is Node ${process.versions.node}); on older Node send through a proxy with fetchSender and undici's ProxyAgent`,
    );
  }
  return undefined; // Node itself ignores NODE_USE_ENV_PROXY here, and so does its fetch.
}

function agentOf<A extends HttpAgent>(
  Kind: new (options: HttpAgentOptions) => A,
  name: string,
  given: unknown,
  proxyEnv: ProxyEnv | undefined,
  proxyGiven: boolean,
): A {
  if (given instanceof HttpAgent) {
    if (proxyGiven)
      throw new TypeError(`${WHERE}: \`proxyEnv\` cannot be combined with an agent of your own in \`${name}\`: give the agent its proxy`);
    return given as A;
  }
  if (given !== undefined && (typeof given !== "object" || given === null))
    throw new TypeError(`${WHERE}: \`${name}\` must be an Agent or agent options`);
  return new Kind({ keepAlive: true, ...(given as HttpAgentOptions | undefined), ...(proxyEnv ? { proxyEnv } : {}) } as HttpAgentOptions);
}

/** A sender on node:http/node:https with keep-alive agents of its own. */
export function nodeSender(options: NodeSenderOptions = {}): Sender {
  const proxyGiven = options.proxyEnv !== undefined && options.proxyEnv !== null;
  const proxyEnv = proxyEnvOf(options.proxyEnv, proxyGiven);
  const httpAgent = agentOf(HttpAgent, "httpAgent", options.httpAgent, proxyEnv, proxyGiven);
  const httpsAgent = agentOf(HttpsAgent, "httpsAgent", options.httpsAgent, proxyEnv, proxyGiven);

  const send = function sendThroughNode(request: SendRequest): Promise<SentResponse> {
    return new Promise<SentResponse>((resolve, reject) => {
      const { signal } = request;
      if (signal?.aborted) return reject(signal.reason);
      const url = new URL(request.url);
      const secure = url.protocol === "https:";
      if (!secure && url.protocol !== "http:") return reject(new TypeError(`${WHERE}: only http: and https: URLs can be sent`));
      const req = (secure ? httpsRequest : httpRequest)({
        agent: secure ? httpsAgent : httpAgent,
        protocol: url.protocol,
        // An IPv6 literal comes bracketed in a URL, bare in a host name.
        hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: request.method,
        headers: outgoingHeaders(request),
      });
      const exchange = new Exchange(req, request, resolve, reject);
      if (signal) watch(signal, exchange);
      const { timeoutMs } = request;
      // A plain timer instead of an AbortSignal: the same TimeoutError, without a signal per attempt.
      if (timeoutMs !== undefined && timeoutMs !== Infinity) {
        exchange.timer =
          timeoutMs <= MAX_TIMER_MS
            ? setTimeout(expire, Math.max(0, timeoutMs), exchange).unref()
            : after(timeoutMs, () => expire(exchange), true);
      }
      req.on("error", (error) => exchange.failed(error));
      req.on("response", (res) => exchange.answered(res));
      req.end(request.body === undefined ? undefined : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength));
    });
  };
  (send as { [keepsTimeouts]?: boolean })[keepsTimeouts] = true;
  return send;
}

/** The exchange's `timeoutMs` is up. */
function expire(exchange: Exchange): void {
  exchange.timer = undefined;
  exchange.finish(timeoutReason());
  exchange.req.destroy();
}

function outgoingHeaders(request: SendRequest): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of request.headers) headers[name] = value;
  // The exact bytes, with their length (never chunked): the signature covers them.
  if (request.body !== undefined) headers["content-length"] = String(request.body.byteLength);
  else if (request.method === "POST" || request.method === "PUT" || request.method === "PATCH") headers["content-length"] = "0";
  headers["accept-encoding"] ??= "gzip, deflate, br";
  return headers;
}

/** Statuses and methods whose answer has no body, as fetch treats them. */
function hasNoBody(status: number, method: string): boolean {
  return method === "HEAD" || status === 204 || status === 205 || status === 304 || status < 200;
}

// One abort listener per signal, however many requests share it (a caller's signal over 50
// concurrent calls would otherwise pass Node's limit of 10 listeners and warn): the exchanges in
// flight on a signal, and the listener that aborts them all, removed with the last one.
const inFlight = new WeakMap<AbortSignal, Set<Exchange>>();

function abortAll(event: Event): void {
  const signal = event.target as AbortSignal;
  const exchanges = inFlight.get(signal);
  inFlight.delete(signal);
  for (const exchange of exchanges ?? []) exchange.abort();
}

function watch(signal: AbortSignal, exchange: Exchange): void {
  let exchanges = inFlight.get(signal);
  if (exchanges === undefined) {
    inFlight.set(signal, (exchanges = new Set()));
    signal.addEventListener("abort", abortAll, { once: true });
  }
  exchanges.add(exchange);
}

function unwatch(signal: AbortSignal, exchange: Exchange): void {
  const exchanges = inFlight.get(signal);
  if (exchanges === undefined || !exchanges.delete(exchange) || exchanges.size > 0) return;
  inFlight.delete(signal);
  signal.removeEventListener("abort", abortAll);
}

/** Where the body is being read to: the promise of bytes(), or nothing. */
interface Reading {
  resolve(bytes: Uint8Array): void;
  reject(error: unknown): void;
}

/** One request from send to the end of its body. */
class Exchange {
  private res: IncomingMessage | undefined;
  private done = false;
  private failure: unknown;
  private reading: Reading | undefined;
  /** The timer of the request's `timeoutMs`, until the exchange is over. */
  timer: ReturnType<typeof setTimeout> | Timer | undefined;

  constructor(
    readonly req: ClientRequest,
    readonly request: SendRequest,
    private readonly resolveHeaders: (response: SentResponse) => void,
    private readonly rejectHeaders: (error: unknown) => void,
  ) {}

  /** The caller's signal aborted. */
  abort(): void {
    this.finish(this.request.signal?.reason);
    this.req.destroy();
  }

  /** The request failed before the answer's headers (or the socket broke during its body). */
  failed(error: unknown): void {
    this.finish(this.res === undefined ? sendError(error, this.request.url, "headers") : sendError(error, this.request.url, "body"));
  }

  answered(res: IncomingMessage): void {
    this.res = res;
    // A body that breaks off destroys `res` with an error; listened to from the start, so that it
    // never goes unhandled while nobody reads.
    res.on("error", (error) => this.finish(sendError(error, this.request.url, "body")));
    res.on("close", () => {
      if (!res.complete) this.finish(sendError(Object.assign(new Error("aborted"), { code: "ECONNRESET" }), this.request.url, "body"));
    });
    const empty = hasNoBody(res.statusCode ?? 0, this.request.method);
    if (empty) res.resume();
    this.resolveHeaders(new NodeResponse(res, this, empty));
  }

  /** Reads the body into `reading`; called once by bytes(). */
  read(source: Readable, limit: number, reading: Reading): void {
    if (this.done) {
      if (this.failure !== undefined) reading.reject(this.failure);
      else reading.resolve(new Uint8Array(0));
      return;
    }
    this.reading = reading;
    const chunks: Buffer[] = [];
    let size = 0;
    source.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        this.finish(new BodyLimitError(limit)); // drops the connection
        source.destroy();
        return;
      }
      chunks.push(chunk);
    });
    source.on("end", () => {
      this.finish(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    if (source !== this.res) source.on("error", (error) => this.finish(sendError(error, this.request.url, "body")));
  }

  /** Settles whatever waits (headers or body) once, with the caller's abort reason first. */
  finish(error: unknown, bytes?: Uint8Array): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== undefined) {
      if ("cancel" in this.timer) this.timer.cancel();
      else clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.request.signal) unwatch(this.request.signal, this);
    const aborted = this.request.signal?.aborted === true;
    const outcome = aborted ? this.request.signal!.reason : error;
    if (this.res === undefined) {
      this.rejectHeaders(outcome ?? new Error("the exchange ended without an answer"));
      this.req.destroy();
      return;
    }
    if (outcome !== undefined) {
      this.failure = outcome;
      // A body not read to its end keeps its socket from the pool for good: drop the connection,
      // with the reason, so that a stream() reader sees it too.
      this.res.destroy(outcome instanceof Error ? outcome : undefined);
    }
    if (!this.reading) return;
    if (outcome !== undefined) this.reading.reject(outcome);
    else this.reading.resolve(bytes ?? new Uint8Array(0));
  }

  /** The body is not wanted: the answer ended (or was dropped), nothing waits any more. */
  dropped(): void {
    this.finish(undefined);
  }
}

/**
 * A header's value straight from the raw list: `res.headers` is built on first access, which
 * costs more than the rest of reading a small answer.
 */
function rawHeader(res: IncomingMessage, name: string): string | undefined {
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === name.length && raw[i]!.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

// fetch's leniency with bodies that end mid-frame (undici flushes the same way).
const SYNC = { flush: zlibConstants.Z_SYNC_FLUSH, finishFlush: zlibConstants.Z_SYNC_FLUSH };
const BROTLI_SYNC = { flush: zlibConstants.BROTLI_OPERATION_FLUSH, finishFlush: zlibConstants.BROTLI_OPERATION_FLUSH };

/** The body decoded by its Content-Encoding (applied in order, undone in reverse); unknown codings pass as they are, as with fetch. */
function decoded(res: IncomingMessage): Readable {
  const coding = rawHeader(res, "content-encoding");
  if (coding === undefined) return res;
  const decoders: Transform[] = [];
  for (const name of coding.toLowerCase().split(",").reverse()) {
    const step = name.trim();
    const decoder =
      step === "gzip" || step === "x-gzip"
        ? createGunzip(SYNC)
        : step === "deflate"
          ? createInflate(SYNC)
          : step === "br"
            ? createBrotliDecompress(BROTLI_SYNC)
            : undefined;
    if (decoder !== undefined) decoders.push(decoder);
  }
  const last = decoders.at(-1);
  if (last === undefined) return res;
  // pipe() carries data, not failures: every failure on the way ends the last decoder, which the reader watches.
  const fail = (error: unknown) => last.destroy(error instanceof Error ? error : new Error(String(error)));
  let source: Readable = res;
  res.on("error", fail);
  res.on("close", () => {
    if (!res.complete) fail(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
  });
  for (const decoder of decoders) {
    if (decoder !== last) decoder.on("error", fail);
    source = source.pipe(decoder);
  }
  return source;
}

// A body no larger than this is read to its end by discard() so that the connection can be reused;
// a larger one costs more to drain than a new connection.
const DRAIN_LIMIT = 64 * 1024;

class NodeResponse implements SentResponse {
  readonly status: number;
  readonly statusText: string;
  private cachedHeaders: Headers | undefined;
  private taken = false;

  constructor(
    private readonly res: IncomingMessage,
    private readonly exchange: Exchange,
    private readonly empty: boolean,
  ) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? "";
    if (empty) res.once("end", () => exchange.dropped());
  }

  get headers(): Headers {
    if (this.cachedHeaders === undefined) {
      const headers = new Headers();
      const raw = this.res.rawHeaders;
      for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
      this.cachedHeaders = headers;
    }
    return this.cachedHeaders;
  }

  private take(what: string): void {
    if (this.taken) throw new TypeError(`${WHERE}: the body was already read or discarded (${what})`);
    this.taken = true;
  }

  bytes(limit: number): Promise<Uint8Array> {
    this.take("bytes");
    return new Promise<Uint8Array>((resolve, reject) => {
      if (this.empty) return this.exchange.read(this.res, limit, { resolve: () => resolve(new Uint8Array(0)), reject });
      this.exchange.read(decoded(this.res), limit, { resolve, reject });
    });
  }

  stream(): ReadableStream<Uint8Array> | null {
    this.take("stream");
    if (this.empty) return null;
    const { res } = this;
    const source = decoded(res);
    // The stream ends or errors with the exchange: release the abort listener then.
    source.once("end", () => this.exchange.dropped());
    // A reader that cancels destroys the last decoder only: the answer behind it would keep its socket.
    if (source !== res) source.once("close", () => res.destroy());
    return Readable.toWeb(source) as ReadableStream<Uint8Array>;
  }

  discard(): Promise<void> {
    if (this.taken) return Promise.resolve();
    this.taken = true;
    const { res } = this;
    if (this.empty) return Promise.resolve();
    const length = Number(rawHeader(res, "content-length") ?? NaN);
    // The agent takes the socket back only once the answer was read to its end, even when all of it already arrived.
    if (res.complete || (Number.isFinite(length) && length <= DRAIN_LIMIT)) {
      return new Promise<void>((resolve) => {
        res.once("end", () => {
          this.exchange.dropped();
          resolve();
        });
        res.once("close", () => resolve());
        res.resume();
      });
    }
    this.exchange.dropped();
    res.destroy();
    return Promise.resolve();
  }
}

let shared: Sender | undefined;

/**
 * The sender of requests that name none (`#sender` on Node): one for the process, so that every
 * client shares its connections; made on first use, so that importing makes no agents.
 */
export const defaultSender: Sender = (request) => (shared ??= nodeSender())(request);
(defaultSender as { [keepsTimeouts]?: boolean })[keepsTimeouts] = true;
