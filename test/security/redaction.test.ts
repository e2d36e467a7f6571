// Which query parameters lose their values in URLs kept in errors, events and onRetry records:
// OTC's own key names and the usual secret names, in any case and with `-`, `_` or nothing
// between their words; never the ids a user needs to debug a call.
import { describe, expect, it } from "vitest";
import cbr from "../../generated/cbr.openapi.json" with { type: "json" };
import vbs from "../../generated/vbs.openapi.json" with { type: "json" };
import { isSecretName, redactUrl } from "../../src/redact.js";

const SECRET = [
  // OTC AK/SK and temporary credentials
  "ak",
  "sk",
  "AK",
  "access_key",
  "accessKey",
  "AccessKeyId",
  "access-key-id",
  "secret_key",
  "SecretKey",
  "secretkey",
  "secret_access_key",
  "securitytoken",
  "security_token",
  "X-Security-Token",
  "x-auth-token",
  "X-Subject-Token",
  "token",
  "auth_token",
  // the usual names
  "password",
  "Passwd",
  "pwd",
  "pass",
  "secret",
  "client_secret",
  "signature",
  "Signature",
  "sig",
  "credential",
  "X-Amz-Credential",
  "X-Amz-Signature",
  "X-Amz-Security-Token",
  "api_key",
  "apikey",
  "API-KEY",
  "key",
  "private_key",
  "session_token",
  "access_token",
  "refresh_token",
  "id_token",
  "assertion",
  "SAMLResponse",
  "code",
  "authorization",
  "db_password",
  "my.api.key",
];
const KEPT = [
  "marker",
  "vault_id",
  "sort_key",
  "project_id",
  "limit",
  "offset",
  "name",
  "id",
  "resource_id",
  "keyword",
  "monkey",
  "status",
  "checkpoint_id",
];

describe("isSecretName", () => {
  it.each(SECRET)("%s is secret", (name) => expect(isSecretName(name)).toBe(true));
  it.each(KEPT)("%s is kept", (name) => expect(isSecretName(name)).toBe(false));

  it("keeps every query parameter the CBR and VBS specs define", () => {
    const names = new Set<string>();
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== "object") return;
      const parameter = node as { in?: unknown; name?: unknown };
      if (parameter.in === "query" && typeof parameter.name === "string") names.add(parameter.name);
      for (const value of Object.values(node)) walk(value);
    };
    walk(cbr);
    walk(vbs);
    expect(names.size).toBeGreaterThan(30);
    expect([...names].filter(isSecretName)).toEqual([]);
  });
});

describe("redactUrl", () => {
  it.each(SECRET)("replaces the value of %s, keeping the other parameters and their order", (name) => {
    const url = `https://cbr.eu-de.otc.t-systems.com/v3/p/vaults?limit=5&${encodeURIComponent(name)}=s3cr3t-value&marker=m1`;
    const redacted = redactUrl(url);
    expect(redacted).not.toContain("s3cr3t");
    expect(new URL(redacted).searchParams.get(name)).toBe("REDACTED");
    expect([...new URL(redacted).searchParams.keys()]).toEqual(["limit", name, "marker"]);
    expect(new URL(redacted).searchParams.get("marker")).toBe("m1");
  });

  it("finds names written with percent escapes", () => {
    expect(redactUrl("https://h/x?%74oken=s3cr3t&vault%5Fid=x")).toBe("https://h/x?token=REDACTED&vault_id=x");
    expect(redactUrl("https://h/x?a%5Fk=s3cr3t")).toBe("https://h/x?a_k=REDACTED");
    expect(redactUrl("https://h/x?s%6B=s3cr3t")).toBe("https://h/x?sk=REDACTED");
  });

  it("drops user info and fragments", () => {
    expect(redactUrl("https://user:pw@h/x")).toBe("https://h/x");
    expect(redactUrl("https://h/cb#access_token=s3cr3t&state=x")).toBe("https://h/cb");
    expect(redactUrl("https://h/x?marker=m#frag")).toBe("https://h/x?marker=m");
  });

  it("leaves URLs without secrets as they are", () => {
    const url = "https://cbr.eu-de.otc.t-systems.com/v3/p/vaults?limit=5&marker=m1&vault_id=v";
    expect(redactUrl(url)).toBe(url);
  });
});
