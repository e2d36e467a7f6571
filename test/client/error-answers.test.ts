// Failed calls through a real client and a loopback server: every documented error shape,
// malformed bodies, throwOnError, network errors, timeouts, and no credentials in errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCbrClient, createVbsClient, isOtcApiError, OtcApiError, staticTokenAuth, unwrap } from "../../src/index.js";
import type { OperationTable } from "../../src/operations.js";
import { failure } from "../support/failure.js";
import { PROJECT_ID, TOKEN, freePort, loopbackClient, sendJson, sendText, startLoopback, type Loopback } from "../support/loopback.js";

const table: OperationTable = {
  "GET /v3/{project_id}/answers/{case}": { operationId: "showAnswer" },
  "POST /v3/{project_id}/answers/{case}": { operationId: "createAnswer" },
};

/** What the server answers for each case. */
const CASES: Record<string, { status: number; body?: string; headers?: Record<string, string> }> = {
  cbr: {
    status: 404,
    body: JSON.stringify({ error_code: "BackupService.6500", error_msg: "Operation log does not exist." }),
    headers: { "X-Request-Id": "req-cbr" },
  },
  vbs: {
    status: 400,
    body: JSON.stringify({ error: { code: "VolumeBackup.0002", message: "Invalid parameter." } }),
    headers: { "X-Openstack-Request-Id": "req-vbs" },
  },
  badRequest: { status: 400, body: JSON.stringify({ badRequest: { code: 400, message: "Invalid input for field/attribute volume_id." } }) },
  itemNotFound: { status: 404, body: JSON.stringify({ itemNotFound: { message: "Backup 592a could not be found.", code: 404 } }) },
  keystone: {
    status: 401,
    body: JSON.stringify({ error: { code: 401, message: "The request you have made requires authentication.", title: "Unauthorized" } }),
  },
  apig: {
    status: 401,
    body: JSON.stringify({ error_code: "APIG.0301", error_msg: "Incorrect IAM authentication information", request_id: "req-apig" }),
  },
  empty: { status: 503 },
  html: { status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>", headers: { "Content-Type": "text/html" } },
  truncated: { status: 500, body: '{"error_code":"BackupService.9999","error_m' },
  okHtml: { status: 200, body: "<!doctype html><title>Login</title>", headers: { "Content-Type": "text/html" } },
  okTruncated: { status: 200, body: '{"vault":{"id":"v-1","na' },
  okEmpty: { status: 200 },
  noContent: { status: 204 },
  ok: { status: 200, body: JSON.stringify({ vault: { id: "v-1" } }) },
  versions: { status: 300, body: JSON.stringify({ versions: [{ id: "v3" }] }) },
};

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback((req, res, raw) => {
    const name = decodeURIComponent(req.url.pathname.split("/").pop() ?? "");
    if (name === "stall-headers") return; // never answers; closed by close()
    if (name === "stall-body") {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
      res.write('{"vault":');
      return;
    }
    if (name === "reset") {
      raw.socket.destroy();
      return;
    }
    const c = CASES[name];
    if (!c) return sendJson(res, 404, { error_code: "T.404", error_msg: `unknown case ${name}` });
    res.writeHead(c.status, {
      "Content-Type": "application/json",
      ...(c.body !== undefined ? { "Content-Length": String(Buffer.byteLength(c.body)) } : {}),
      ...c.headers,
    });
    res.end(c.body);
  });
});
afterAll(() => server.close());

const client = (options = {}) => loopbackClient("cbr", server.url, table, options);
const call = (name: string, options = {}, init: Record<string, unknown> = {}) =>
  client(options).GET("/v3/{project_id}/answers/{case}", { params: { path: { case: name } }, ...init });

/** The OtcApiError a call rejects with. */
const failureOf = (promise: Promise<unknown>): Promise<OtcApiError> => failure(promise, isOtcApiError);

describe("error answers", () => {
  it.each([
    ["cbr", 404, "BackupService.6500", "Operation log does not exist.", "req-cbr"],
    ["vbs", 400, "VolumeBackup.0002", "Invalid parameter.", "req-vbs"],
    ["badRequest", 400, 400, "Invalid input for field/attribute volume_id.", undefined],
    ["itemNotFound", 404, 404, "Backup 592a could not be found.", undefined],
    ["keystone", 401, 401, "The request you have made requires authentication.", undefined],
    ["apig", 401, "APIG.0301", "Incorrect IAM authentication information", "req-apig"],
  ])("reads the %s shape", async (name, status, code, message, requestId) => {
    const error = await failureOf(call(name, { throwOnError: true }));
    expect(error).toMatchObject({
      kind: "http",
      status,
      code,
      serviceMessage: message,
      requestId,
      operationId: "showAnswer",
      method: "GET",
    });
    expect(error.url).toBe(`${server.url}/v3/${PROJECT_ID}/answers/${name}`);
    expect(error.message).toContain(`showAnswer: HTTP ${status}`);
    expect(error.message).toContain(String(code));
    expect(error.body).toEqual(JSON.parse(CASES[name]!.body!));
  });

  it.each([
    ["empty", 503, /HTTP 503 .*with an empty body/],
    ["html", 502, /the error body is not JSON \(text\/html\): <html><body><h1>502 Bad Gateway/],
    ["truncated", 500, /the error body is truncated or malformed JSON/],
  ])("reports an unreadable %s error body clearly", async (name, status, message) => {
    const error = await failureOf(call(name, { throwOnError: true }));
    expect(error).toMatchObject({ kind: "http", status, operationId: "showAnswer" });
    expect(error.message).toMatch(message);
  });

  it("without throwOnError resolves to { error } and unwrap throws the same OtcApiError", async () => {
    const result = await call("cbr");
    expect(result.error).toEqual({ error_code: "BackupService.6500", error_msg: "Operation log does not exist." });
    expect(result.data).toBeUndefined();
    let thrown: unknown;
    try {
      unwrap(result);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "OtcApiError", status: 404, operationId: "showAnswer", requestId: "req-cbr" });
  });

  it("throwOnError can be chosen per call", async () => {
    await expect(call("cbr", {}, { throwOnError: true })).rejects.toThrow(OtcApiError);
    const result = await call("cbr", { throwOnError: true }, { throwOnError: false });
    expect(result.response.status).toBe(404);
  });

  it("leaves an unfollowed 3xx as openapi-fetch returns it", async () => {
    const result = await call("versions", { throwOnError: true });
    expect(result.response.status).toBe(300);
    expect(result.error).toEqual({ versions: [{ id: "v3" }] });
  });
});

describe("success answers", () => {
  it("parses JSON, gives undefined for 204, and refuses an empty 200 to a GET", async () => {
    expect((await call("ok")).data).toEqual({ vault: { id: "v-1" } });
    expect((await call("noContent")).data).toBeUndefined();
    const error = await failureOf(call("okEmpty"));
    expect(error).toMatchObject({ kind: "malformed-response", status: 200, operationId: "showAnswer" });
    expect(error.message).toMatch(/HTTP 200 but the body is empty/);
  });

  it.each([
    ["okHtml", /HTTP 200 but the body is not JSON \(text\/html\): <!doctype html>/],
    ["okTruncated", /HTTP 200 but the body is truncated or malformed JSON/],
  ])("turns an unreadable %s success body into an OtcApiError, not a SyntaxError", async (name, message) => {
    const error = await failureOf(call(name));
    expect(error).toMatchObject({ kind: "malformed-response", status: 200, operationId: "showAnswer" });
    expect(error.message).toMatch(message);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("still honours other parseAs values", async () => {
    const result = await client().GET("/v3/{project_id}/answers/{case}", { params: { path: { case: "okHtml" } }, parseAs: "text" });
    expect(result.data).toBe("<!doctype html><title>Login</title>");
  });
});

describe("no answer", () => {
  it("reports a refused connection as a network error", async () => {
    const port = await freePort();
    const error = await failureOf(
      loopbackClient("cbr", `http://127.0.0.1:${port}`, table).GET("/v3/{project_id}/answers/{case}", { params: { path: { case: "ok" } } }),
    );
    expect(error).toMatchObject({ kind: "network", status: 0, operationId: "showAnswer", method: "GET" });
    expect(error.message).toMatch(/showAnswer: no response at connect \(ECONNREFUSED /);
  });

  it("reports a reset connection as a network error", async () => {
    const error = await failureOf(call("reset"));
    expect(error).toMatchObject({ kind: "network", operationId: "showAnswer" });
  });

  it("times out waiting for the answer", async () => {
    const error = await failureOf(call("stall-headers", { timeoutMs: 50 }));
    expect(error).toMatchObject({ kind: "timeout", status: 0, operationId: "showAnswer" });
    expect(error.message).toMatch(/no response before the request timeout/);
  });

  it("times out while the body is still arriving", async () => {
    const error = await failureOf(call("stall-body", { timeoutMs: 100 }));
    expect(error).toMatchObject({ kind: "timeout", operationId: "showAnswer" });
  });

  it("rejects with the caller's own abort reason, not an OtcApiError", async () => {
    const controller = new AbortController();
    const pending = call("stall-headers", {}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("caller stopped")), 10);
    await expect(pending).rejects.toThrow("caller stopped");
    const again = new AbortController();
    const second = call("stall-body", {}, { signal: again.signal });
    setTimeout(() => again.abort(), 30);
    const error = await second.catch((e: unknown) => e);
    expect(isOtcApiError(error)).toBe(false);
    expect((error as Error).name).toBe("AbortError");
  });
});

describe("credentials", () => {
  it("never puts the token into an error, its JSON or its message", async () => {
    for (const name of ["cbr", "html", "okHtml", "stall-headers"]) {
      const error = await failureOf(call(name, { throwOnError: true, timeoutMs: 50 }));
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect(error.message).not.toContain(TOKEN);
      expect(String(error.stack)).not.toContain(TOKEN);
    }
  });

  it("redacts secret-looking query values in the error URL", async () => {
    const error = await failureOf(
      client({ throwOnError: true }).GET("/v3/{project_id}/answers/{case}", {
        params: { path: { case: "cbr" }, query: { token: "s3cr3t", signature: "sig", limit: 5 } },
      }),
    );
    expect(error.url).toBe(`${server.url}/v3/${PROJECT_ID}/answers/cbr?token=REDACTED&signature=REDACTED&limit=5`);
    expect(JSON.stringify(error)).not.toContain("s3cr3t");
  });
});

describe("generated tables", () => {
  it("names the operation from the service's own table", async () => {
    const svc = await startLoopback((_req, res) =>
      sendJson(res, 404, { itemNotFound: { message: "Backup b-1 could not be found.", code: 404 } }),
    );
    try {
      const options = { endpoint: svc.url, projectId: PROJECT_ID, auth: staticTokenAuth("t"), throwOnError: true, retry: false } as const;
      const vbs = createVbsClient(options);
      const cbr = createCbrClient(options);
      const fromVbs = await failureOf(vbs.GET("/v3/{project_id}/backups/{backup_id}", { params: { path: { backup_id: "b-1" } } }));
      const fromCbr = await failureOf(cbr.GET("/v3/{project_id}/backups/{backup_id}", { params: { path: { backup_id: "b-1" } } }));
      expect(fromVbs.operationId).toBe("showNativeBackup");
      expect(fromCbr.operationId).toBe("showBackup");
      expect(fromCbr.message).toBe("showBackup: HTTP 404 Not Found (404: Backup b-1 could not be found.)");
    } finally {
      await svc.close();
    }
  });

  it("works with any text body served under a 4xx", async () => {
    const svc = await startLoopback((_req, res) => sendText(res, 403, "Forbidden"));
    try {
      const cbr = createCbrClient({ endpoint: svc.url, projectId: PROJECT_ID, auth: staticTokenAuth("t"), retry: false });
      const result = await cbr.GET("/v3/{project_id}/vaults");
      expect(result.error).toBe("Forbidden");
      expect(() => unwrap(result)).toThrow(/listVault: HTTP 403 Forbidden; the error body is not JSON \(text\/plain\): Forbidden/);
    } finally {
      await svc.close();
    }
  });
});
