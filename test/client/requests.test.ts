// What the client's transport sends: the global fetch gets the URL and an init with the body's
// exact bytes (no Request), the `fetch` option a Request per attempt, other strategies a Request
// with the body, middleware a Request without credentials; bodies that are not JSON text are
// encoded as the Request constructor encodes them; per-call init options reach fetch.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { akskAuth, createCbrClient, fetchSender, staticTokenAuth } from "../../src/index.js";
import { PROJECT_ID, TOKEN, countingAuth, sendJson, startLoopback, type Loopback } from "../support/loopback.js";

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback((req, res) => sendJson(res, 200, { got: req.body, type: req.headers["content-type"] ?? null }));
});
afterAll(() => server.close());
afterEach(() => vi.restoreAllMocks());

const VAULT = { vault: { name: "vault-ü", resources: [{ id: "r-1" }] } };

describe("with the fetch sender over the global fetch (sender: fetchSender())", () => {
  it("calls the global fetch with the URL and an init holding the body's bytes, redirect manual and the attempt's signal", async () => {
    const spy = vi.spyOn(globalThis, "fetch");
    const cbr = createCbrClient({
      endpoint: server.url,
      projectId: PROJECT_ID,
      auth: staticTokenAuth(TOKEN),
      sender: fetchSender(),
      throwOnError: true,
    });
    const { data } = await cbr.POST("/v3/{project_id}/vaults", { body: VAULT as never });
    expect(spy).toHaveBeenCalledTimes(1);
    const [input, init] = spy.mock.calls[0]!;
    expect(input).toBe(`${server.url}/v3/${PROJECT_ID}/vaults`);
    expect(init?.method).toBe("POST");
    expect(init?.redirect).toBe("manual");
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    expect(init?.body).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(init?.body as Uint8Array)).toBe(JSON.stringify(VAULT));
    expect(new Headers(init?.headers).get("x-auth-token")).toBe(TOKEN);
    expect(data).toEqual({ got: JSON.stringify(VAULT), type: "application/json" });
  });

  it("signs the bytes it sends (AK/SK)", async () => {
    const spy = vi.spyOn(globalThis, "fetch");
    const cbr = createCbrClient({
      endpoint: server.url,
      projectId: PROJECT_ID,
      auth: akskAuth({ accessKey: "AK", secretKey: "SK" }),
      sender: fetchSender(),
      throwOnError: true,
    });
    await cbr.POST("/v3/{project_id}/vaults", { body: VAULT as never });
    const headers = new Headers(spy.mock.calls[0]![1]?.headers);
    expect(headers.get("authorization")).toMatch(
      /^SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it("passes per-call init options on to fetch", async () => {
    const spy = vi.spyOn(globalThis, "fetch");
    const cbr = createCbrClient({
      endpoint: server.url,
      projectId: PROJECT_ID,
      auth: staticTokenAuth(TOKEN),
      sender: fetchSender(),
      throwOnError: true,
    });
    await cbr.POST("/v3/{project_id}/vaults", { body: VAULT as never, cache: "no-store", keepalive: true } as never);
    expect(spy.mock.calls[0]![1]).toMatchObject({ cache: "no-store", keepalive: true });
  });
});

describe("with the fetch option", () => {
  it("gives it a Request per attempt, with the credentials, the body and the per-call options", async () => {
    const seen: Array<{ request: Request; body: string }> = [];
    const fetch = async (request: Request) => {
      seen.push({ request, body: await request.clone().text() });
      return globalThis.fetch(request);
    };
    const cbr = createCbrClient({ endpoint: server.url, projectId: PROJECT_ID, auth: staticTokenAuth(TOKEN), fetch, throwOnError: true });
    await cbr.POST("/v3/{project_id}/vaults", { body: VAULT as never, cache: "no-store" } as never);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.request.headers.get("x-auth-token")).toBe(TOKEN);
    expect(seen[0]!.request.redirect).toBe("manual");
    expect(seen[0]!.request.cache).toBe("no-store");
    expect(seen[0]!.body).toBe(JSON.stringify(VAULT));
  });
});

describe("strategies of your own", () => {
  it("get a Request with the body and its bytes, a fresh one per attempt", async () => {
    const auth = countingAuth();
    const bodies: string[] = [];
    const authenticate = auth.authenticate.bind(auth);
    auth.authenticate = async (request: Request, bytes?: ArrayBuffer) => {
      bodies.push(await request.clone().text(), new TextDecoder().decode(bytes));
      return authenticate(request);
    };
    let calls = 0;
    const flaky = await startLoopback((req, res) => (++calls === 1 ? sendJson(res, 503, {}) : sendJson(res, 200, { got: req.body })));
    try {
      const cbr = createCbrClient({
        endpoint: flaky.url,
        projectId: PROJECT_ID,
        auth,
        throwOnError: true,
        retry: { baseDelayMs: 0, methods: ["POST"] },
      });
      const { data } = await cbr.POST("/v3/{project_id}/vaults", { body: VAULT as never });
      expect(data).toEqual({ got: JSON.stringify(VAULT) });
      expect(bodies).toEqual(Array(4).fill(JSON.stringify(VAULT)));
      expect(flaky.requests.map((r) => r.headers["x-test-attempt"])).toEqual(["1", "2"]);
    } finally {
      await flaky.close();
    }
  });
});

describe("bodies and middleware", () => {
  it("encodes a body that is not JSON text as the Request constructor does (form data with its boundary)", async () => {
    const cbr = createCbrClient({ endpoint: server.url, projectId: PROJECT_ID, auth: staticTokenAuth(TOKEN), throwOnError: true });
    const form = new FormData();
    form.set("name", "vault-1");
    const { data } = await cbr.POST("/v3/{project_id}/vaults", { body: {} as never, bodySerializer: () => form });
    const { got, type } = data as unknown as { got: string; type: string };
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(got).toContain('name="name"');
    expect(got).toContain("vault-1");
  });

  it("never puts the credentials on the Request middleware sees", async () => {
    const cbr = createCbrClient({ endpoint: server.url, projectId: PROJECT_ID, auth: staticTokenAuth(TOKEN), throwOnError: true });
    const seen: Request[] = [];
    const middleware = { onResponse: ({ request }: { request: Request }) => void seen.push(request) };
    cbr.use(middleware);
    await cbr.GET("/v3/{project_id}/vaults");
    await cbr.POST("/v3/{project_id}/vaults", { body: VAULT as never });
    cbr.eject(middleware);
    await cbr.GET("/v3/{project_id}/vaults");
    expect(seen).toHaveLength(2);
    for (const request of seen) expect(request.headers.get("x-auth-token")).toBeNull();
    expect(server.requests.slice(-3).map((r) => r.headers["x-auth-token"])).toEqual([TOKEN, TOKEN, TOKEN]);
  });
});
