// Response headers of the VBS API: every answer carries the gateway's X-Request-Id (ERRATA X19),
// and the answers of the OpenStack-native backups API also carry the backend's
// X-Openstack-Request-Id (ERRATA VBS-NATIVE-REQUEST-ID). Checked in the bundled spec and on the
// Prism mock, which sends the declared headers with their examples.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectNoViolations, prefer, vbsClient } from "../support/contract.js";

type Json = Record<string, any>;
const spec: Json = JSON.parse(readFileSync(new URL("../../generated/vbs.openapi.json", import.meta.url), "utf8"));
const METHODS = ["get", "put", "post", "delete", "patch"];
const NATIVE = /^\/v[23]\/\{project_id\}\/backups/;
const BACKUP_ID = "1d1139d8-8989-49d3-8aa1-83eb691e6db2";

function deref(node: Json): Json {
  let current = node;
  while (typeof current.$ref === "string") {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((n: Json, key: string) => n[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
  }
  return current;
}

const operations = Object.entries(spec.paths as Json).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((method) => ({
    key: `${method.toUpperCase()} ${path}`,
    path,
    responses: item[method].responses as Json,
  })),
);

describe("declared response headers", () => {
  it("covers every operation", () => {
    expect(operations).toHaveLength(36);
  });

  it.each(operations.map((o) => [o.key, o] as const))("%s: on every status", (_, { path, responses }) => {
    const native = NATIVE.test(path);
    const missing = Object.entries(responses).flatMap(([status, response]) => {
      const names = Object.keys(deref(response).headers ?? {});
      const problems = names.includes("X-Request-Id") ? [] : [`${status} lacks X-Request-Id`];
      if (native !== names.includes("X-Openstack-Request-Id"))
        problems.push(`${status} ${native ? "lacks" : "has"} X-Openstack-Request-Id`);
      return problems;
    });
    expect(missing).toEqual([]);
  });
});

describe("the mock sends them", () => {
  it("on a vendor API success and error", async () => {
    const ok = await vbsClient().GET("/v2/{project_id}/cloudbackups/quota");
    expectNoViolations(ok.response);
    expect(ok.response.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    const notFound = await vbsClient().GET("/v1/{project_id}/jobs/{job_id}", {
      params: { path: { job_id: "4010b39b5281d3590152874bfa3b1604" } },
      headers: prefer({ code: 404 }),
    });
    expect(notFound.response.status).toBe(404);
    expect(notFound.response.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    expect(notFound.response.headers.get("x-openstack-request-id")).toBeNull();
  });

  it("on a native API success and error, with the backend's request ID", async () => {
    const ok = await vbsClient().GET("/v3/{project_id}/backups/{backup_id}", { params: { path: { backup_id: BACKUP_ID } } });
    expectNoViolations(ok.response);
    expect(ok.response.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    expect(ok.response.headers.get("x-openstack-request-id")).toMatch(/^req-[0-9a-f-]{36}$/);
    const notFound = await vbsClient().DELETE("/v3/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
      headers: prefer({ code: 404 }),
    });
    expect(notFound.response.status).toBe(404);
    expect(notFound.response.headers.get("x-openstack-request-id")).toMatch(/^req-/);
  });
});
