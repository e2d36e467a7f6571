// The shape checks of `npm run generate` for x-read-only: only `true`, only on a POST.
import { describe, expect, it } from "vitest";
import { validateExtensions } from "../../scripts/extensions.mjs";

describe("x-read-only", () => {
  it("is accepted as true on a POST", () => {
    expect(() =>
      validateExtensions("cbr", {
        "POST /v3/{project_id}/vault/resource_instances/action": { operationId: "showVaultResourceInstances", readOnly: true },
      }),
    ).not.toThrow();
  });

  it("fails generation when it is not true, or sits on another method", () => {
    expect(() => validateExtensions("cbr", { "POST /x": { operationId: "a", readOnly: "yes" } })).toThrow(/x-read-only must be true/);
    expect(() => validateExtensions("cbr", { "GET /x": { operationId: "a", readOnly: true } })).toThrow(/x-read-only belongs on a POST/);
    expect(() => validateExtensions("cbr", { "DELETE /x": { operationId: "a", readOnly: true } })).toThrow(/x-read-only belongs on a POST/);
  });
});
