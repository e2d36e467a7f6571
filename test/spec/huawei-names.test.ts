// CBR's operationIds are the method names of Huawei's official SDK (CbrClient) for the same HTTP
// method and path, so code written against that SDK finds its calls under the same names. The
// table (test/fixtures/huawei-cbr-methods.json) was read from CbrClient; each operation without
// a CbrClient method carries its reason, and docs/client.md lists those exceptions.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface Entry {
  operation: string;
  operationId: string;
  huawei: string | null;
  reason?: string;
}
const table: { operations: Entry[] } = JSON.parse(readFileSync(new URL("../fixtures/huawei-cbr-methods.json", import.meta.url), "utf8"));
const spec = JSON.parse(readFileSync(new URL("../../generated/cbr.openapi.json", import.meta.url), "utf8"));
const clientGuide = readFileSync(new URL("../../docs/client.md", import.meta.url), "utf8");
const METHODS = ["get", "put", "post", "delete", "patch"];

const specOperations = new Map<string, string>(
  Object.entries(spec.paths as Record<string, Record<string, { operationId: string }>>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => [`${m.toUpperCase()} ${path}`, item[m]!.operationId] as const),
  ),
);

describe("CBR operationIds against Huawei's CbrClient", () => {
  it("the table has one entry per operation of the bundled spec", () => {
    expect(table.operations.map((e) => e.operation).sort()).toEqual([...specOperations.keys()].sort());
  });

  it.each(table.operations.filter((e) => e.huawei !== null))("$operation is $huawei, as in CbrClient", (entry) => {
    expect(specOperations.get(entry.operation)).toBe(entry.huawei);
  });

  it.each(table.operations.filter((e) => e.huawei === null))(
    "$operation has no CbrClient method: $operationId, with a reason and listed in docs/client.md",
    (entry) => {
      expect(specOperations.get(entry.operation)).toBe(entry.operationId);
      expect(entry.reason).toBeTruthy();
      expect(clientGuide).toContain(`\`${entry.operationId}\``);
    },
  );
});
