// Error body shapes, redaction and the OtcApiError type, without a network.
import { describe, expect, it } from "vitest";
import { OtcApiError, errorFromResponse, isOtcApiError, readServiceError, requestIdOf } from "../../src/errors.js";
import { redactUrl } from "../../src/redact.js";
import { unwrap } from "../../src/call-results.js";

const ctx = { method: "GET", url: "https://cbr.example/v3/p/vaults", operationId: "listVault" };

describe("readServiceError", () => {
  it.each([
    [
      "CBR flat",
      { error_code: "BackupService.6500", error_msg: "Operation log does not exist." },
      { code: "BackupService.6500", message: "Operation log does not exist." },
    ],
    ["VBS wrapped", { error: { code: "VolumeBackup.0002", message: "bad" } }, { code: "VolumeBackup.0002", message: "bad" }],
    ["OpenStack badRequest", { badRequest: { code: 400, message: "Invalid input" } }, { code: 400, message: "Invalid input" }],
    [
      "OpenStack itemNotFound",
      { itemNotFound: { message: "Backup x could not be found.", code: 404 } },
      { code: 404, message: "Backup x could not be found." },
    ],
    [
      "Keystone",
      { error: { code: 401, message: "The request you have made requires authentication.", title: "Unauthorized" } },
      { code: 401, message: "The request you have made requires authentication." },
    ],
    [
      "API gateway",
      { error_code: "APIG.0301", error_msg: "Incorrect IAM authentication information", request_id: "r-1" },
      { code: "APIG.0301", message: "Incorrect IAM authentication information" },
    ],
    ["top-level code/message", { code: "X.1", message: "m" }, { code: "X.1", message: "m" }],
    ["message only", { message: "Internal error" }, { message: "Internal error" }],
    ["error as text", { error: "Unauthorized" }, { message: "Unauthorized" }],
    ["unknown object", { foo: { bar: 1 } }, {}],
    ["array", [1, 2], {}],
    ["text", "<html>", {}],
    ["nothing", undefined, {}],
  ])("reads %s", (_name, body, expected) => {
    expect(readServiceError(body)).toEqual(expected);
  });
});

describe("errorFromResponse", () => {
  const response = (status: number, headers: Record<string, string> = {}) =>
    new Response(null, { status, statusText: "Some Status", headers });

  it("fills every field and builds a message naming the operation", () => {
    const error = errorFromResponse(
      response(404, { "X-Request-Id": "req-42" }),
      { error_code: "BackupService.6500", error_msg: "gone" },
      ctx,
    );
    expect(error).toBeInstanceOf(OtcApiError);
    expect(error).toMatchObject({
      kind: "http",
      status: 404,
      code: "BackupService.6500",
      serviceMessage: "gone",
      requestId: "req-42",
      operationId: "listVault",
      method: "GET",
      url: "https://cbr.example/v3/p/vaults",
      body: { error_code: "BackupService.6500", error_msg: "gone" },
    });
    expect(error.message).toBe("listVault: HTTP 404 Some Status (BackupService.6500: gone) [request id req-42]");
  });

  it("takes the OpenStack request id header, else the body's request_id", () => {
    expect(requestIdOf(new Headers({ "X-Openstack-Request-Id": "req-os" }))).toBe("req-os");
    expect(requestIdOf(new Headers(), { request_id: "req-body" })).toBe("req-body");
    expect(requestIdOf(new Headers())).toBeUndefined();
  });

  it("says so when the body is empty, not JSON, or truncated JSON", () => {
    expect(errorFromResponse(response(503), "", ctx).message).toMatch(/HTTP 503 Some Status with an empty body/);
    expect(errorFromResponse(response(503), undefined, ctx).body).toBeUndefined();
    const html = errorFromResponse(
      response(502, { "Content-Type": "text/html; charset=utf-8" }),
      "<html><body>Bad gateway</body></html>",
      ctx,
    );
    expect(html.message).toMatch(/the error body is not JSON \(text\/html\): <html><body>Bad gateway/);
    expect(html.code).toBeUndefined();
    expect(html.body).toBe("<html><body>Bad gateway</body></html>");
    const cut = errorFromResponse(response(500), '{"error_code":"BackupService.9999","error_m', ctx);
    expect(cut.message).toMatch(/truncated or malformed JSON/);
  });

  it("shortens long bodies in the message but keeps them whole in body", () => {
    const long = "x".repeat(5_000);
    const error = errorFromResponse(response(500), long, ctx);
    expect(error.message.length).toBeLessThan(400);
    expect(error.body).toBe(long);
  });
});

describe("OtcApiError", () => {
  it("names the operation later when created below the client", () => {
    const error = new OtcApiError({ kind: "network", method: "GET", url: "https://h/v3/p/vaults?limit=1", detail: "no response (x)" });
    expect(error.message).toBe("GET /v3/p/vaults: no response (x)");
    error.withOperation("listVault");
    expect(error.message).toBe("listVault: no response (x)");
    expect(error.status).toBe(0);
  });

  it("is recognised by the type guard, also across package copies", () => {
    const error = new OtcApiError({ kind: "http", status: 500, method: "GET", url: "https://h/" });
    expect(isOtcApiError(error)).toBe(true);
    expect(isOtcApiError(new Error("x"))).toBe(false);
    expect(isOtcApiError(null)).toBe(false);
    expect(isOtcApiError({ [Symbol.for("otc-backup-api.OtcApiError")]: true })).toBe(true);
  });

  it("serializes without credentials", () => {
    const error = new OtcApiError({
      kind: "http",
      status: 401,
      method: "GET",
      url: "https://user:pa55@h/v3/p/vaults?X-Auth-Token=abc&signature=def&limit=5&access_key=ak",
    });
    const json = JSON.stringify(error);
    for (const secret of ["pa55", "abc", "def", "=ak"]) expect(json).not.toContain(secret);
    expect(error.url).toBe("https://h/v3/p/vaults?X-Auth-Token=REDACTED&signature=REDACTED&limit=5&access_key=REDACTED");
  });
});

describe("redactUrl", () => {
  it("leaves plain URLs alone and redacts every value of a secret parameter", () => {
    expect(redactUrl("https://h/v3/p/vaults")).toBe("https://h/v3/p/vaults");
    expect(redactUrl("https://h/x?token=a&token=b&marker=m")).toBe("https://h/x?token=REDACTED&token=REDACTED&marker=m");
    expect(redactUrl("not a url?token=abc")).toBe("not a url");
  });
});

describe("unwrap", () => {
  it("returns data and throws an OtcApiError for an error result", () => {
    const ok = { data: { vaults: [] }, response: new Response(null, { status: 200 }) };
    expect(unwrap(ok)).toEqual({ vaults: [] });
    const failed = { error: { error_code: "E.1", error_msg: "no" }, response: new Response(null, { status: 400 }) };
    expect(() => unwrap(failed)).toThrow(OtcApiError);
    expect(() => unwrap(failed)).toThrow(/E\.1: no/);
  });
});
