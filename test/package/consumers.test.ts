// Other generators and validators accept the bundled specs, in their OpenAPI 3.1 and 3.0 forms:
// scripts/check-consumers.mjs runs swagger-parser, Spectral (spectral:oas) and seven generators
// (openapi-typescript, @hey-api/openapi-ts, orval, swagger-typescript-api, oazapfts, @kubb/cli,
// openapi-zod-client) on generated/*.openapi{,-3.0}.json and compiles what they generate with
// tsc --strict; known, described failures must occur exactly as described.
// OTC_TEST_SPEC_DIR checks bundles from another folder.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

it("the bundled specs pass the validators and the generators, and the generated code compiles", () => {
  const args = [join(root, "scripts", "check-consumers.mjs")];
  if (process.env.OTC_TEST_SPEC_DIR) args.push("--specs", process.env.OTC_TEST_SPEC_DIR);
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  // Every generator ran on all four bundles.
  expect(result.stdout).toMatch(/openapi-zod-client 1\.18\.3 .*\n/);
}, 600_000);
