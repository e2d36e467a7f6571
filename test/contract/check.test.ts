// `otc-backup-api check` against the Prism mocks of both bundled specs: the mocks answer from the
// specs themselves, so every answer must conform (0 disagreements, exit status 0).
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { checkCommand } from "../../src/cli/check.js";
import { PROJECT_ID, TOKEN } from "../support/constants.js";

describe("check against the Prism mocks", () => {
  it("reports 0 disagreements for both services and exits 0", async () => {
    const env = {
      OS_AUTH_TOKEN: TOKEN,
      OS_PROJECT_ID: PROJECT_ID,
      OS_CBR_ENDPOINT_OVERRIDE: inject("cbrMockUrl"),
      OS_VBS_ENDPOINT_OVERRIDE: inject("vbsMockUrl"),
    };
    let out = "";
    let err = "";
    const status = await checkCommand([], { out: (t) => (out += t), err: (t) => (err += t), env, isTTY: false });
    expect(err).toBe("");
    expect(out).toMatch(/All \d+ answers conform to the spec/);
    expect(out).toMatch(/cbr showVault /);
    expect(out).toMatch(/vbs showNativeBackup /);
    expect(status).toBe(0);
  });
});
