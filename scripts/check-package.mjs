#!/usr/bin/env node
// Checks the npm package as users get it:
//   1. contents (npm pack --dry-run): everything the exports map, bin and types point at is in,
//      and nothing else (no sources, tests, specs' sources, scripts, build leftovers);
//   2. the browser entry (".") and everything it imports (`#` imports as browsers resolve them)
//      uses no Node built-in, and every runtime import of the package is one of its dependencies;
//   3. publint (strict, down to suggestions) reports nothing;
//   4. @arethetypeswrong/cli (esm-only profile: the package is ESM-only and needs Node >= 20.19;
//      the .yaml specs are data files, not modules, so they are not type entry points);
//   5. the packed tarball, unpacked into a scratch node_modules, imports and resolves by its
//      public names (otc-backup-api, /node, the four specs) and its bin prints usage.
//
//   node scripts/check-package.mjs [--no-build]    (builds dist/ first unless --no-build)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };
const results = [];

function check(name, fn) {
  const start = performance.now();
  try {
    const detail = fn() ?? "";
    results.push({ name, ok: true, ms: Math.round(performance.now() - start), detail });
  } catch (error) {
    results.push({ name, ok: false, ms: Math.round(performance.now() - start), detail: error instanceof Error ? error.message : String(error) });
  }
}
async function checkAsync(name, fn) {
  const start = performance.now();
  try {
    const detail = (await fn()) ?? "";
    results.push({ name, ok: true, ms: Math.round(performance.now() - start), detail });
  } catch (error) {
    results.push({ name, ok: false, ms: Math.round(performance.now() - start), detail: error instanceof Error ? error.message : String(error) });
  }
}

if (!process.argv.includes("--no-build")) {
  check("build", () => {
    execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "pipe", env });
  });
}

// Every file the package.json points at.
const targets = new Set();
(function collect(value) {
  if (typeof value === "string") targets.add(posix.normalize(value));
  else if (value && typeof value === "object") Object.values(value).forEach(collect);
})([pkg.exports, pkg.bin, pkg.main, pkg.types]);

const REQUIRED = [
  "package.json",
  "README.md",
  "CHANGELOG.md",
  "dist/generated/vbs.d.ts",
  "dist/generated/cbr.d.ts",
  "dist/generated/vbs.meta.js",
  "dist/generated/cbr.meta.js",
];
const FORBIDDEN = [
  [/^(src|test|spec|scripts|\.ci|\.scratch|docs-site|test-results|node_modules)\//, "a source, test or tooling folder"],
  [/^generated\/.*\.(ts|d\.ts)$/, "generated/*.ts outside dist/ (dist/generated has what the declarations import)"],
  [/(^|\/)(tsconfig[^/]*\.json|vitest\.config\.[cm]?[jt]s|redocly\.yaml|\.npmrc|package-lock\.json)$/, "project configuration"],
  [/\.(tsbuildinfo|log|map|tgz)$/, "a build leftover"],
  [/(^|\/)\.env/, "an env file"],
];

let files = [];
check("npm pack contents", () => {
  const [report] = JSON.parse(execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
  files = report.files.map((f) => f.path);
  const have = new Set(files);
  const problems = [];
  for (const target of targets) if (!target.includes("*") && !have.has(target.replace(/^\.\//, ""))) problems.push(`missing ${target} (named in package.json)`);
  for (const file of REQUIRED) if (!have.has(file)) problems.push(`missing ${file}`);
  for (const file of files) {
    if (file.startsWith("dist/src/") && file.endsWith(".js") && !have.has(file.replace(/\.js$/, ".d.ts")) && file !== "dist/src/cli.js") {
      problems.push(`${file} has no declaration file`);
    }
    for (const [pattern, what] of FORBIDDEN) if (pattern.test(file)) problems.push(`${file} should not be packed: ${what}`);
  }
  if (problems.length) throw new Error(problems.join("\n"));
  return `${report.entryCount} files, ${(report.size / 1024).toFixed(0)} kB packed, ${(report.unpackedSize / 1024).toFixed(0)} kB unpacked`;
});

/** Static and dynamic import specifiers of an ES module, comments and strings outside imports ignored well enough for tsc output. */
function importsOf(file) {
  const source = readFileSync(file, "utf8");
  const specifiers = [];
  const pattern = /(?:^|[;\s])(?:import|export)\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/gm;
  for (const match of source.matchAll(pattern)) specifiers.push(match[1] ?? match[2]);
  return specifiers;
}

/** A package.json "imports" specifier (`#name`) resolved to a file as a runtime with `conditions` resolves it. */
function subpathImport(specifier, conditions) {
  let target = pkg.imports?.[specifier];
  while (target && typeof target === "object") target = Object.entries(target).find(([condition]) => conditions.includes(condition))?.[1];
  if (typeof target !== "string") throw new Error(`package.json "imports" has no target for ${specifier} under ${conditions.join(", ")}`);
  return join(root, target);
}
const NODE = ["node", "import", "default"];
const BROWSER = ["browser", "import", "default"];

/** Walks the relative and `#` import graph from `entry`; returns the bare and built-in specifiers found, by file. */
function walk(entry, conditions) {
  const seen = new Set();
  const external = [];
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith(".")) queue.push(resolve(dirname(file), specifier));
      else if (specifier.startsWith("#")) queue.push(subpathImport(specifier, conditions));
      else external.push({ file: file.slice(root.length + 1), specifier });
    }
  }
  return { files: seen.size, external };
}

const isBuiltin = (s) => s.startsWith("node:") || builtinModules.includes(s.split("/")[0]);
const packageName = (s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]);
const runtimeDeps = new Set(Object.keys(pkg.dependencies ?? {}));

check("browser entry uses no Node built-ins", () => {
  const { files: count, external } = walk(join(root, "dist", "src", "index.js"), BROWSER);
  const bad = external.filter((e) => isBuiltin(e.specifier)).map((e) => `${e.file} imports ${e.specifier}`);
  if (bad.length) throw new Error(`dist/src/index.js must run in browsers:\n${bad.join("\n")}`);
  return `${count} modules, external imports: ${[...new Set(external.map((e) => e.specifier))].join(", ") || "none"}`;
});

check("runtime imports are dependencies", () => {
  const bad = [];
  for (const [entry, conditions] of [["index.js", BROWSER], ["index.js", NODE], ["node.js", NODE], ["cli.js", NODE]]) {
    for (const e of walk(join(root, "dist", "src", entry), conditions).external) {
      if (!isBuiltin(e.specifier) && !runtimeDeps.has(packageName(e.specifier))) bad.push(`${e.file} imports ${e.specifier}, which is not in dependencies`);
    }
  }
  if (bad.length) throw new Error([...new Set(bad)].join("\n"));
  return `dependencies: ${[...runtimeDeps].join(", ")}`;
});

await checkAsync("publint (strict, suggestions included)", async () => {
  const { publint } = await import("publint");
  const { formatMessage } = await import("publint/utils");
  const { messages } = await publint({ pkgDir: root, level: "suggestion", strict: true, pack: "npm" });
  if (messages.length) throw new Error(messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`).join("\n"));
  return "no messages";
});

const work = mkdtempSync(join(tmpdir(), "otc-package-"));
try {
  let tarball = "";
  check("npm pack", () => {
    const [report] = JSON.parse(execFileSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
    tarball = join(work, report.filename);
  });

  if (tarball) {
    check("@arethetypeswrong/cli (esm-only profile)", () => {
      const attw = join(dirname(require.resolve("@arethetypeswrong/cli/package.json")), "dist", "index.js");
      const args = [attw, tarball, "--profile", "esm-only", "--no-definitely-typed", "--format", "ascii", "--no-emoji", "--no-color"];
      const yaml = Object.keys(pkg.exports).filter((k) => k.endsWith(".yaml"));
      if (yaml.length) args.push("--exclude-entrypoints", ...yaml);
      const r = spawnSync(process.execPath, args, { cwd: work, env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${r.stdout}${r.stderr}`);
      return "no problems";
    });

    check("installed package resolves by its public names", () => {
      // Unpack like npm would into node_modules/otc-backup-api; its dependencies come from ours.
      const modules = join(work, "consumer", "node_modules");
      const installed = join(modules, pkg.name);
      mkdirSync(installed, { recursive: true });
      execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components", "1"]);
      for (const dep of runtimeDeps) {
        mkdirSync(dirname(join(modules, dep)), { recursive: true });
        symlinkSync(join(root, "node_modules", dep), join(modules, dep), "dir");
      }
      const probe = join(work, "consumer", "probe.mjs");
      writeFileSync(
        probe,
        `import { createRequire } from "node:module";
const main = await import("otc-backup-api");
for (const name of ["createVbsClient", "createCbrClient", "staticTokenAuth"]) if (typeof main[name] !== "function") throw new Error("otc-backup-api does not export " + name);
const node = await import("otc-backup-api/node");
if (Object.keys(node).length === 0) throw new Error("otc-backup-api/node exports nothing");
for (const s of ["vbs", "cbr"]) {
  const { default: spec } = await import("otc-backup-api/" + s + ".openapi.json", { with: { type: "json" } });
  if (!String(spec.openapi).startsWith("3.1")) throw new Error(s + ".openapi.json is not OpenAPI 3.1");
  createRequire(import.meta.url).resolve("otc-backup-api/" + s + ".openapi.yaml");
  import.meta.resolve("otc-backup-api/" + s + ".openapi.yaml");
}
console.log(Object.keys(main).length + " exports from otc-backup-api, " + Object.keys(node).length + " from otc-backup-api/node");
`,
      );
      const out = execFileSync(process.execPath, [probe], { cwd: join(work, "consumer"), env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
      // The bin, as npm links it, without Prism installed next to it: it must explain itself.
      const bin = join(installed, pkg.bin["otc-backup-api"]);
      const usage = spawnSync(process.execPath, [bin, "--help"], { cwd: join(work, "consumer"), env, encoding: "utf8" });
      if (usage.status !== 0 || !usage.stdout.includes("otc-backup-api mock")) throw new Error(`otc-backup-api --help failed:\n${usage.stdout}${usage.stderr}`);
      // Prism is an optional peer and absent here: `mock` must say how to get it.
      const mock = spawnSync(process.execPath, [bin, "mock", "cbr", "--port", "9"], { cwd: join(work, "consumer"), env: { ...env, NODE_PATH: "" }, encoding: "utf8", timeout: 30_000 });
      if (mock.status !== 1 || !mock.stderr.includes("npm install --save-dev @stoplight/prism-cli@")) {
        throw new Error(`otc-backup-api mock without Prism should exit 1 with an install hint, got ${mock.status}:\n${mock.stdout}${mock.stderr}`);
      }
      return `${out}; bin works`;
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

for (const r of results) {
  console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(46)} ${String(r.ms).padStart(6)} ms${r.ok && r.detail ? `  ${r.detail}` : ""}`);
  if (!r.ok) console.log(r.detail.replace(/^/gm, "       "));
}
const failed = results.filter((r) => !r.ok).length;
console.log(`package checks: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
