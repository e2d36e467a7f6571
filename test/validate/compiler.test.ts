// The generator of the compiled validators (scripts/validators.mjs) on a small spec that uses
// every JSON Schema 2020-12 feature the validators must honour, beyond those the bundled specs
// use today: type arrays with null, const, oneOf, anyOf, if/then, formats, $ref, vendor
// extensions (ignored), x-open-enum (a notice), objects closed only where the spec is silent.
import { describe, expect, it } from "vitest";
import { validatorsModule } from "../../scripts/validators.mjs";

const spec = {
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: {
    "/things/{id}": {
      get: {
        operationId: "showThing",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": {
            description: "ok",
            headers: { "X-Request-Id": { required: true, schema: { type: "string", minLength: 4 } } },
            content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: "object",
        required: ["id", "kind"],
        "x-vendor-note": { anything: true },
        properties: {
          id: { type: "string", format: "uuid", description: "not compiled" },
          kind: { const: "thing" },
          size: { type: ["integer", "null"], minimum: 0 },
          state: { type: "string", enum: ["on", "off"], "x-open-enum": true },
          shape: { oneOf: [{ type: "string", pattern: "^round$" }, { type: "integer" }] },
          mode: { type: "string", enum: ["a", "b"] },
          extra: { type: "object", additionalProperties: { type: "string" } },
          colour: { type: "string" },
        },
        if: { properties: { colour: { const: "red" } }, required: ["colour"] },
        then: { required: ["size"] },
      },
    },
  },
};

type Compiled = { validators: ((this: unknown, data: unknown) => boolean)[] & { errors?: unknown }; operations: Record<string, any> };

async function compile(): Promise<Compiled> {
  const code = await validatorsModule("test", spec);
  expect(code).not.toMatch(/\bnew Function\b|\beval\(/);
  // Self-contained: a module loaded from a data: URL can import nothing (Ajv's helpers are bundled).
  expect(code).not.toMatch(/^import\b|\bfrom\s*["']/m);
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

describe("compiled validators: JSON Schema 2020-12 semantics", async () => {
  const { validators, operations } = await compile();
  const op = operations.showThing;
  const run = (data: unknown) => {
    const validate = validators[op.responses["200"].body] as any;
    const context = { notices: [] as unknown[] };
    const valid = validate.call(context, data);
    return { valid, errors: (validate.errors ?? []).map((e: any) => `${e.instancePath} ${e.keyword}`), notices: context.notices };
  };
  const ok = { id: "4f1c2e7a-9b3d-4c8e-a1f2-6d5e4c3b2a19", kind: "thing" };

  it("accepts the minimal valid body, ignoring vendor extensions", () => {
    expect(run(ok)).toEqual({ valid: true, errors: [], notices: [] });
  });

  it("type arrays with null, const, format", () => {
    expect(run({ ...ok, size: null }).valid).toBe(true);
    expect(run({ ...ok, size: "1" }).errors).toEqual(["/size type"]);
    expect(run({ ...ok, kind: "other" }).errors).toEqual(["/kind const"]);
    expect(run({ ...ok, id: "x" }).errors).toEqual(["/id format"]);
  });

  it("oneOf: exactly one branch", () => {
    expect(run({ ...ok, shape: "round" }).valid).toBe(true);
    expect(run({ ...ok, shape: 3 }).valid).toBe(true);
    expect(run({ ...ok, shape: true }).errors).toContain("/shape oneOf");
  });

  it("if/then", () => {
    expect(run({ ...ok, colour: "red" }).errors).toContain(" required");
    expect(run({ ...ok, colour: "red", size: 1 }).valid).toBe(true);
    expect(run({ ...ok, colour: "blue" }).valid).toBe(true);
  });

  it("x-open-enum: an unlisted value is a notice, a listed one nothing; a closed enum fails", () => {
    expect(run({ ...ok, state: "on" })).toEqual({ valid: true, errors: [], notices: [] });
    expect(run({ ...ok, state: "dimmed" })).toEqual({
      valid: true,
      errors: [],
      notices: [{ instancePath: "/state", listed: ["on", "off"], value: "dimmed" }],
    });
    expect(run({ ...ok, mode: "c" }).errors).toEqual(["/mode enum"]);
  });

  it("objects are closed where the spec is silent, open where it says so", () => {
    expect(run({ ...ok, unknown: 1 }).errors).toEqual([" unevaluatedProperties"]);
    expect(run({ ...ok, extra: { anything: "goes" } }).valid).toBe(true);
    expect(run({ ...ok, extra: { anything: 1 } }).errors).toEqual(["/extra/anything type"]);
  });

  it("declared response headers and path parameters are in the table", () => {
    expect(op.responses["200"].headers).toEqual([["x-request-id", true, expect.any(Number)]]);
    expect(op.request.parameters).toEqual([["path", "id", true, expect.any(Number), "string"]]);
  });
});
