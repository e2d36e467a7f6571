// Loopback servers for the sender contract: raw request bytes kept (the loopback of test/support
// decodes them as text), connections counted, a TLS server with a self-signed certificate
// (test/fixtures/tls, 127.0.0.1 and localhost, valid until 2126), and a proxy that forwards
// absolute-URI requests and tunnels CONNECT.
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { connect, type AddressInfo, type Socket } from "node:net";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), "utf8");
export const TEST_CERT = fixture("loopback-cert.pem");
const TEST_KEY = fixture("loopback-key.pem");

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** The header names and values as they arrived, in order. */
  rawHeaders: string[];
  body: Buffer;
}

export type RawHandler = (req: IncomingMessage, res: ServerResponse, received: Received) => unknown;

export interface TestServer {
  url: string;
  received: Received[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Resolves once no connection is open. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

async function listen(server: Server, scheme: "http" | "https", handler: RawHandler): Promise<TestServer> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on(scheme === "https" ? "secureConnection" : "connection", () => connections++);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A client refusing the certificate ends the handshake: not a failure of the server.
  server.on("tlsClientError", () => undefined);
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
      };
      received.push(entry);
      void handler(req, res, entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    received,
    get connections() {
      return connections;
    },
    allClosed: () =>
      new Promise<void>((resolve) => {
        const check = () => sockets.size === 0 && resolve();
        for (const socket of sockets) socket.once("close", () => setImmediate(check));
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function startServer(handler: RawHandler): Promise<TestServer> {
  return listen(createServer({ keepAliveTimeout: 60_000 }), "http", handler);
}

export function startTlsServer(handler: RawHandler): Promise<TestServer> {
  return listen(createTlsServer({ cert: TEST_CERT, key: TEST_KEY, keepAliveTimeout: 60_000 }), "https", handler);
}

/** A port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestProxy {
  url: string;
  /** What passed through: "CONNECT host:port", or "GET http://host:port/path" for a forwarded request. */
  seen: string[];
  close(): Promise<void>;
}

/** An HTTP proxy: forwards absolute-URI requests (plain http) and tunnels CONNECT (https, and undici's ProxyAgent for both). */
export async function startProxy(): Promise<TestProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  };
  const proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? "");
    const upstream = httpRequest(
      { hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on("connection", track);
  proxy.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(client);
    track(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
