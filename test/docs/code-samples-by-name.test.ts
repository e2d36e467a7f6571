// The docs pages' second TypeScript sample of each operation (scripts/code-samples.mjs): the call
// by operation name, next to the call by path, compiles as shown against this package's sources
// and calls the operation by its operationId with the same parameters and body.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { codeSamples } from "../../scripts/code-samples.mjs";
import { typecheckModules } from "./typecheck-modules.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

const operations = (["vbs", "cbr"] as const).flatMap((service) => {
  const doc = JSON.parse(readFileSync(join(root, "generated", `${service}.openapi.json`), "utf8")) as {
    paths: Record<string, Record<string, { operationId: string }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => {
      const operation = item[method]!;
      const samples = codeSamples(doc, service, path, method, operation);
      return { where: `${service} ${operation.operationId}`, service, operationId: operation.operationId, samples };
    }),
  );
});

let errors = new Map<string, string[]>();
beforeAll(() => {
  errors = typecheckModules(operations.map((op) => ({ where: op.where, code: op.samples[1]!.source })));
}, 120_000);

describe("docs code samples by operation name", () => {
  it("cover every operation of both specs", () => {
    expect(operations.length).toBeGreaterThan(70);
  });

  it("compile together with nothing else failing", () => {
    expect(errors.get("(elsewhere)") ?? []).toEqual([]);
  });

  it.each(operations.map((op) => [op.where, op] as const))("%s: next to the call by path, compiles, same arguments", (where, op) => {
    const [byPath, byName] = op.samples;
    expect(op.samples.map((s) => s.label)).toEqual(["TypeScript", "TypeScript (by name)", "curl"]);
    expect(byName!.lang).toBe("TypeScript");
    expect(byName!.source).toContain(`const { data, error } = await ${op.service}.${op.operationId}(`);
    expect(errors.get(where) ?? [], byName!.source).toEqual([]);
    // The same client, and the same values: every literal of the call by path is in the call by name.
    const [setup, call] = byPath!.source.split("const { data, error }");
    expect(byName!.source.startsWith(setup!)).toBe(true);
    for (const literal of call!.match(/"[^"]*"|\b\d+\b/g)!.filter((l) => !l.startsWith('"/')))
      expect(byName!.source, literal).toContain(literal);
  });
});
