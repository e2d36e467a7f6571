// Other generators and validators accept the bundled specs: scripts/check-consumers.mjs runs
// swagger-parser, Spectral (spectral:oas), openapi-typescript, @hey-api/openapi-ts and orval on
// generated/*.openapi.json and compiles what they generate with tsc --strict.
// OTC_TEST_SPEC_DIR checks bundles from another folder.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

it("the bundled specs pass swagger-parser, Spectral, openapi-typescript, hey-api and orval, and the generated code compiles", () => {
  const args = [join(root, "scripts", "check-consumers.mjs")];
  if (process.env.OTC_TEST_SPEC_DIR) args.push("--specs", process.env.OTC_TEST_SPEC_DIR);
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
}, 240_000);
