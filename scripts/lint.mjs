#!/usr/bin/env node
// Lints both specs with the rules in redocly.yaml, and the OpenAPI 3.0 bundles derived from them
// (generated/*.openapi-3.0.json, linted as 3.0 with the same rules); any error or warning fails.
// Totals come from Redocly's JSON report, one run per document.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { redocly, root, scriptArgs, SERVICES } from "./project.mjs";

scriptArgs("usage: node scripts/lint.mjs", {});
const targets = [
  ...SERVICES.map((api) => ({ name: `${api} (spec/${api})`, args: [api] })),
  ...SERVICES.map((api) => join(root, "generated", `${api}.openapi-3.0.json`))
    .filter((file) => existsSync(file))
    .map((file) => ({ name: relative(root, file), args: [file] })),
];

let failed = false;
for (const { name, args } of targets) {
  const { status, stdout, stderr } = redocly(["lint", ...args, "--format", "json", "--max-problems", "200"], { check: false });
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    console.error(`${name}: redocly lint gave no JSON report (exit ${status}):\n${stdout}${stderr}`);
    failed = true;
    continue;
  }
  const { errors, warnings } = report.totals;
  console.log(`${name}: ${errors} errors, ${warnings} warnings`);
  for (const p of report.problems) {
    const where = p.location?.[0];
    console.log(
      `  ${p.severity} ${p.ruleId}: ${p.message} (${where ? `${relative(root, where.source?.ref ?? "") || "?"} ${where.pointer}` : "?"})`,
    );
  }
  if (errors + warnings > 0 || status !== 0) failed = true;
}
if (failed) {
  console.error("redocly lint: problems found (warnings count as failures)");
  process.exit(1);
}
