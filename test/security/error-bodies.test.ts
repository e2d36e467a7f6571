// Error bodies are capped: a 10 MB HTML error page is read only up to 64 KiB (the rest of the
// stream is cancelled), kept up to 64 KiB in `error.body` with `bodyTruncated: true`, and the
// message shows a short snippet. IAM error answers are read the same way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, createCbrClient, OtcApiError, passwordAuth, staticTokenAuth } from "../../src/index.js";
import { MAX_ERROR_BODY } from "../../src/error-body.js";
import { DOMAIN, PASSWORD, PROJECT_ID, USER } from "../support/fake-iam.js";
import { startLoopback, type Loopback } from "../support/loopback.js";

const TEN_MB = 10 * 1024 * 1024;
const CHUNK = 16 * 1024;

/** A 10 MB body produced lazily, counting what was actually pulled from it. */
function hugeBody(text = "<html><body>proxy error page</body></html>") {
  const chunk = new TextEncoder().encode(text.padEnd(CHUNK, "x"));
  const state = { produced: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.produced >= TEN_MB) return controller.close();
      state.produced += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("should have failed"),
    (e: unknown) => e,
  );
}

describe("API error bodies", () => {
  let server: Loopback;
  beforeAll(async () => {
    server = await startLoopback((req, res) => {
      if (req.url.pathname.endsWith("/small")) {
        res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ error_code: "CBR.404", error_msg: "not found" }));
        return;
      }
      // Chunked, no Content-Length: as a proxy streams its page.
      res.writeHead(502, { "Content-Type": "text/html" });
      const piece = "<p>bad gateway</p>".padEnd(CHUNK, " ");
      let sent = 0;
      const write = () => {
        while (sent < TEN_MB) {
          sent += piece.length;
          if (!res.write(piece)) return void res.once("drain", write);
        }
        res.end();
      };
      res.on("close", () => (sent = TEN_MB));
      write();
    });
  });
  afterAll(() => server.close());

  it("a 10 MB HTML page over the network: 64 KiB kept, flagged, short message", async () => {
    const cbr = createCbrClient({
      endpoint: server.url,
      projectId: PROJECT_ID,
      auth: staticTokenAuth("MIItoken"),
      retry: false,
      throwOnError: true,
    });
    const error = (await rejection(cbr.GET("/v3/{project_id}/vaults"))) as OtcApiError;
    expect(error.status).toBe(502);
    expect(error.bodyTruncated).toBe(true);
    expect(typeof error.body).toBe("string");
    expect((error.body as string).length).toBeLessThanOrEqual(MAX_ERROR_BODY);
    expect((error.body as string).startsWith("<p>bad gateway</p>")).toBe(true);
    expect(error.message.length).toBeLessThan(500);
    expect(error.message).toContain("the error body (over 64 KiB, cut) is not JSON (text/html)");
    expect(JSON.stringify(error).length).toBeLessThan(MAX_ERROR_BODY + 2_000);
    expect(error.toJSON().bodyTruncated).toBe(true);
  });

  it("no more than the cap (and a chunk) is read from the stream, and the rest is cancelled", async () => {
    const { stream, state } = hugeBody();
    const cbr = createCbrClient({
      endpoint: "https://cbr.example.test",
      projectId: PROJECT_ID,
      auth: staticTokenAuth("MIItoken"),
      retry: false,
      fetch: async () => new Response(stream, { status: 500, headers: { "Content-Type": "text/html" } }),
    });
    const { error } = await cbr.GET("/v3/{project_id}/vaults");
    expect(error).toBeDefined();
    expect(state.produced).toBeLessThanOrEqual(MAX_ERROR_BODY + 4 * CHUNK);
    expect(state.cancelled).toBe(true);
  });

  it("small JSON error bodies are parsed and kept whole", async () => {
    const cbr = createCbrClient({
      endpoint: server.url,
      projectId: PROJECT_ID,
      auth: staticTokenAuth("MIItoken"),
      retry: false,
      throwOnError: true,
    });
    const error = (await rejection(
      (cbr as unknown as { GET: (p: string) => Promise<unknown> }).GET("/v3/{project_id}/small"),
    )) as OtcApiError;
    expect(error.code).toBe("CBR.404");
    expect(error.body).toEqual({ error_code: "CBR.404", error_msg: "not found" });
    expect(error.bodyTruncated).toBe(false);
  });

  it("an OtcApiError built from a long text body keeps 64 KiB of it", () => {
    const error = new OtcApiError({ kind: "http", status: 500, method: "GET", url: "https://x.test/", body: "y".repeat(TEN_MB) });
    expect((error.body as string).length).toBe(MAX_ERROR_BODY);
    expect(error.bodyTruncated).toBe(true);
  });

  it("a 200 whose body is a 10 MB HTML page (malformed answer): 64 KiB kept", async () => {
    const page = "<html>login</html>".padEnd(TEN_MB, " ");
    const cbr = createCbrClient({
      endpoint: "https://cbr.example.test",
      projectId: PROJECT_ID,
      auth: staticTokenAuth("MIItoken"),
      retry: false,
      fetch: async () => new Response(page, { status: 200, headers: { "Content-Type": "text/html" } }),
    });
    const error = (await rejection(cbr.GET("/v3/{project_id}/vaults"))) as OtcApiError;
    expect(error.kind).toBe("malformed-response");
    expect((error.body as string).length).toBe(MAX_ERROR_BODY);
    expect(error.bodyTruncated).toBe(true);
    expect(error.message.length).toBeLessThan(500);
  });
});

describe("IAM error bodies", () => {
  it("a 10 MB IAM error page is read up to the cap; the error holds no body at all", async () => {
    const { stream, state } = hugeBody();
    const auth = passwordAuth({
      authUrl: "https://iam.eu-de.otc.t-systems.com/v3",
      user: USER,
      password: PASSWORD,
      domainName: DOMAIN,
      projectId: PROJECT_ID,
      fetch: async () => new Response(stream, { status: 401, headers: { "Content-Type": "text/html" } }),
    });
    const error = await auth.getToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toBe(
      "IAM password authentication failed with HTTP 401 from https://iam.eu-de.otc.t-systems.com",
    );
    expect(state.produced).toBeLessThanOrEqual(MAX_ERROR_BODY + 4 * CHUNK);
    expect(state.cancelled).toBe(true);
  });
});
