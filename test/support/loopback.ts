// Loopback HTTP servers for client tests: node:http on 127.0.0.1, port 0, with a hard cap on the
// requests each server answers (a runaway pager fails fast instead of spinning), and a close()
// that also drops open connections.
//
//   const server = await startLoopback((req, res) => sendJson(res, 200, { ok: true }));
//   afterAll(() => server.close());
//   const client = loopbackClient("cbr", server.url);
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createServiceClient, type ClientOptions } from "../../src/client-core.js";
import type { AsyncMeta, OperationTable, PaginationMeta, WithClientMeta } from "../../src/operations.js";
import type { AuthStrategy } from "../../src/auth/types.js";
import type { Clock } from "../../src/clock.js";

import { PROJECT_ID, TOKEN } from "./constants.js";
import { freePort } from "../../scripts/mock-server.mjs";

export { PROJECT_ID, TOKEN, freePort };

export interface LoopbackRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
  /** The body parsed as JSON (undefined when empty). */
  json(): unknown;
}

export type Handler = (req: LoopbackRequest, res: ServerResponse, raw: IncomingMessage) => unknown;

export interface Loopback {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Every request received, in order of arrival. */
  requests: LoopbackRequest[];
  /** Requests currently being handled (answer not finished). */
  readonly inFlight: number;
  /** Most requests in flight at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export interface LoopbackOptions {
  /** The server answers 599 to every request after this many (default 5 000). */
  maxRequests?: number;
  /** Listen on this port (default: any free one). */
  port?: number;
}

export async function startLoopback(handler: Handler, options: LoopbackOptions = {}): Promise<Loopback> {
  const maxRequests = options.maxRequests ?? 5_000;
  const requests: LoopbackRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer(async (raw, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of raw) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const req: LoopbackRequest = {
      method: raw.method ?? "GET",
      url: new URL(raw.url ?? "/", "http://127.0.0.1"),
      headers: raw.headers,
      body,
      json: () => (body === "" ? undefined : JSON.parse(body)),
    };
    requests.push(req);
    if (requests.length > maxRequests) {
      res.writeHead(599).end("loopback request cap reached");
      return;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    try {
      await handler(req, res, raw);
    } catch (error) {
      if (!res.headersSent) res.writeHead(598, { "Content-Type": "text/plain" });
      res.end(`handler failed: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends the token and counts how often it was asked to authenticate (once per attempt). */
export function countingAuth(token = TOKEN): AuthStrategy & { calls: number } {
  const auth = {
    type: "test-token",
    calls: 0,
    async authenticate(request: Request): Promise<Request> {
      auth.calls++;
      const headers = new Headers(request.headers);
      headers.set("X-Auth-Token", token);
      headers.set("X-Test-Attempt", String(auth.calls));
      return new Request(request, { headers });
    },
  };
  return auth;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseResult = { data?: any; error?: any; response: Response };
type LooseMethod = (path: string, init?: Record<string, unknown>) => Promise<LooseResult>;
/** A client without a generated paths type: any path, untyped bodies. */
export type LooseClient = WithClientMeta<"vbs" | "cbr", OperationTable> & {
  GET: LooseMethod;
  PUT: LooseMethod;
  POST: LooseMethod;
  DELETE: LooseMethod;
  request: (method: string, path: string, init?: Record<string, unknown>) => Promise<LooseResult>;
};

/**
 * A client on a loopback server with a hand-written operation table (typed loosely: any path).
 * No retries unless asked, so that tests count requests exactly.
 */
export function loopbackClient(
  service: "vbs" | "cbr",
  endpoint: string,
  operations: OperationTable = {},
  options: Partial<ClientOptions> = {},
): LooseClient {
  const ids: Record<string, string> = {};
  const pagination: Record<string, PaginationMeta> = {};
  const async: Record<string, AsyncMeta> = {};
  for (const [key, entry] of Object.entries(operations)) {
    ids[key] = entry.operationId;
    if (entry.pagination) pagination[key] = entry.pagination;
    if (entry.async) async[key] = entry.async;
  }
  return createServiceClient<{}, typeof service, OperationTable>(
    service,
    { endpoint, projectId: PROJECT_ID, auth: countingAuth(), retry: false, ...options },
    ids,
    { pagination, async },
  ) as unknown as LooseClient;
}

/** A clock whose waits return at once and are recorded; its time is the real time (shared safely by concurrent calls). */
export function instantClock(delays: number[] = []): Clock & { delays: number[] } {
  return {
    delays,
    now: () => Date.now(),
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      delays.push(ms);
    },
  };
}

/** A clock whose time moves only by its own waits, which return at once and are recorded in `sleeps`: an hour-long wait runs in no time. */
export function advancingClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}
