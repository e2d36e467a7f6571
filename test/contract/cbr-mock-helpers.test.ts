// The client's pager and waiters against the CBR mock. Prism serves the first example of each
// success response for every request, so these tests hold only if the examples answer like the
// service: a list's `count` equals its items (else the pager asks for the same page again) and
// the polled resources are in a settled status (else the waiters never end). The operations and
// the requests come from the generated tables and the spec's own examples, so a new list or
// x-async operation is covered without editing this file.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cbrOperations } from "../support/tables.js";
import {
  paginate,
  waitFor,
  waitForBackup,
  waitForCheckpoint,
  waitForTask,
  waitForVaultResources,
  type AsyncOperation,
  type CbrClient,
} from "../../src/index.js";
import { cbrClient, expectNoViolations } from "../support/contract.js";
import { advancingClock } from "../support/loopback.js";

type Json = Record<string, any>;
const spec: Json = JSON.parse(readFileSync(new URL("../../generated/cbr.openapi.json", import.meta.url), "utf8"));
// Waits run on a clock that moves only by them: no real time passes between polls.
const FAST = { clock: advancingClock(), maxWaitMs: 60_000 } as const;

function deref(node: Json): Json {
  let current = node;
  while (typeof current?.$ref === "string") {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((n: Json, key: string) => n[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
  }
  return current;
}

function operationOf(key: string): { method: string; path: string; op: Json; item: Json } {
  const [method, path] = key.split(" ") as [string, string];
  const item = spec.paths[path] as Json;
  return { method, path, op: item[method.toLowerCase()] as Json, item };
}

/** The value of the first named example of a request body or response content. */
function firstExample(content: Json | undefined): Json | undefined {
  const examples = Object.values<Json>(content?.["application/json"]?.examples ?? {});
  return examples.length > 0 ? (deref(examples[0]!).value as Json) : undefined;
}

/** Path parameters (other than project_id, which the client fills in) from their examples. */
function pathParams(item: Json, op: Json): Record<string, string> {
  const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref);
  return Object.fromEntries(params.filter((p) => p.in === "path" && p.name !== "project_id").map((p) => [p.name, String(p.example)]));
}

/** A parameter's example, for the waiters' IDs. */
function parameterExample(name: string): string {
  return String(deref({ $ref: `#/components/parameters/${name}` }).example);
}

// The loose form of the pager: paths come from the tables at run time, not from a literal.
const pageThrough = paginate as unknown as (client: CbrClient, path: string, init?: object) => AsyncGenerator<unknown, void, undefined>;
type Call = (path: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
interface Meta {
  operationId: string;
  pagination?: { items: string; total?: string };
  async?: { status: string; success: readonly string[] };
}

const table = cbrOperations as unknown as Record<string, Meta>;
const listOperations = Object.entries(table).filter(([, meta]) => meta.pagination);
const asyncOperations = Object.entries(table).filter(([, meta]) => meta.async);

describe("paginate against the mock", () => {
  it("covers the CBR list operations", () => {
    expect(listOperations.map(([, meta]) => meta.operationId).sort()).toEqual([
      "listBackups",
      "listOpLogs",
      "listVault",
      "showMembersDetail",
      "showVaultResourceInstances",
    ]);
  });

  it.each(listOperations.map(([key, meta]) => [meta.operationId, key] as const))(
    "%s ends and yields its example's items",
    async (_, key) => {
      const { path, op, item } = operationOf(key);
      const pagination = table[key]!.pagination!;
      const example = firstExample(deref(op.responses["200"]).content)!;
      const expected = example[pagination.items] as unknown[];
      expect(expected.length, "the example lists items").toBeGreaterThan(0);
      if (pagination.total) expect(example[pagination.total], "the example's total counts its items").toBe(expected.length);

      const body = op.requestBody ? { ...firstExample(deref(op.requestBody).content) } : undefined;
      if (body) for (const name of ["limit", "offset"]) delete body[name];
      const init = { params: { path: pathParams(item, op) }, ...(body ? { body } : {}) };
      const items: unknown[] = [];
      for await (const entry of pageThrough(cbrClient(), path, init)) items.push(entry);
      expect(items).toEqual(expected);
    },
  );
});

describe("waiters against the mock", () => {
  it("waitForBackup resolves with the available backup", async () => {
    const result = await waitForBackup(cbrClient(), parameterExample("BackupId"), FAST);
    expect(result.status).toBe("available");
  });

  it("waitForCheckpoint resolves with the available restore point", async () => {
    const result = await waitForCheckpoint(cbrClient(), parameterExample("CheckpointId"), FAST);
    expect(result.status).toBe("available");
  });

  it("waitForVaultResources resolves with the vault", async () => {
    const vaultId = parameterExample("VaultId");
    const result = await waitForVaultResources(cbrClient(), vaultId, FAST);
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("waitForTask resolves with the finished operation log (task)", async () => {
    const result = await waitForTask(cbrClient(), parameterExample("OpLogId"), FAST);
    expect(result.status).toBe("success");
  });

  // Deletions (x-async `gone: success`, no success status) end when the poll answers 404. A
  // stateless mock answers every poll with the same 200 example, so those waits cannot end here;
  // test/waiters/waiters.test.ts walks them to the 404 instead.
  const endsOnMock = asyncOperations.filter(([, meta]) => meta.async!.success.length > 0);

  it("leaves out only the deletions", () => {
    const skipped = asyncOperations.filter(([key]) => !endsOnMock.some(([k]) => k === key)).map(([, meta]) => meta.operationId);
    expect(skipped.sort()).toEqual(["deleteBackup", "deleteVault"]);
  });

  it.each(endsOnMock.map(([key, meta]) => [meta.operationId, key] as const))("waitFor(%s) resolves", async (_, key) => {
    const { method, path, op, item } = operationOf(key);
    const client = cbrClient();
    const call = (client as unknown as Record<string, Call>)[method]!;
    const body = op.requestBody ? firstExample(deref(op.requestBody).content) : undefined;
    const started = await call(path, { params: { path: pathParams(item, op) }, ...(body ? { body } : {}) });
    expect(started.response.ok).toBe(true);
    expectNoViolations(started.response);

    const { status: statusPath, success } = table[key]!.async!;
    const result = await waitFor(client, key as AsyncOperation<CbrClient>, started, FAST);
    const status = statusPath.split(".").reduce<unknown>((node, part) => (node as Json | undefined)?.[part], result);
    expect(success).toContain(status);
  });
});
