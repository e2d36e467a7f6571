#!/usr/bin/env node
// Compiles src/ (and the generated metadata) to dist/, with declaration maps, and copies what tsc
// does not emit: the generated .d.ts types that the compiled declarations import, and the compiled
// validators of `otc-backup-api/validate`.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { root, scriptArgs } from "./project.mjs";

scriptArgs("usage: node scripts/build.mjs", {});
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit", cwd: root });
mkdirSync(join(dist, "generated"), { recursive: true });
for (const name of readdirSync(join(root, "generated"))) {
  // The compiled validators are JavaScript already (scripts/validators.mjs): copied beside their types.
  if (name.endsWith(".d.ts") || name.endsWith(".validators.js")) copyFileSync(join(root, "generated", name), join(dist, "generated", name));
}
console.log("built dist/");
