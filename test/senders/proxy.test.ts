// Proxies on both senders, through a loopback proxy: the node sender by Node's own agent support
// for HTTP_PROXY/HTTPS_PROXY/NO_PROXY (`proxyEnv`, Node 22.21+ and 24.5+; refused with a clear
// message on older Node), the fetch sender by a fetch of your own with undici's ProxyAgent.
import { ProxyAgent } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fetchSender } from "../../src/pipeline/senders/fetch.js";
import { nodeSender } from "../../src/pipeline/senders/node.js";
import type { SendRequest, Sender } from "../../src/pipeline/senders/types.js";
import { startProxy, startServer, startTlsServer, TEST_CERT, type TestProxy, type TestServer } from "./servers.js";

let api: TestServer;
let tlsApi: TestServer;
let proxy: TestProxy;

beforeAll(async () => {
  const answer = (_req: unknown, res: import("node:http").ServerResponse) => res.writeHead(200, { "Content-Length": 2 }).end("ok");
  [api, tlsApi, proxy] = await Promise.all([startServer(answer), startTlsServer(answer), startProxy()]);
});
afterAll(async () => {
  await Promise.all([api.close(), tlsApi.close(), proxy.close()]);
});

function request(base: string, method = "GET"): SendRequest {
  return {
    url: `${base}/vaults?limit=1`,
    method,
    headers: new Headers({ "X-Auth-Token": "token-value" }),
    body: method === "POST" ? new Uint8Array([1, 2, 3]) : undefined,
    signal: undefined,
  };
}

async function text(send: Sender, req: SendRequest): Promise<string> {
  const answer = await send(req);
  return Buffer.from(await answer.bytes(1024)).toString("utf8");
}

const hostOf = (url: string) => new URL(url).host;
const proxyEnvSupported = nodeSupportsProxyEnv();

function nodeSupportsProxyEnv(): boolean {
  try {
    nodeSender({ proxyEnv: {} });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(proxyEnvSupported)("the node sender with Node's proxy support", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ["NODE_USE_ENV_PROXY", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"]) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("forwards plain http requests through HTTP_PROXY", async () => {
    const send = nodeSender({ proxyEnv: { HTTP_PROXY: proxy.url } });
    expect(await text(send, request(api.url, "POST"))).toBe("ok");
    expect(proxy.seen.at(-1)).toBe(`POST ${api.url}/vaults?limit=1`);
    expect(api.received.at(-1)?.headers["x-auth-token"]).toBe("token-value");
  });

  it("tunnels https requests through HTTPS_PROXY", async () => {
    const send = nodeSender({ proxyEnv: { HTTPS_PROXY: proxy.url }, httpsAgent: { ca: TEST_CERT } });
    expect(await text(send, request(tlsApi.url))).toBe("ok");
    expect(proxy.seen.at(-1)).toBe(`CONNECT ${hostOf(tlsApi.url)}`);
  });

  it("goes direct to hosts in NO_PROXY", async () => {
    const before = proxy.seen.length;
    const send = nodeSender({ proxyEnv: { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" } });
    expect(await text(send, request(api.url))).toBe("ok");
    expect(proxy.seen.length).toBe(before);
  });

  it("reads process.env when Node is set to use the environment's proxy (NODE_USE_ENV_PROXY=1), unless told not to", async () => {
    Object.assign(process.env, { NODE_USE_ENV_PROXY: "1", HTTP_PROXY: proxy.url });
    delete process.env.NO_PROXY;
    const before = proxy.seen.length;
    expect(await text(nodeSender(), request(api.url))).toBe("ok");
    expect(proxy.seen.length).toBe(before + 1);
    expect(await text(nodeSender({ proxyEnv: null }), request(api.url))).toBe("ok");
    expect(proxy.seen.length).toBe(before + 1);
  });

  it("ignores the environment's proxy variables unless Node is set to use them, as Node's own clients do", async () => {
    delete process.env.NODE_USE_ENV_PROXY;
    process.env.HTTP_PROXY = proxy.url;
    const before = proxy.seen.length;
    expect(await text(nodeSender(), request(api.url))).toBe("ok");
    expect(proxy.seen.length).toBe(before);
  });
});

describe.skipIf(proxyEnvSupported)("the node sender on a Node without proxy support in its agents", () => {
  it("refuses an explicit proxyEnv, naming the way that works", () => {
    expect(() => nodeSender({ proxyEnv: { HTTPS_PROXY: proxy.url } })).toThrow(/Node 22\.21\+ or 24\.5\+.*fetchSender.*ProxyAgent/);
  });
});

describe("the fetch sender with undici's ProxyAgent", () => {
  it("sends http and https requests through the proxy", async () => {
    const agent = new ProxyAgent({ uri: proxy.url, requestTls: { ca: TEST_CERT } });
    try {
      // Node's fetch takes undici's `dispatcher`; the DOM's RequestInit type does not list it.
      const send = fetchSender((req) => fetch(req, { dispatcher: agent } as RequestInit));
      expect(await text(send, request(api.url, "POST"))).toBe("ok");
      expect(proxy.seen.at(-1)).toBe(`CONNECT ${hostOf(api.url)}`);
      expect(api.received.at(-1)?.headers["x-auth-token"]).toBe("token-value");
      expect(await text(send, request(tlsApi.url))).toBe("ok");
      expect(proxy.seen.at(-1)).toBe(`CONNECT ${hostOf(tlsApi.url)}`);
    } finally {
      await agent.close();
    }
  });
});
