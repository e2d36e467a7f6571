// The OpenAPI 3.0 form of the bundles (scripts/openapi-30.mjs): each 3.1 construct the specs use,
// or may use, comes out as valid 3.0.
import { describe, expect, it } from "vitest";
import { toOpenApi30 } from "../../scripts/openapi-30.mjs";

/** A 3.1 document whose only schema is `schema`; returns that schema's 3.0 form. */
function convert(schema: Record<string, unknown>) {
  const doc = {
    openapi: "3.1.0",
    info: { title: "t", version: "1", summary: "one line", license: { name: "Apache-2.0", identifier: "Apache-2.0" } },
    paths: {},
    components: { schemas: { Other: { type: "object" }, S: schema } },
  };
  const out = toOpenApi30(doc) as { openapi: string; info: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
  return { out, schema: out.components.schemas.S as Record<string, unknown> };
}

describe("toOpenApi30", () => {
  it("writes 3.0.3 with no info.summary and a license URL for the SPDX identifier", () => {
    const { out } = convert({ type: "string" });
    expect(out.openapi).toBe("3.0.3");
    expect(out.info).toEqual({
      title: "t",
      version: "1",
      license: { name: "Apache-2.0", url: "https://spdx.org/licenses/Apache-2.0.html" },
    });
  });

  it("turns a nullable type into nullable, and several types into anyOf", () => {
    expect(convert({ type: ["string", "null"] }).schema).toEqual({ type: "string", nullable: true });
    expect(convert({ type: ["integer", "string"], description: "d" }).schema).toEqual({
      description: "d",
      anyOf: [{ type: "integer" }, { type: "string" }],
    });
    expect(convert({ type: ["boolean", "string", "null"] }).schema).toEqual({
      anyOf: [
        { type: "boolean", nullable: true },
        { type: "string", nullable: true },
      ],
    });
  });

  it("turns a null branch of anyOf into nullable", () => {
    expect(convert({ anyOf: [{ type: "array", items: { type: "string" } }, { type: "null" }], description: "d" }).schema).toEqual({
      type: "array",
      items: { type: "string" },
      description: "d",
      nullable: true,
    });
    // 3.0 ignores `nullable` without `type`: a nullable reference states its target's type.
    expect(convert({ anyOf: [{ $ref: "#/components/schemas/Other" }, { type: "null" }] }).schema).toEqual({
      allOf: [{ $ref: "#/components/schemas/Other" }],
      type: "object",
      nullable: true,
    });
    expect(convert({ anyOf: [{ type: "string", enum: ["a", "b"] }, { type: "null" }] }).schema).toEqual({
      type: "string",
      enum: ["a", "b"],
      nullable: true,
    });
    expect(convert({ oneOf: [{ type: "integer" }, { type: "string" }, { type: "null" }] }).schema).toEqual({
      oneOf: [
        { type: "integer", nullable: true },
        { type: "string", nullable: true },
      ],
    });
  });

  it("drops if/then but keeps a property named like a keyword", () => {
    const { schema } = convert({
      type: "object",
      properties: { if: { type: "string" }, status: { type: "string" } },
      if: { properties: { status: { const: "accepted" } } },
      then: { required: ["vault_id"] },
    });
    expect(schema).toEqual({ type: "object", properties: { if: { type: "string" }, status: { type: "string" } } });
  });

  it("leaves examples and vendor extensions as written", () => {
    const { schema } = convert({ type: "object", example: { type: ["a", "b"] }, "x-open-enum": true, default: { if: 1 } });
    expect(schema).toEqual({ type: "object", example: { type: ["a", "b"] }, "x-open-enum": true, default: { if: 1 } });
  });

  it("leaves const, examples and $ref siblings to the down-converter (enum, example, allOf)", () => {
    expect(convert({ type: "integer", const: -1 }).schema).toEqual({ type: "integer", enum: [-1] });
    expect(convert({ type: "string", examples: ["a", "b"] }).schema).toEqual({ type: "string", example: "a" });
    expect(convert({ $ref: "#/components/schemas/Other", description: "d" }).schema).toEqual({
      description: "d",
      allOf: [{ $ref: "#/components/schemas/Other" }],
    });
  });
});
