// The bundled specs against the operation inventory (test/fixtures/operations.json, one entry per
// page of the two official API references) and the conventions of spec/README.md.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface InventoryEntry {
  service: "vbs" | "cbr";
  title: string;
  method: string | null;
  path: string | null;
  deprecated: boolean;
  pagination: string;
  request_body_root: unknown;
  success_status: number[];
  error_status: number[];
  tag: string;
}
type Json = Record<string, any>;

const inventory: InventoryEntry[] = JSON.parse(readFileSync(new URL("../fixtures/operations.json", import.meta.url), "utf8"));
const specs: Record<string, Json> = {
  vbs: JSON.parse(readFileSync(new URL("../../generated/vbs.openapi.json", import.meta.url), "utf8")),
  cbr: JSON.parse(readFileSync(new URL("../../generated/cbr.openapi.json", import.meta.url), "utf8")),
};
const METHODS = ["get", "put", "post", "delete", "patch"];

function operations(service: string) {
  const spec = specs[service]!;
  return Object.entries(spec.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
  );
}
/**
 * The reference section an operation sits in: its one tag, or, where the document groups finer
 * tags with x-tagGroups (Redoc's sidebar sections), the group holding that tag.
 */
function sectionOf(spec: Json, op: Json): string | undefined {
  const tag = (op.tags as string[] | undefined)?.[0];
  const groups = spec["x-tagGroups"] as { name: string; tags: string[] }[] | undefined;
  if (!groups || tag === undefined) return tag;
  return groups.find((g) => g.tags.includes(tag))?.name;
}
/** Follows a local $ref inside the bundle. */
function deref(spec: Json, node: Json): Json {
  let current = node;
  while (current && typeof current.$ref === "string") {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((n: Json, key: string) => n[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
  }
  return current;
}

describe("coverage of the official references", () => {
  it("has the number of pages the inventory lists", () => {
    expect(inventory.filter((e) => e.service === "vbs")).toHaveLength(37);
    expect(inventory.filter((e) => e.service === "cbr")).toHaveLength(39);
    expect(operations("vbs")).toHaveLength(36);
    expect(operations("cbr")).toHaveLength(39);
  });

  it.each(inventory.filter((e) => e.path !== null).map((e) => [`${e.service} ${e.method} ${e.path}`, e] as const))(
    "%s is described as documented",
    (_, entry) => {
      const spec = specs[entry.service]!;
      const op = spec.paths[entry.path!]?.[entry.method!.toLowerCase()];
      expect(op, "operation missing").toBeDefined();
      expect(op.summary).toBe(entry.title);
      expect(op.tags, "one tag").toHaveLength(1);
      expect(sectionOf(spec, op), "the reference's section").toBe(entry.tag);
      expect(Boolean(op.deprecated)).toBe(entry.deprecated);
      for (const status of entry.success_status) expect(Object.keys(op.responses)).toContain(String(status));
      for (const status of entry.error_status) expect(Object.keys(op.responses), `error ${status}`).toContain(String(status));
      if (entry.pagination !== "none") expect(op["x-pagination"], "x-pagination").toBeDefined();
      if (entry.request_body_root !== null) expect(op.requestBody, "request body").toBeDefined();
    },
  );

  it("describes the enable/disable page on the modify operation", () => {
    const op = specs.vbs!.paths["/v2/{project_id}/backuppolicy/{policy_id}"].put;
    expect(op.description).toMatch(/enabl/i);
    const examples = Object.keys(deref(specs.vbs!, op.requestBody).content["application/json"].examples);
    expect(examples).toEqual(expect.arrayContaining(["enable", "disable"]));
  });
});

describe.each(["vbs", "cbr"])("%s conventions", (service) => {
  const spec = specs[service]!;
  it("groups its tags completely when it uses x-tagGroups (Redoc hides tags outside every group)", () => {
    const groups = spec["x-tagGroups"] as { name: string; tags: string[] }[] | undefined;
    if (!groups) return;
    const grouped = groups.flatMap((g) => g.tags);
    const declared = (spec.tags as { name: string }[]).map((t) => t.name);
    expect(new Set(grouped).size, "a tag in two groups").toBe(grouped.length);
    expect(grouped, "the sidebar order is the tags' order").toEqual(declared);
    for (const { op } of operations(service)) expect(grouped).toContain(op.tags[0]);
  });
  it.each(operations(service).map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))("%s", (_, { op }) => {
    expect(op.operationId).toMatch(/^[a-z]+[A-Za-z0-9]*$/);
    expect(op.summary?.length).toBeGreaterThan(0);
    expect(op.description?.length).toBeGreaterThan(0);
    const statuses = Object.keys(op.responses);
    expect(
      statuses.some((s) => /^4\d\d$/.test(s)),
      "a 4xx response",
    ).toBe(true);
    const success = statuses.filter((s) => /^[23]\d\d$/.test(s));
    expect(success.length).toBeGreaterThan(0);
    for (const status of success) {
      const content = deref(spec, op.responses[status]).content?.["application/json"];
      if (!content) continue; // 202/204 without a body
      expect(content.schema, `${status} schema`).toBeDefined();
      expect(Object.keys(content.examples ?? {}).length, `${status} named example`).toBeGreaterThan(0);
    }
    if (op.requestBody) {
      const content = deref(spec, op.requestBody).content["application/json"];
      expect(content.schema.$ref, "named request schema").toMatch(/^#\/components\/schemas\//);
      expect(Object.keys(content.examples ?? {}).length, "named request example").toBeGreaterThan(0);
    }
  });
});

it("never repeats an operationId across the two APIs", () => {
  const ids = ["vbs", "cbr"].flatMap((s) => operations(s).map((o) => o.op.operationId));
  expect(new Set(ids).size).toBe(ids.length);
});
