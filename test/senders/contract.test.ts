// The sender contract (src/pipeline/senders/types.ts), one suite for both senders against
// loopback servers: what the steps above rely on must not depend on which sender ran. No timing
// is asserted: every fault is decided by the server or by an abort the test makes.
import { createHash, randomBytes } from "node:crypto";
import { getEventListeners } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { brotliCompressSync, constants, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSender } from "#sender";
import { isDecodingCode } from "../../src/pipeline/senders/failures.js";
import { fetchSender } from "../../src/pipeline/senders/fetch.js";
import { nodeSender } from "../../src/pipeline/senders/node.js";
import { BodyLimitError, SendError, sendsWithTimeout, type SendRequest, type Sender } from "../../src/pipeline/senders/types.js";
import { failure } from "../support/failure.js";
import { closedPort, startServer, startTlsServer, type Received, type TestServer } from "./servers.js";

const SENDERS: [string, () => Sender][] = [
  ["fetch", () => fetchSender()],
  ["node", () => nodeSender()],
];

const TEXT = JSON.stringify({ vaults: Array.from({ length: 200 }, (_, i) => ({ id: `vault-${i}`, name: "a vault" })) });
const ENCODED: Record<string, Buffer> = {
  gzip: gzipSync(TEXT),
  deflate: deflateSync(TEXT),
  br: brotliCompressSync(TEXT),
};
// 16 MiB of zeros: a few kilobytes on the wire.
const ZEROS = Buffer.alloc(16 * 1024 * 1024);
const BOMBS: Record<string, Buffer> = {
  gzip: gzipSync(ZEROS, { level: 9 }),
  br: brotliCompressSync(ZEROS, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
};
const LIMIT = 64 * 1024;

/** Requests the server holds unanswered (or half answered), released when the test is over. */
const held = new Set<ServerResponse>();
/** Resolves when the server received a request on the path; tests use it to abort at a known point. */
const arrivals = new Map<string, () => void>();
const arrival = (path: string) => new Promise<void>((resolve) => arrivals.set(path, resolve));

function route(_req: IncomingMessage, res: ServerResponse, received: Received): void {
  const url = new URL(received.path, "http://x");
  arrivals.get(url.pathname)?.();
  const [, first, second] = url.pathname.split("/");
  switch (first) {
    case "echo": {
      const text = JSON.stringify({
        method: received.method,
        headers: received.headers,
        length: received.body.length,
        sha256: createHash("sha256").update(received.body).digest("hex"),
      });
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) }).end(text);
      return;
    }
    case "redirect":
      res.writeHead(Number(second), { Location: "http://elsewhere.example/next", "Content-Length": 5 }).end("moved");
      return;
    case "encoded":
      res
        .writeHead(200, { "Content-Type": "application/json", "Content-Encoding": second!, "Content-Length": ENCODED[second!]!.length })
        .end(ENCODED[second!]);
      return;
    case "bomb":
      res.writeHead(200, { "Content-Encoding": second!, "Content-Length": BOMBS[second!]!.length }).end(BOMBS[second!]);
      return;
    case "large":
      res.writeHead(200, { "Content-Length": 256 * 1024 }).end(Buffer.alloc(256 * 1024, 0x61));
      return;
    case "status":
      res.writeHead(Number(second), { ETag: '"v1"' }).end();
      return;
    case "hold":
      held.add(res);
      return;
    case "half":
      // The headers and part of the body, then nothing until the test is over.
      res.writeHead(200, { "Content-Length": 1000 });
      res.write(Buffer.alloc(10, 0x62));
      held.add(res);
      return;
    case "break-body":
      res.writeHead(200, { "Content-Length": 1000 });
      res.write(Buffer.alloc(10, 0x62), () => res.socket?.destroy());
      return;
    case "break-encoded":
      res.writeHead(200, { "Content-Encoding": "gzip", "Content-Length": BOMBS.gzip!.length });
      res.write(BOMBS.gzip!.subarray(0, 100), () => res.socket?.destroy());
      return;
    case "garbled":
      // Not the coding it claims: a zlib header that fails its check, not gzip's magic bytes, not brotli.
      res
        .writeHead(200, { "Content-Encoding": second!, "Content-Length": 64 })
        .end(Buffer.concat([Buffer.from([0x78, 0x00]), Buffer.alloc(62, 0xff)]));
      return;
    case "reset":
      res.socket?.destroy();
      return;
    default:
      res.writeHead(404).end();
  }
}

let server: TestServer;
let tlsServer: TestServer;

beforeAll(async () => {
  server = await startServer(route);
  tlsServer = await startTlsServer(route);
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await Promise.all([server.close(), tlsServer.close()]);
});

function request(path: string, init: Partial<SendRequest> = {}, base = server.url): SendRequest {
  return { url: base + path, method: "GET", headers: new Headers(), body: undefined, signal: undefined, ...init };
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

describe.each(SENDERS)("the %s sender", (_name, make) => {
  let send: Sender;
  beforeAll(() => {
    send = make();
  });

  it("sends the exact body bytes, with their length, and the call's headers as they were set", async () => {
    const body = new Uint8Array(randomBytes(1031));
    const headers = new Headers({
      "Content-Type": "application/json;charset=utf8",
      "X-Auth-Token": "token-value",
      "X-Sdk-Date": "20260101T000000Z",
      "X-Custom": " spaced  value",
    });
    const answer = await send(request("/echo", { method: "POST", headers, body }));
    expect(answer.status).toBe(200);
    const echo = JSON.parse(text(await answer.bytes(LIMIT)));
    expect(echo).toMatchObject({ method: "POST", length: 1031, sha256: createHash("sha256").update(body).digest("hex") });
    expect(echo.headers["content-length"]).toBe("1031");
    expect(echo.headers["transfer-encoding"]).toBeUndefined();
    expect(echo.headers["content-type"]).toBe("application/json;charset=utf8");
    expect(echo.headers["x-auth-token"]).toBe("token-value");
    expect(echo.headers["x-sdk-date"]).toBe("20260101T000000Z");
    expect(echo.headers["x-custom"]).toBe("spaced  value");
  });

  it("sends a POST without a body with Content-Length 0, and a GET without one", async () => {
    const post = JSON.parse(text(await (await send(request("/echo", { method: "POST" }))).bytes(LIMIT)));
    expect(post.headers["content-length"]).toBe("0");
    const get = JSON.parse(text(await (await send(request("/echo"))).bytes(LIMIT)));
    expect(get.headers["content-length"]).toBeUndefined();
    expect(get.headers["transfer-encoding"]).toBeUndefined();
  });

  it.each([301, 302, 303, 307, 308])("returns a %i as it is, for a GET and a POST, without following it", async (status) => {
    for (const method of ["GET", "POST"]) {
      const before = server.received.length;
      const answer = await send(
        request(`/redirect/${status}`, { method, body: method === "POST" ? new TextEncoder().encode("{}") : undefined }),
      );
      expect(answer.status).toBe(status);
      expect(answer.headers.get("location")).toBe("http://elsewhere.example/next");
      expect(answer.redirectedTo).toBeUndefined();
      expect(text(await answer.bytes(LIMIT))).toBe("moved");
      expect(server.received.length).toBe(before + 1);
    }
  });

  it.each(Object.keys(ENCODED))("decodes %s", async (coding) => {
    const answer = await send(request(`/encoded/${coding}`));
    expect(text(await answer.bytes(LIMIT))).toBe(TEXT);
  });

  it("asks for the encodings it decodes", async () => {
    const echo = JSON.parse(text(await (await send(request("/echo"))).bytes(LIMIT)));
    expect(echo.headers["accept-encoding"]).toMatch(/gzip/);
  });

  it("decodes a streamed body too", async () => {
    const stream = (await send(request("/encoded/gzip"))).stream();
    expect(await new Response(stream).text()).toBe(TEXT);
  });

  it.each(Object.keys(BOMBS))("stops a %s bomb at the limit of decoded bytes", async (coding) => {
    const answer = await send(request(`/bomb/${coding}`));
    const error = await failure(answer.bytes(LIMIT), (e): e is BodyLimitError => e instanceof BodyLimitError);
    expect(error.limit).toBe(LIMIT);
  });

  it("stops a plain body at the limit", async () => {
    const answer = await send(request("/large"));
    await failure(answer.bytes(1024), (e): e is BodyLimitError => e instanceof BodyLimitError);
    // The next exchange is unaffected.
    expect(text(await (await send(request("/encoded/br"))).bytes(LIMIT))).toBe(TEXT);
  });

  it("reads a body of many chunks to its exact bytes", async () => {
    const bytes = await (await send(request("/large"))).bytes(LIMIT * 4);
    expect(bytes.byteLength).toBe(256 * 1024);
    expect(bytes.every((b) => b === 0x61)).toBe(true);
  });

  it("answers a HEAD with headers and an empty body", async () => {
    const answer = await send(request("/large", { method: "HEAD" }));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-length")).toBe(String(256 * 1024));
    expect((await answer.bytes(LIMIT)).byteLength).toBe(0);
  });

  it.each([204, 304])("answers a %i with an empty body and no stream", async (status) => {
    const answer = await send(request(`/status/${status}`));
    expect(answer.status).toBe(status);
    expect(answer.headers.get("etag")).toBe('"v1"');
    expect(answer.stream()).toBeNull();
    const again = await send(request(`/status/${status}`));
    expect((await again.bytes(LIMIT)).byteLength).toBe(0);
  });

  it("rejects with the signal's reason when aborted before the headers", async () => {
    const controller = new AbortController();
    const arrived = arrival("/hold");
    const sent = send(request("/hold", { signal: controller.signal }));
    await arrived;
    const reason = new DOMException("the attempt took too long", "TimeoutError");
    controller.abort(reason);
    expect(await failure(sent)).toBe(reason);
  });

  it("rejects with the signal's reason when aborted during the body", async () => {
    const controller = new AbortController();
    const answer = await send(request("/half", { signal: controller.signal }));
    const reading = answer.bytes(LIMIT);
    const reason = new Error("the caller gave up");
    controller.abort(reason);
    expect(await failure(reading)).toBe(reason);
  });

  it("errors a body being streamed with the signal's reason", async () => {
    const controller = new AbortController();
    const reader = (await send(request("/half", { signal: controller.signal }))).stream()!.getReader();
    expect((await reader.read()).value?.byteLength).toBe(10);
    const reason = new Error("stopped while streaming");
    controller.abort(reason);
    expect(await failure(reader.read())).toBe(reason);
  });

  it("rejects at once with the reason of a signal that is already aborted", async () => {
    const reason = new DOMException("gone", "AbortError");
    const before = server.received.length;
    expect(await failure(send(request("/echo", { signal: AbortSignal.abort(reason) })))).toBe(reason);
    expect(server.received.length).toBe(before);
  });

  it("fails at stage body when the connection breaks during the body", async () => {
    const answer = await send(request("/break-body"));
    expect(answer.status).toBe(200);
    const error = await failure(answer.bytes(LIMIT), (e): e is SendError => e instanceof SendError);
    expect(error.stage).toBe("body");
    expect(error.neverSent).toBe(false);
  });

  it("fails at stage body when a compressed body breaks off", async () => {
    const answer = await send(request("/break-encoded"));
    const error = await failure(answer.bytes(LIMIT), (e): e is SendError => e instanceof SendError);
    expect(error.stage).toBe("body");
  });

  it.each(["gzip", "deflate", "br"])(
    "fails at stage body, with the decoder's code, for a body that is not the %s it claims",
    async (coding) => {
      const answer = await send(request(`/garbled/${coding}`));
      const error = await failure(answer.bytes(LIMIT), (e): e is SendError => e instanceof SendError);
      expect(error.stage).toBe("body");
      expect(isDecodingCode(error.code)).toBe(true);
      expect(error.message).toContain("did not decode");
    },
  );

  it("fails at stage headers when the server resets the connection before answering", async () => {
    const error = await failure(
      send(request("/reset", { method: "POST", body: new Uint8Array([1]) })),
      (e): e is SendError => e instanceof SendError,
    );
    expect(error.stage).toBe("headers");
    expect(error.neverSent).toBe(false);
    expect(error.message).toContain(server.url);
  });

  it("fails at stage connect, never sent, when the connection is refused", async () => {
    const port = await closedPort();
    const error = await failure(send(request("/echo", {}, `http://127.0.0.1:${port}`)), (e): e is SendError => e instanceof SendError);
    expect(error).toMatchObject({ stage: "connect", code: "ECONNREFUSED", neverSent: true });
  });

  it("fails at stage dns, never sent, for a host that does not resolve", async () => {
    const error = await failure(send(request("/echo", {}, "http://no-such-host.invalid")), (e): e is SendError => e instanceof SendError);
    expect(error.stage).toBe("dns");
    expect(error.neverSent).toBe(true);
  });

  it("fails at stage tls for a certificate it does not trust, before sending anything", async () => {
    const before = tlsServer.received.length;
    const error = await failure(
      send(request("/echo", { method: "POST", body: new Uint8Array([1]) }, tlsServer.url)),
      (e): e is SendError => e instanceof SendError,
    );
    expect(error.stage).toBe("tls");
    expect(error.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect(tlsServer.received.length).toBe(before);
  });

  it("reuses connections for calls one after another, also after a discarded body", async () => {
    const own = await startServer(route);
    try {
      const sender = make();
      for (let i = 0; i < 4; i++) {
        const answer = await sender(request("/echo", { method: "POST", body: new Uint8Array([i]) }, own.url));
        await (i % 2 ? answer.discard() : answer.bytes(LIMIT));
      }
      expect(own.received.length).toBe(4);
      // undici's fetch keeps its own pool (it may open a second connection); the node sender's agent has one.
      if (_name === "node") expect(own.connections).toBe(1);
      else expect(own.connections).toBeLessThan(4);
    } finally {
      await own.close();
    }
  });
});

describe("the classification of failures", () => {
  const cases: [string, () => Promise<SendRequest>, boolean][] = [
    ["an untrusted certificate", async () => request("/echo", {}, tlsServer.url), false],
    ["a reset before the headers", async () => request("/reset"), false],
    ["a refused connection", async () => request("/echo", {}, `http://127.0.0.1:${await closedPort()}`), false],
    ["a body that breaks off", async () => request("/break-body"), true],
    ["a body that does not decode", async () => request("/garbled/br"), true],
  ];
  it.each(cases)("is the same for both senders: %s", async (_case, make, inBody) => {
    const stages = [];
    for (const [, sender] of SENDERS) {
      const sent = sender()(await make());
      const error = inBody ? await failure(sent.then((answer) => answer.bytes(LIMIT))) : await failure(sent);
      expect(error).toBeInstanceOf(SendError);
      stages.push((error as SendError).stage);
    }
    expect(stages[0]).toBe(stages[1]);
  });
});

describe("the fetch sender with a fetch of your own", () => {
  it("gives it a Request with the headers, the body and the call's other init options, set not to follow redirects", async () => {
    let seen: Request | undefined;
    const send = fetchSender(async (req) => {
      seen = req;
      return new Response("ok");
    });
    await send(
      request("/echo", {
        method: "PUT",
        headers: new Headers({ "X-Auth-Token": "t" }),
        body: new Uint8Array([1, 2]),
        fetchInit: { cache: "no-store", redirect: "follow" },
      }),
    );
    expect(seen?.cache).toBe("no-store");
    expect(seen?.redirect).toBe("manual");
    expect(seen?.method).toBe("PUT");
    expect(seen?.headers.get("x-auth-token")).toBe("t");
    expect(new Uint8Array(await seen!.arrayBuffer())).toEqual(new Uint8Array([1, 2]));
  });

  it("passes its own errors on unchanged, and reports where a redirect it followed anyway ended", async () => {
    const mine = new RangeError("not a network failure");
    expect(await failure(fetchSender(() => Promise.reject(mine))(request("/echo")))).toBe(mine);
    const followed = Object.defineProperties(new Response("elsewhere"), {
      redirected: { value: true },
      url: { value: "http://elsewhere.example/next" },
    });
    const answer = await fetchSender(async () => followed)(request("/echo"));
    expect(answer.redirectedTo).toBe("http://elsewhere.example/next");
  });
});

describe("the default sender", () => {
  it("is the node sender on Node (package.json imports #sender), one for the process", async () => {
    const own = await startServer(route);
    try {
      for (let i = 0; i < 2; i++) {
        const answer = await defaultSender(request("/echo", {}, own.url));
        expect(JSON.parse(text(await answer.bytes(LIMIT))).headers["accept-encoding"]).toBe("gzip, deflate, br");
      }
      expect(own.connections).toBe(1);
    } finally {
      await own.close();
    }
  });
});

describe("the node sender's answers", () => {
  it("succeed over TLS with the server's certificate trusted through the agent's options", async () => {
    const { TEST_CERT } = await import("./servers.js");
    const send = nodeSender({ httpsAgent: { ca: TEST_CERT } });
    const answer = await send(request("/encoded/deflate", {}, tlsServer.url));
    expect(text(await answer.bytes(LIMIT))).toBe(TEXT);
  });

  it("keep one listener on a signal shared by requests in flight, and none once each body is read, dropped or empty", async () => {
    const send = nodeSender();
    const controller = new AbortController();
    const answers = await Promise.all([
      send(request("/echo", { signal: controller.signal })),
      send(request("/large", { signal: controller.signal })),
      send(request("/status/204", { signal: controller.signal })),
    ]);
    expect(getEventListeners(controller.signal, "abort").length).toBe(1);
    await answers[0]!.bytes(LIMIT);
    await answers[1]!.discard();
    await answers[2]!.bytes(LIMIT);
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
  });

  it("abort every request in flight on a shared signal", async () => {
    const send = nodeSender();
    const controller = new AbortController();
    const arrived = Promise.all([arrival("/hold"), new Promise<void>((resolve) => setImmediate(resolve))]);
    const pending = Array.from({ length: 20 }, () => send(request("/hold", { signal: controller.signal })));
    await arrived;
    const reason = new Error("all of them");
    controller.abort(reason);
    for (const sent of pending) expect(await failure(sent)).toBe(reason);
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
  });

  it("drops the connection of a body that failed, so that no socket stays held", async () => {
    const own = await startServer((_req, res) => {
      // Chunked, and not gzip: the failure comes before the end of the body.
      res.writeHead(200, { "Content-Encoding": "gzip" });
      res.write(Buffer.concat([Buffer.from([0x1f, 0x8c]), Buffer.alloc(100, 0xff)]));
    });
    try {
      const answer = await nodeSender()(request("/", {}, own.url));
      await failure(answer.bytes(LIMIT), (e): e is SendError => e instanceof SendError);
      await own.allClosed();
    } finally {
      await own.close();
    }
  });

  it("drop the connection of a decoded body whose stream the reader cancelled", async () => {
    const own = await startServer((_req, res) => {
      res.writeHead(200, { "Content-Encoding": "gzip" });
      res.write(BOMBS.gzip!.subarray(0, 2000));
    });
    try {
      const reader = (await nodeSender()(request("/", {}, own.url))).stream()!.getReader();
      await reader.read();
      await reader.cancel();
      await own.allClosed();
    } finally {
      await own.close();
    }
  });

  it("keep a timeoutMs of their own: a TimeoutError before the headers and during the body, the connection dropped", async () => {
    const send = nodeSender();
    expect(sendsWithTimeout(send)).toBe(true);
    const beforeHeaders = await failure(send(request("/hold", { timeoutMs: 20 })));
    expect(beforeHeaders).toMatchObject({ name: "TimeoutError" });
    const answer = await send(request("/half", { timeoutMs: 50 }));
    expect(await failure(answer.bytes(LIMIT))).toMatchObject({ name: "TimeoutError" });
  });

  it("let the caller's signal win over a timeoutMs, and keep a body read within it", async () => {
    const send = nodeSender();
    const controller = new AbortController();
    const arrived = arrival("/hold");
    const sent = send(request("/hold", { signal: controller.signal, timeoutMs: 60_000 }));
    await arrived;
    const reason = new Error("the caller gave up");
    controller.abort(reason);
    expect(await failure(sent)).toBe(reason);
    const answer = await send(request("/echo", { timeoutMs: 30 }));
    const bytes = await answer.bytes(LIMIT);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(JSON.parse(text(bytes)).method).toBe("GET");
  });

  it("refuse a second read of the body", async () => {
    const answer = await nodeSender()(request("/echo"));
    await answer.bytes(LIMIT);
    expect(() => answer.bytes(LIMIT)).toThrow(TypeError);
  });
});
