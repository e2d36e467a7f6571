// Every operation of both specs that needs credentials answers 401 without them, with the error
// body its spec documents for 401; the operations that allow anonymous calls (CBR's API versions)
// answer without one. One table over the bundled specs, so a new operation is covered as it lands.
import { describe, expect, it } from "vitest";
import { SpecValidator } from "../fidelity/schema-validator.js";
import { cbrClient, vbsClient } from "../support/contract.js";

type Call = (method: string, url: string, init: object) => Promise<{ error?: unknown; response: Response }>;
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

const rows = (["vbs", "cbr"] as const).flatMap((service) => {
  const validator = new SpecValidator(service, { closed: true });
  const spec = validator.spec;
  return Object.entries<Record<string, any>>(spec.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => {
      const op = item[m];
      const security: Array<Record<string, unknown>> = op.security ?? spec.security;
      return {
        name: `${service} ${op.operationId}`,
        service,
        validator,
        method: m.toUpperCase(),
        path,
        operationId: op.operationId as string,
        anonymous: security.some((requirement) => Object.keys(requirement).length === 0),
        hasBody: op.requestBody !== undefined,
      };
    }),
  );
});

describe("calls without credentials", () => {
  it("cover every operation of both specs", () => {
    // 76 reference pages; "Enabling or Disabling a Backup Policy" has no operation of its own.
    expect(rows.length).toBeGreaterThanOrEqual(75);
    expect(rows.filter((r) => r.anonymous).map((r) => r.name)).toEqual(["cbr listVersions", "cbr showVersion"]);
  });

  it.each(rows)("$name", async ({ service, validator, method, path, operationId, anonymous, hasBody }) => {
    const client = service === "vbs" ? vbsClient({ token: null }) : cbrClient({ token: null });
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).filter((n) => n !== "project_id");
    // The gateway checks credentials before anything else: placeholder values are enough.
    const init = {
      params: { path: Object.fromEntries(names.map((n) => [n, n === "api_version" ? "v3" : "x"])) },
      ...(hasBody ? { body: {} } : {}),
    };
    const { error, response } = await (client.request as unknown as Call)(method, path, init);
    if (anonymous) {
      expect(response.status).not.toBe(401);
      return;
    }
    expect(response.status).toBe(401);
    expect(validator.response(operationId, 401, error).problems).toEqual([]);
  });
});
