// The compiled validators of `otc-backup-api/validate`: JSON Schema 2020-12 as the specs use it,
// open enums and undeclared properties as notices, statuses and headers, requests, and agreement
// with Ajv run on the bundled spec over the evidence corpus.
import { describe, expect, it } from "vitest";
import { validateRequest, validateResponse, type SchemaIssue } from "../../src/validate/index.js";
import { loadCorpus } from "../fidelity/corpus.js";
import { SpecValidator } from "../fidelity/schema-validator.js";

const VAULT_ID = "a335f9e1-1628-4c64-a7be-38656e5ec19c";
const errors = (issues: SchemaIssue[]) => issues.filter((i) => !i.notice);

function vault(overrides: Record<string, unknown> = {}) {
  return {
    id: VAULT_ID,
    name: "vault-1",
    project_id: "0605767b5780d5762fc5c0118072a564",
    provider_id: "0daac4c5-6707-4851-97ba-169e36266b66",
    resources: [
      { id: "23a320a5-3efd-4568-b1aa-8dd9183cc64c", name: "ecs-1", type: "OS::Nova::Server", protect_status: "available", size: 40 },
    ],
    billing: {
      allocated: 0,
      charging_mode: "post_paid",
      cloud_type: "public",
      consistent_level: "crash_consistent",
      object_type: "server",
      protect_type: "backup",
      spec_code: "vault.backup.server.normal",
      size: 100,
      status: "available",
      used: 0,
    },
    tags: [],
    created_at: "2020-09-04T06:57:37.344+00:00",
    ...overrides,
  };
}

describe("responses", () => {
  it("accepts a conforming body", () => {
    expect(validateResponse("cbr", "showVault", 200, { vault: vault() })).toEqual([]);
  });

  it("reports a wrong type with the JSON type that came and the scalar value", () => {
    const issues = validateResponse("cbr", "showVault", 200, { vault: vault({ resources: [{ ...vault().resources[0], size: "40" }] }) });
    expect(issues).toEqual([
      { pointer: "/vault/resources/0/size", keyword: "type", expected: "integer or null", actual: "string", value: "40" },
    ]);
  });

  it("type arrays with null: null passes where the spec allows it, fails where it does not", () => {
    expect(validateResponse("cbr", "showVault", 200, { vault: vault({ resources: [{ ...vault().resources[0], size: null }] }) })).toEqual(
      [],
    );
    const issues = validateResponse("cbr", "showVault", 200, { vault: vault({ id: null }) });
    expect(errors(issues).map((i) => [i.pointer, i.keyword, i.actual])).toEqual([["/vault/id", "type", "null"]]);
  });

  it("reports a missing required property at its own pointer", () => {
    const { id: _, ...withoutId } = vault();
    expect(validateResponse("cbr", "showVault", 200, { vault: withoutId })).toEqual([
      { pointer: "/vault/id", keyword: "required", expected: "a required property", actual: "missing" },
    ]);
  });

  it("formats: a response id that is no UUID", () => {
    const issues = validateResponse("cbr", "showVault", 200, { vault: vault({ id: "not-a-uuid" }) });
    expect(issues).toEqual([{ pointer: "/vault/id", keyword: "format", expected: "format uuid", actual: "string", value: "not-a-uuid" }]);
  });

  it("anyOf: one issue naming the alternatives, not one per branch", () => {
    const issues = validateResponse("cbr", "showVault", 200, {
      vault: vault({ resources: [{ ...vault().resources[0], protect_status: 7 }] }),
    });
    expect(issues).toEqual([
      { pointer: "/vault/resources/0/protect_status", keyword: "anyOf", expected: "string or null", actual: "integer", value: 7 },
    ]);
  });

  it("an open enum's unknown value is a notice, a closed enum's an error", () => {
    const open = validateResponse("cbr", "showVault", 200, {
      vault: vault({ resources: [{ ...vault().resources[0], protect_status: "hibernating" }] }),
    });
    expect(open).toEqual([
      expect.objectContaining({ pointer: "/vault/resources/0/protect_status", keyword: "x-open-enum", value: "hibernating", notice: true }),
    ]);
    const closed = validateResponse("cbr", "showVault", 200, {
      vault: vault({ resources: [{ ...vault().resources[0], type: "OS::Nova::Teapot" }] }),
    });
    expect(closed).toEqual([
      expect.objectContaining({ pointer: "/vault/resources/0/type", keyword: "enum", actual: "string", value: "OS::Nova::Teapot" }),
    ]);
    expect(closed[0]?.notice).toBeUndefined();
  });

  it("a property the spec does not declare is a notice", () => {
    const issues = validateResponse("cbr", "showVault", 200, { vault: vault({ colour: "blue" }) });
    expect(issues).toEqual([
      {
        pointer: "/vault/colour",
        keyword: "unevaluatedProperties",
        expected: "no such property",
        actual: "string",
        value: "blue",
        notice: true,
      },
    ]);
  });

  it("a status the operation does not document", () => {
    expect(validateResponse("cbr", "showVault", 418, {})).toEqual([
      expect.objectContaining({ pointer: "", keyword: "status", actual: "status 418", value: 418 }),
    ]);
  });

  it("an error status validates against its error schema", () => {
    expect(validateResponse("cbr", "showVault", 404, { error_code: "BackupService.6302", error_msg: "not found" })).toEqual([]);
    expect(errors(validateResponse("cbr", "showVault", 404, { error_code: 6302, error_msg: "not found" }))).toEqual([
      expect.objectContaining({ pointer: "/error_code", keyword: "type" }),
    ]);
  });

  it("a 204 has no body", () => {
    expect(validateResponse("cbr", "deleteVault", 204, undefined)).toEqual([]);
    expect(validateResponse("cbr", "deleteVault", 204, { surprise: true })).toEqual([
      expect.objectContaining({ keyword: "body", expected: "no body", actual: "object" }),
    ]);
  });

  it("headers the spec declares, when given", () => {
    const ok = validateResponse(
      "cbr",
      "showVault",
      200,
      { vault: vault() },
      new Headers({ "X-Request-Id": "1b1c6e0fd1de4ba4a0ffa6ef1bb6a2c5" }),
    );
    expect(ok).toEqual([]);
  });

  it("refuses an operation the spec lacks", () => {
    expect(() => validateResponse("cbr", "listTeapots", 200, {})).toThrow(/cbr has no operation `listTeapots`/);
  });
});

describe("requests", () => {
  it("if/then and const: vault_id is required when accepting a share", () => {
    const path = { project_id: "0605767b5780d5762fc5c0118072a564", backup_id: VAULT_ID, member_id: "0605767b5780d5762fc5c0118072a564" };
    expect(validateRequest("cbr", "updateMemberStatus", { path, body: { status: "rejected" } })).toEqual([]);
    expect(errors(validateRequest("cbr", "updateMemberStatus", { path, body: { status: "accepted" } }))).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: "/vault_id", keyword: "required" })]),
    );
    // The condition holds with other properties beside `status` too (the generator never closes an `if`).
    expect(errors(validateRequest("cbr", "updateMemberStatus", { path, body: { status: "accepted", note: "x" } }))).toEqual([
      expect.objectContaining({ pointer: "/vault_id", keyword: "required" }),
    ]);
    expect(validateRequest("cbr", "updateMemberStatus", { path, body: { status: "accepted", vault_id: VAULT_ID } })).toEqual([]);
  });

  it("query values are read as the types their schemas declare", () => {
    expect(validateRequest("cbr", "listVault", { path: { project_id: "p" }, query: new URLSearchParams("limit=10&offset=0") })).toEqual([]);
    expect(validateRequest("cbr", "listVault", { path: { project_id: "p" }, query: { limit: "ten" } })).toEqual([
      expect.objectContaining({ pointer: "query:limit", keyword: "type" }),
    ]);
    expect(validateRequest("cbr", "listVault", { path: { project_id: "p" }, query: { colour: "blue" } })).toEqual([
      expect.objectContaining({ pointer: "query:colour", keyword: "parameter" }),
    ]);
  });

  it("a missing path parameter and a missing body", () => {
    expect(validateRequest("cbr", "createVault", {})).toEqual([
      expect.objectContaining({ pointer: "path:project_id", keyword: "required" }),
      expect.objectContaining({ pointer: "", keyword: "body", actual: "missing" }),
    ]);
  });
});

// The compiled validators must say what Ajv says on the bundled spec: every accepted response of
// the evidence corpus passes both (notices aside), every rejected one fails both.
describe("agreement with Ajv on the bundled spec", () => {
  for (const service of ["cbr", "vbs"] as const) {
    const reference = new SpecValidator(service);
    const responses = loadCorpus(service).filter((e) => e.kind === "response");
    it(`${service}: ${responses.length} responses of the evidence corpus`, () => {
      for (const entry of responses) {
        const expected = reference.response(entry.operationId, entry.status ?? 0, entry.payload).valid;
        const issues = errors(validateResponse(service, entry.operationId, entry.status ?? 0, entry.payload));
        expect({ id: entry.id, valid: issues.length === 0, issues }).toEqual({
          id: entry.id,
          valid: expected,
          issues: expected ? [] : issues,
        });
      }
    });
  }
});
