// The code samples of the docs pages (scripts/code-samples.mjs): every operation's TypeScript
// sample compiles as shown, against this package's sources, and its curl sample sends the
// operation's method to its path on the eu-de host with the token, and the body of the first
// request example.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { codeSamples } from "../../scripts/code-samples.mjs";
import { typecheckModules } from "./typecheck-modules.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

interface Operation {
  operationId: string;
  requestBody?: unknown;
}

const operations = (["vbs", "cbr"] as const).flatMap((service) => {
  const doc = JSON.parse(readFileSync(join(root, "generated", `${service}.openapi.json`), "utf8")) as {
    paths: Record<string, Record<string, Operation>>;
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => {
      const operation = item[method]!;
      const [typescript, , curl] = codeSamples(doc, service, path, method, operation);
      return {
        where: `${service} ${operation.operationId}`,
        service,
        method: method.toUpperCase(),
        path,
        operation,
        typescript: typescript!,
        curl: curl!,
      };
    }),
  );
});

let errors = new Map<string, string[]>();
beforeAll(() => {
  errors = typecheckModules(operations.map((op) => ({ where: op.where, code: op.typescript.source })));
}, 120_000);

describe("docs code samples", () => {
  it("cover every operation of both specs", () => {
    expect(operations.length).toBeGreaterThan(70);
  });

  it("compile together with nothing else failing", () => {
    expect(errors.get("(elsewhere)") ?? []).toEqual([]);
  });

  it.each(operations.map((op) => [op.where, op] as const))("%s: TypeScript compiles, curl sends the request", (where, op) => {
    expect(op.typescript.lang).toBe("TypeScript");
    expect(op.typescript.source).toContain(`${op.service}.${op.method}(${JSON.stringify(op.path)}`);
    expect(errors.get(where) ?? [], op.typescript.source).toEqual([]);

    expect(op.curl.lang).toBe("curl");
    const firstLine = op.curl.source.split("\n")[0]!;
    expect(firstLine).toMatch(op.method === "GET" ? /^curl "/ : new RegExp(`^curl -X ${op.method} "`));
    expect(firstLine).toContain(
      `https://${op.service}.eu-de.otc.t-systems.com${op.path.replace("{project_id}", "$OS_PROJECT_ID").split("{")[0]}`,
    );
    expect(firstLine).not.toMatch(/\{\w+\}/); // every path parameter has a value
    expect(op.curl.source).toContain(`-H "X-Auth-Token: $OS_TOKEN"`);
    expect(op.curl.source.includes("-d '"), "a body exactly when the operation takes one").toBe(op.operation.requestBody !== undefined);
  });
});
