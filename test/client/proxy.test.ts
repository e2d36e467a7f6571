// The proxy recipe of docs/errors-retries-logging.md: the client's `fetch` option sending every request through undici's
// ProxyAgent (Node's fetch takes undici's `dispatcher`). A loopback proxy that tunnels CONNECT
// requests to a loopback API shows that the calls, their credentials included, went through it.
import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { ProxyAgent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCbrClient, staticTokenAuth } from "../../src/index.js";
import { PROJECT_ID, sendJson, startLoopback, type Loopback } from "../support/loopback.js";

// A dispatcher from the npm package works with Node's own fetch when both are the same major
// version of undici (Node 20 ships undici 6, like the devDependency).
const sameUndici = process.versions.undici?.split(".")[0] === "6";

let api: Loopback;
let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  api = await startLoopback((req, res) => sendJson(res, 200, { vaults: [], count: 0 }, { "X-Request-Id": "req-proxied" }));
  proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on("connect", (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? "");
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", () => resolve()));
  const address = proxy.address();
  proxyUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await api.close();
});

describe.runIf(sameUndici)("fetch through undici's ProxyAgent", () => {
  it("sends the client's calls, authenticated, through the proxy", async () => {
    const agent = new ProxyAgent(proxyUrl);
    try {
      const cbr = createCbrClient({
        endpoint: api.url,
        projectId: PROJECT_ID,
        auth: staticTokenAuth("proxied-token"),
        fetch: (request) => fetch(request, { dispatcher: agent } as RequestInit),
      });
      const before = api.requests.length;
      const { data, response } = await cbr.listVault();
      expect(data).toEqual({ vaults: [], count: 0 });
      expect(response.headers.get("x-request-id")).toBe("req-proxied");
      expect(tunnels).toEqual([api.url.replace("http://", "")]);
      expect(api.requests.slice(before).map((r) => [r.url.pathname, r.headers["x-auth-token"]])).toEqual([
        [`/v3/${PROJECT_ID}/vaults`, "proxied-token"],
      ]);
    } finally {
      await agent.close();
    }
  });
});
