// validationMiddleware on a client of this package against a loopback service: the caller still
// reads the body, and the modes warn, throw and collect do what they say.
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { paths } from "../../generated/cbr.js";
import { createCbrClient, staticTokenAuth } from "../../src/index.js";
import { ResponseValidationError, validationMiddleware, type SchemaIssue } from "../../src/validate/index.js";
import { PROJECT_ID, TOKEN } from "../support/constants.js";
import { sendJson, startLoopback, type Loopback } from "../support/loopback.js";

const VAULT = {
  id: "2b076f26-391f-40fa-bf71-a798940faccf",
  name: "vault-1",
  resources: [],
  project_id: "0605767b5780d5762fc5c0118072a564",
  billing: {
    allocated: 0,
    charging_mode: "post_paid",
    consistent_level: "crash_consistent",
    protect_type: "backup",
    size: 40,
    spec_code: "vault.backup.server.normal",
    status: "available",
    used: 0,
  },
};

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback((req, res) => {
    if (req.url.pathname.endsWith("/wrong")) return sendJson(res, 200, { vault: { ...VAULT, id: 7 } });
    if (req.url.pathname.endsWith("/new-status"))
      return sendJson(res, 200, { vault: { ...VAULT, billing: { ...VAULT.billing, status: "hibernating" } } });
    return sendJson(res, 200, { vault: VAULT });
  });
});
afterAll(() => server.close());

function client(middleware: ReturnType<typeof validationMiddleware>) {
  const cbr = createCbrClient({ endpoint: server.url, projectId: PROJECT_ID, auth: staticTokenAuth(TOKEN) });
  cbr.use(middleware);
  return (vaultId: string) => cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: vaultId } } });
}

describe("validationMiddleware", () => {
  it("collect: the caller reads the body, the issues are collected", async () => {
    const seen: SchemaIssue[][] = [];
    const middleware = validationMiddleware({ mode: "collect", service: "cbr", onIssue: (issues) => seen.push(issues) });
    const get = client(middleware);
    const ok = await get("fine");
    expect(ok.data?.vault.name).toBe("vault-1");
    const wrong = await get("wrong");
    expect(wrong.data?.vault.id).toBe(7);
    expect(middleware.issues).toEqual([
      {
        operationId: "showVault",
        status: 200,
        issues: [expect.objectContaining({ pointer: "/vault/id", keyword: "type", actual: "integer" })],
      },
    ]);
    expect(seen).toHaveLength(1);
  });

  it("throw: the call rejects on errors, never on notices", async () => {
    const get = client(validationMiddleware({ mode: "throw" }));
    await expect(get("wrong")).rejects.toThrow(ResponseValidationError);
    await expect(get("wrong")).rejects.toThrow(
      /showVault 200: the response disagrees with the spec: \/vault\/id expected string, got integer/,
    );
    expect((await get("new-status")).data?.vault.billing.status).toBe("hibernating");
  });

  it("warn (default): one console.warn per answer with errors", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const get = client(validationMiddleware());
      await get("wrong");
      await get("fine");
      await get("new-status");
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/showVault 200/);
    } finally {
      warn.mockRestore();
    }
  });

  it("on a plain openapi-fetch client, reads a clone and leaves the body to the caller", async () => {
    const middleware = validationMiddleware({ mode: "collect", service: "cbr" });
    const plain = createClient<paths>({ baseUrl: server.url });
    plain.use(middleware);
    const { data } = await plain.GET("/v3/{project_id}/vaults/{vault_id}", {
      params: { path: { project_id: PROJECT_ID, vault_id: "wrong" } },
    });
    expect(data?.vault.id).toBe(7);
    expect(middleware.issues[0]?.issues[0]).toMatchObject({ pointer: "/vault/id", keyword: "type" });
  });

  it("refuses a wrong mode or service", () => {
    expect(() => validationMiddleware({ mode: "loud" as never })).toThrow(/`mode` must be/);
    expect(() => validationMiddleware({ service: "ebs" as never })).toThrow(/`service` must be/);
  });
});
