#!/usr/bin/env node
// Fails when generated/ is not what scripts/generate.mjs makes from spec/ now, i.e. someone
// changed the spec without regenerating, or edited a generated file by hand. Covers every file
// in generated/: the 3.1 bundles, their 3.0 form, the types and the metadata.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, scriptArgs } from "./project.mjs";

scriptArgs("usage: node scripts/check-generated.mjs", {});
const committed = join(root, "generated");
const fresh = mkdtempSync(join(tmpdir(), "otc-check-generated-"));
try {
  execFileSync(process.execPath, [join(root, "scripts", "generate.mjs"), "--out", fresh], { stdio: "inherit" });
  const names = new Set([...readdirSync(committed), ...readdirSync(fresh)]);
  const stale = [...names].filter((name) => {
    try {
      return !readFileSync(join(committed, name)).equals(readFileSync(join(fresh, name)));
    } catch {
      return true; // present on one side only
    }
  });
  if (stale.length) {
    console.error(`generated/ is stale (${stale.join(", ")}): run \`npm run generate\` and commit the result.`);
    process.exit(1);
  }
  console.log(`generated/ is up to date (${names.size} files).`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
