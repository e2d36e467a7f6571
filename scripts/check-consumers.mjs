#!/usr/bin/env node
// Feeds the bundled specs to the tools other people will feed them to, and fails on the first
// complaint of any of them:
//   @apidevtools/swagger-parser  validate (OpenAPI 3.1 meta-schema + structural checks)
//   @stoplight/spectral-cli      lint with spectral:oas (errors and warnings fail; info is listed)
//   openapi-typescript           types          ┐
//   @hey-api/openapi-ts          fetch client   ├ generated into a temp dir, then compiled
//   orval                        fetch client   ┘ together by tsc --strict
// Generator warnings about the input count as failures too: a spec that makes a generator warn
// is a spec that somebody's pipeline will choke on.
//
//   node scripts/check-consumers.mjs [--specs DIR] [--keep]
//     --specs DIR  read DIR/{vbs,cbr}.openapi.json instead of generated/
//     --keep       keep the temp dir with the generated code (its path is printed)
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const argAfter = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const specDir = resolve(argAfter("--specs") ?? join(root, "generated"));
const keep = process.argv.includes("--keep");
const SERVICES = ["vbs", "cbr"];
const specOf = (service) => join(specDir, `${service}.openapi.json`);

const bin = {
  spectral: require.resolve("@stoplight/spectral-cli/dist/index.js"),
  heyApi: join(dirname(require.resolve("@hey-api/openapi-ts/package.json")), "bin", "run.js"),
  orval: join(dirname(require.resolve("orval")), "bin", "orval.js"), // orval -> dist/index.js
  tsc: require.resolve("typescript/bin/tsc"),
};
const childEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", DO_NOT_TRACK: "1", SCARF_ANALYTICS: "false", CI: "true" };

const work = mkdtempSync(join(tmpdir(), "otc-consumers-"));
const results = []; // { check, ok, ms, detail }

/** Runs `node file args` in `cwd`; resolves with exit code and combined output. */
function run(file, args, cwd) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [file, ...args], { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code, signal) => resolvePromise({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function check(name, fn) {
  const start = performance.now();
  let ok = false;
  let detail = "";
  try {
    detail = (await fn()) ?? "";
    ok = true;
  } catch (error) {
    detail = error instanceof Error ? error.message : String(error);
  }
  results.push({ check: name, ok, ms: Math.round(performance.now() - start), detail: detail.trim() });
}

/** At most `limit` checks at a time (the CI machine has 2 cores). */
async function pool(tasks, limit) {
  const queue = [...tasks];
  await Promise.all(Array.from({ length: limit }, async () => {
    while (queue.length) await queue.shift()();
  }));
}

// Lines in a generator's output that complain about the input (orval prints spec validation
// failures as warnings and still exits 0; hey-api logs "warn"/"error").
const complaints = (output) => /⚠|\bwarn(ing)?\b|\berror\b|failed|invalid/i.test(output);

const swaggerParser = (service) => async () => {
  const { default: SwaggerParser } = await import("@apidevtools/swagger-parser");
  // validate() dereferences in place; give it its own copy.
  await SwaggerParser.validate(JSON.parse(readFileSync(specOf(service), "utf8")));
  return "valid";
};

const spectral = async () => {
  const ruleset = join(work, ".spectral.json");
  const report = join(work, "spectral.json");
  writeFileSync(ruleset, JSON.stringify({ extends: ["spectral:oas"] }));
  const { code, output } = await run(bin.spectral, ["lint", ...SERVICES.map(specOf), "--ruleset", ruleset, "-f", "json", "-o", report, "--fail-severity", "warn", "-q"], work);
  let findings;
  try {
    findings = JSON.parse(readFileSync(report, "utf8"));
  } catch {
    throw new Error(`spectral produced no report (exit ${code}):\n${output}`);
  }
  const SEVERITY = ["error", "warning", "info", "hint"];
  const lines = findings.map(
    (f) => `${relative(specDir, f.source ?? "")}:${(f.range?.start?.line ?? 0) + 1} ${SEVERITY[f.severity]} ${f.code} ${f.message} (${(f.path ?? []).join(".")})`,
  );
  const serious = findings.filter((f) => f.severity <= 1).length;
  if (serious > 0 || code !== 0) throw new Error(`${serious} error(s) or warning(s):\n${lines.join("\n")}`);
  return findings.length ? `0 errors or warnings, ${findings.length} info/hint(s):\n${lines.join("\n")}` : "no findings";
};

const openapiTypescript = (service) => async () => {
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const ast = await openapiTS(JSON.parse(readFileSync(specOf(service), "utf8")), { rootTypes: true, rootTypesNoSchemaPrefix: true });
  mkdirSync(join(work, "openapi-typescript"), { recursive: true });
  writeFileSync(join(work, "openapi-typescript", `${service}.ts`), astToString(ast));
  return "generated";
};

const heyApi = (service) => async () => {
  const { code, output } = await run(bin.heyApi, ["-i", specOf(service), "-o", join("hey-api", service), "-c", "@hey-api/client-fetch", "--no-log-file"], work);
  if (code !== 0 || complaints(output)) throw new Error(`exit ${code}\n${output}`);
  return "generated";
};

const orval = (service) => async () => {
  const { code, output } = await run(bin.orval, ["-i", specOf(service), "-o", join("orval", service, "api.ts"), "--client", "fetch"], work);
  if (code !== 0 || complaints(output)) throw new Error(`exit ${code}\n${output}`);
  return "generated";
};

// Strict, consumer-style compile of everything the generators wrote; no skipLibCheck so that
// nothing generated escapes checking. Resolution and libs as in a browser/bundler project.
const compile = async () => {
  symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");
  writeFileSync(
    join(work, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      include: ["openapi-typescript/**/*.ts", "hey-api/**/*.ts", "orval/**/*.ts"],
    }),
  );
  const { code, output } = await run(bin.tsc, ["-p", "tsconfig.json", "--pretty", "false"], work);
  if (code !== 0) throw new Error(output);
  return "compiles";
};

const start = performance.now();
try {
  for (const service of SERVICES) readFileSync(specOf(service)); // fail early and clearly if a bundle is missing
  const tasks = [() => check("spectral spectral:oas (both)", spectral)];
  for (const service of SERVICES) {
    tasks.push(
      () => check(`swagger-parser validate ${service}`, swaggerParser(service)),
      () => check(`openapi-typescript ${service}`, openapiTypescript(service)),
      () => check(`@hey-api/openapi-ts ${service}`, heyApi(service)),
      () => check(`orval ${service}`, orval(service)),
    );
  }
  await pool(tasks, 2);
  if (results.some((r) => r.check.startsWith("openapi-typescript") || r.check.startsWith("@hey-api") || r.check.startsWith("orval"))) {
    await check("tsc --strict (generated code)", compile);
  }
} finally {
  if (keep) console.log(`generated code kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const order = (r) => ["swagger", "spectral", "openapi-typescript", "@hey-api", "orval", "tsc"].findIndex((p) => r.check.startsWith(p));
results.sort((a, b) => order(a) - order(b) || a.check.localeCompare(b.check));
for (const r of results) {
  console.log(`${r.ok ? "ok  " : "FAIL"} ${r.check.padEnd(34)} ${String(r.ms).padStart(6)} ms`);
  if (r.detail && (!r.ok || r.detail.includes("\n"))) console.log(r.detail.replace(/^/gm, "       "));
}
const failed = results.filter((r) => !r.ok);
console.log(`consumer checks: ${results.length - failed.length} passed, ${failed.length} failed in ${Math.round(performance.now() - start)} ms (specs from ${relative(process.cwd(), specDir) || "."})`);
process.exit(failed.length ? 1 : 0);
