#!/usr/bin/env node
// Checks the npm package as users get it:
//   1. contents (npm pack --dry-run): everything the exports map, bin and types point at is in,
//      with the declaration maps and the sources they map to, and nothing else (no tests, spec
//      sources, scripts, build leftovers);
//   2. esbuild bundles each entry point (metafile only; `#` imports resolved as the runtime's
//      conditions resolve them): the browser entries (".", "./advanced", "./validate", and the fetch sender `#sender` gives browsers) import no Node
//      built-in and not `yaml`, the root and ./advanced bundle none of the validators, the compiled
//      validators hold no eval or new Function, and every package any entry imports is one of its
//      dependencies; the size of ./validate (minified, gzip) is reported;
//   3. publint (strict, down to suggestions) reports nothing;
//   4. @arethetypeswrong/cli (esm-only profile: the package is ESM and needs Node >= 20.19; the
//      .yaml specs are data files, not modules, so they are not type entry points), and
//      "typesVersions" maps every typed subpath of "exports" to the same declarations (TypeScript 5
//      with `module: commonjs` resolves like Node 10, which reads no "exports");
//   5. the packed tarball, unpacked into a scratch node_modules, imports and resolves by its
//      public names (otc-backup-api, /advanced, /node, /validate, the eight specs), loads with require() from CommonJS,
//      and its bin prints usage.
//
//   node scripts/check-package.mjs [--no-build]    (builds dist/ first unless --no-build)
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, posix, relative } from "node:path";
import * as esbuild from "esbuild";
import { root, scriptArgs } from "./project.mjs";

const { values: args } = scriptArgs("usage: node scripts/check-package.mjs [--no-build]", { "no-build": { type: "boolean" } });
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };
const results = [];

async function check(name, fn) {
  const start = performance.now();
  try {
    const detail = (await fn()) ?? "";
    results.push({ name, ok: true, ms: Math.round(performance.now() - start), detail });
  } catch (error) {
    results.push({
      name,
      ok: false,
      ms: Math.round(performance.now() - start),
      detail: error instanceof Error ? error.message : String(error),
    });
  }
}

if (!args["no-build"]) {
  await check("build", () => {
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
  // The guides the README links to.
  ...[
    "client",
    "authentication",
    "pagination",
    "waiters",
    "errors-retries-logging",
    "security",
    "mock",
    "specs",
    "checking-your-account",
  ].map((guide) => `docs/${guide}.md`),
  "spec/ERRATA.md",
  "spec/EXTENSIONS.md",
  "dist/generated/vbs.d.ts",
  "dist/generated/cbr.d.ts",
  "dist/generated/vbs.meta.js",
  "dist/generated/cbr.meta.js",
  "dist/generated/vbs.validators.js",
  "dist/generated/cbr.validators.js",
];
const FORBIDDEN = [
  [/^(test|scripts|\.ci|\.scratch|docs-site|test-results|node_modules)\//, "a test or tooling folder"],
  [/^spec\/(?!(ERRATA|EXTENSIONS)\.md$)/, "a spec source (the bundles are in generated/)"],
  [/^src\/.*(?<!\.ts)$/, "not a TypeScript source"],
  [/^generated\/(?!.*\.meta\.ts$).*\.ts$/, "generated/*.ts other than the metadata the declaration maps point at"],
  [/(^|\/)(tsconfig[^/]*\.json|vitest\.config\.[cm]?[jt]s|redocly\.yaml|\.npmrc|package-lock\.json)$/, "project configuration"],
  [/\.(tsbuildinfo|log|tgz)$|(?<!\.d\.ts)\.map$/, "a build leftover"],
  [/(^|\/)\.env/, "an env file"],
];

let files = [];
await check("npm pack contents", () => {
  const [report] = JSON.parse(
    execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: root,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  files = report.files.map((f) => f.path);
  const have = new Set(files);
  const problems = [];
  for (const target of targets)
    if (!target.includes("*") && !have.has(target.replace(/^\.\//, ""))) problems.push(`missing ${target} (named in package.json)`);
  for (const file of REQUIRED) if (!have.has(file)) problems.push(`missing ${file}`);
  for (const file of files) {
    if (file.startsWith("dist/src/") && file.endsWith(".js") && !have.has(file.replace(/\.js$/, ".d.ts")) && file !== "dist/src/cli.js") {
      problems.push(`${file} has no declaration file`);
    }
    // Declaration maps, and the sources they point at (editors jump there from the types).
    if (file.startsWith("dist/") && file.endsWith(".d.ts") && existsSync(join(root, `${file}.map`))) {
      if (!have.has(`${file}.map`)) problems.push(`${file}.map is missing`);
      const map = JSON.parse(readFileSync(join(root, `${file}.map`), "utf8"));
      for (const source of map.sources) {
        const target = posix.join(posix.dirname(file), map.sourceRoot ?? "", source);
        if (!have.has(target)) problems.push(`${file}.map points at ${target}, which is not packed`);
      }
    }
    for (const [pattern, what] of FORBIDDEN) if (pattern.test(file)) problems.push(`${file} should not be packed: ${what}`);
  }
  if (!files.some((f) => f.endsWith(".d.ts.map"))) problems.push("no declaration maps (tsconfig.build.json: declarationMap)");
  if (problems.length) throw new Error(problems.join("\n"));
  return `${report.entryCount} files, ${(report.size / 1024).toFixed(0)} kB packed, ${(report.unpackedSize / 1024).toFixed(0)} kB unpacked`;
});

/** A package.json "imports" specifier (`#name`) resolved to a file as a runtime with `conditions` resolves it. */
function subpathImport(specifier, conditions) {
  let target = pkg.imports?.[specifier];
  while (target && typeof target === "object") target = Object.entries(target).find(([condition]) => conditions.includes(condition))?.[1];
  if (typeof target !== "string") throw new Error(`package.json "imports" has no target for ${specifier} under ${conditions.join(", ")}`);
  return join(root, target);
}
const NODE = ["node", "import", "default"];
const BROWSER = ["browser", "import", "default"];

const isBuiltin = (s) => s.startsWith("node:") || builtinModules.includes(s.split("/")[0]);
const packageName = (s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]);
const runtimeDeps = new Set(Object.keys(pkg.dependencies ?? {}));

/**
 * What an entry point of dist/ imports from outside the package, by esbuild's metafile: every
 * module it bundles, and each import that stays external (packages and Node built-ins).
 */
function importsOf(entry, conditions) {
  const key = `${entry} ${conditions.join(",")}`;
  if (!bundled.has(key)) bundled.set(key, bundleImports(entry, conditions));
  return bundled.get(key);
}
/** importsOf's bundles by entry and conditions: the browser check and the dependency check share them. */
const bundled = new Map();

async function bundleImports(entry, conditions) {
  const { metafile } = await esbuild.build({
    entryPoints: [join(root, "dist", "src", entry)],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "neutral",
    packages: "external",
    external: ["node:*", ...builtinModules],
    logLevel: "silent",
    // `packages: "external"` would also keep the package's own `#` imports out of the bundle.
    plugins: [
      {
        name: "subpath-imports",
        setup: (build) => build.onResolve({ filter: /^#/ }, (args) => ({ path: subpathImport(args.path, conditions) })),
      },
    ],
  });
  const external = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imported of input.imports) if (imported.external) external.push({ file, specifier: imported.path });
  }
  return { modules: Object.keys(metafile.inputs).length, inputs: Object.keys(metafile.inputs), external };
}

// The fetch sender is what `#sender` gives browsers: checked on its own too, in case no entry imports it yet.
for (const entry of ["index.js", "advanced.js", "validate/index.js", "pipeline/senders/fetch.js"]) {
  await check(`browser entry ${entry} imports no Node built-in and not yaml`, async () => {
    const { modules, external } = await importsOf(entry, BROWSER);
    const bad = external
      .filter((e) => isBuiltin(e.specifier) || packageName(e.specifier) === "yaml")
      .map((e) => `${e.file} imports ${e.specifier}`);
    if (bad.length) throw new Error(`dist/src/${entry} must run in browsers:\n${bad.join("\n")}`);
    return `${modules} modules, external imports: ${[...new Set(external.map((e) => e.specifier))].join(", ") || "none"}`;
  });
}

// The validators are large: only `otc-backup-api/validate` (and the check command) may carry them.
await check("the root and ./advanced bundle no validators", async () => {
  const bad = [];
  for (const entry of ["index.js", "advanced.js"]) {
    for (const conditions of [BROWSER, NODE]) {
      for (const input of (await importsOf(entry, conditions)).inputs)
        if (/validators\.js$|\/validate\//.test(input)) bad.push(`${entry} bundles ${input}`);
    }
  }
  if (bad.length) throw new Error([...new Set(bad)].join("\n"));
  return "none";
});

await check("./validate: compiled validators without eval, size", async () => {
  for (const service of ["vbs", "cbr"]) {
    const code = readFileSync(join(root, "dist", "generated", `${service}.validators.js`), "utf8");
    if (/\bnew Function\b|\beval\(/.test(code)) throw new Error(`dist/generated/${service}.validators.js evaluates code at run time`);
  }
  const { outputFiles } = await esbuild.build({
    entryPoints: [join(root, "dist", "src", "validate", "index.js")],
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "neutral",
    packages: "external",
    logLevel: "silent",
  });
  const bytes = outputFiles[0].contents;
  const { gzipSync } = await import("node:zlib");
  return `${(bytes.length / 1024).toFixed(0)} kB minified, ${(gzipSync(bytes).length / 1024).toFixed(0)} kB gzip (both specs' validators)`;
});

await check("runtime imports are dependencies", async () => {
  const bad = [];
  for (const [entry, conditions] of [
    ["index.js", BROWSER],
    ["index.js", NODE],
    ["advanced.js", BROWSER],
    ["advanced.js", NODE],
    ["validate/index.js", BROWSER],
    ["node.js", NODE],
    ["fake/index.js", NODE],
    ["cli.js", NODE],
    ["cli/check.js", NODE],
  ]) {
    for (const e of (await importsOf(entry, conditions)).external) {
      if (!isBuiltin(e.specifier) && !runtimeDeps.has(packageName(e.specifier)))
        bad.push(`${e.file} imports ${e.specifier}, which is not in dependencies`);
    }
  }
  if (bad.length) throw new Error([...new Set(bad)].join("\n"));
  return `dependencies: ${[...runtimeDeps].join(", ")}`;
});

await check("typesVersions matches the typed subpaths of exports", () => {
  const typed = Object.entries(pkg.exports).filter(([key, target]) => key !== "." && typeof target === "object" && target.types);
  const mapped = pkg.typesVersions?.["*"] ?? {};
  const problems = typed
    .filter(([key, target]) => JSON.stringify(mapped[key.replace(/^\.\//, "")]) !== JSON.stringify([target.types]))
    .map(([key, target]) => `"typesVersions": { "*": { "${key.replace(/^\.\//, "")}": ["${target.types}"] } } is missing`);
  for (const key of Object.keys(mapped))
    if (!typed.some(([k]) => k === `./${key}`)) problems.push(`typesVersions maps "${key}", which "exports" has no typed subpath for`);
  if (problems.length) throw new Error(problems.join("\n"));
  return typed.map(([key]) => key).join(", ");
});

await check("publint (strict, suggestions included)", async () => {
  const { publint } = await import("publint");
  const { formatMessage } = await import("publint/utils");
  const { messages } = await publint({ pkgDir: root, level: "suggestion", strict: true, pack: "npm" });
  if (messages.length) throw new Error(messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`).join("\n"));
  return "no messages";
});

const work = mkdtempSync(join(tmpdir(), "otc-package-"));
try {
  let tarball = "";
  await check("npm pack", () => {
    const [report] = JSON.parse(
      execFileSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", work], {
        cwd: root,
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    tarball = join(work, report.filename);
  });

  if (tarball) {
    await check("@arethetypeswrong/cli (esm-only profile)", () => {
      const attw = join(dirname(require.resolve("@arethetypeswrong/cli/package.json")), "dist", "index.js");
      const args = [attw, tarball, "--profile", "esm-only", "--no-definitely-typed", "--format", "ascii", "--no-emoji", "--no-color"];
      const yaml = Object.keys(pkg.exports).filter((k) => k.endsWith(".yaml"));
      if (yaml.length) args.push("--exclude-entrypoints", ...yaml);
      const r = spawnSync(process.execPath, args, { cwd: work, env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${r.stdout}${r.stderr}`);
      return "no problems";
    });

    await check("installed package resolves by its public names", () => {
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
const advanced = await import("otc-backup-api/advanced");
if (typeof advanced.signRequest !== "function") throw new Error("otc-backup-api/advanced does not export signRequest");
const validate = await import("otc-backup-api/validate");
if (validate.validateResponse("cbr", "showVault", 418, {}).length !== 1) throw new Error("otc-backup-api/validate does not validate");
for (const s of ["vbs", "cbr"]) {
  for (const [form, version] of [["openapi", "3.1"], ["openapi-3.0", "3.0"]]) {
    const { default: spec } = await import("otc-backup-api/" + s + "." + form + ".json", { with: { type: "json" } });
    if (!String(spec.openapi).startsWith(version)) throw new Error(s + "." + form + ".json is not OpenAPI " + version);
    createRequire(import.meta.url).resolve("otc-backup-api/" + s + "." + form + ".yaml");
    import.meta.resolve("otc-backup-api/" + s + "." + form + ".yaml");
  }
}
console.log(Object.keys(main).length + " exports from otc-backup-api, " + Object.keys(advanced).length + " from otc-backup-api/advanced, " + Object.keys(node).length + " from otc-backup-api/node");
`,
      );
      const out = execFileSync(process.execPath, [probe], {
        cwd: join(work, "consumer"),
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }).trim();
      // From CommonJS: require() of the ESM entries (Node >= 20.19 loads ES modules without
      // top-level await synchronously) and of the JSON specs.
      const cjs = join(work, "consumer", "probe.cjs");
      writeFileSync(
        cjs,
        `const main = require("otc-backup-api");
if (typeof main.createCbrClient !== "function") throw new Error("require('otc-backup-api') has no createCbrClient");
const node = require("otc-backup-api/node");
if (typeof node.loadClientOptions !== "function") throw new Error("require('otc-backup-api/node') has no loadClientOptions");
if (typeof require("otc-backup-api/advanced").signRequest !== "function") throw new Error("require('otc-backup-api/advanced') has no signRequest");
if (typeof require("otc-backup-api/validate").validationMiddleware !== "function") throw new Error("require('otc-backup-api/validate') has no validationMiddleware");
if (!require("otc-backup-api/cbr.openapi.json").openapi.startsWith("3.1")) throw new Error("cbr.openapi.json");
if (!require("otc-backup-api/vbs.openapi-3.0.json").openapi.startsWith("3.0")) throw new Error("vbs.openapi-3.0.json");
`,
      );
      const required = spawnSync(process.execPath, [cjs], { cwd: join(work, "consumer"), env, encoding: "utf8" });
      if (required.status !== 0) throw new Error(`require() from CommonJS failed on Node ${process.version}:\n${required.stderr}`);
      const warned = /ExperimentalWarning/.test(required.stderr) ? " (with Node's ExperimentalWarning)" : "";
      // The bin, as npm links it.
      const bin = join(installed, pkg.bin["otc-backup-api"]);
      const usage = spawnSync(process.execPath, [bin, "--help"], { cwd: join(work, "consumer"), env, encoding: "utf8" });
      if (usage.status !== 0 || !usage.stdout.includes("otc-backup-api mock"))
        throw new Error(`otc-backup-api --help failed:\n${usage.stdout}${usage.stderr}`);
      return `${out}; require() works on Node ${process.version}${warned}; bin works`;
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
