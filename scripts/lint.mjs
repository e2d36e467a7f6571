#!/usr/bin/env node
// Lints both specs with the rules in redocly.yaml; any error or warning fails.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const result = spawnSync(process.execPath, [join(root, "node_modules/@redocly/cli/bin/cli.js"), "lint", "--format", "stylish", "--max-problems", "200"], {
  cwd: root,
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  encoding: "utf8",
});
// Drop Redocly's Node 20 end-of-support banner; keep the findings.
const output = `${result.stdout}${result.stderr}`.split("\n").filter((line) => !/[║╔╚]/.test(line)).join("\n").trim();
const clean = result.status === 0 && !/warning/i.test(output.replace(/0 warnings?/gi, ""));
console.log(output);
if (!clean) {
  console.error("redocly lint: problems found (warnings count as failures)");
  process.exit(1);
}
