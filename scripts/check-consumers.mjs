#!/usr/bin/env node
// Feeds the bundled specs, in their OpenAPI 3.1 and 3.0 forms, to the tools other people will
// feed them to, and fails on any complaint:
//   @apidevtools/swagger-parser  validate (each spec against its own OpenAPI version)
//   @stoplight/spectral-cli      lint with spectral:oas (errors and warnings fail; info is listed)
//   the generators in GENERATORS  each generates from each spec into a temp dir; then one
//                                 tsc --strict compiles all the generated code, and every error
//                                 is charged to the generator and spec whose output it is in.
// Generator warnings about the input count as failures too: a spec that makes a generator warn
// is a spec that somebody's pipeline will choke on. A failure that is a generator's own bug is
// listed in KNOWN_LIMITATIONS (and in docs/specs.md) and must occur exactly as described: a known
// failure that no longer happens, or fails differently, fails the check.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { toOpenApi30 } from "./openapi-30.mjs";
import { root, scriptArgs, SERVICES } from "./project.mjs";

const USAGE = `usage: node scripts/check-consumers.mjs [--specs DIR] [--only NAME]... [--keep]

  --specs DIR   read DIR/{vbs,cbr}.openapi.json (and .openapi-3.0.json, derived when missing)
                instead of generated/
  --only NAME   run only this generator (repeatable); validators always run
  --keep        keep the temp dir with the generated code (its path is printed)`;
const { values: args } = scriptArgs(USAGE, {
  specs: { type: "string" },
  only: { type: "string", multiple: true },
  keep: { type: "boolean" },
});
const specDir = resolve(args.specs ?? join(root, "generated"));
const work = mkdtempSync(join(tmpdir(), "otc-consumers-"));
symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");

/** The four inputs: each service's bundle in OpenAPI 3.1 and in its 3.0 form. */
const SPECS = SERVICES.flatMap((service) => {
  const file30 = join(specDir, `${service}.openapi-3.0.json`);
  if (!existsSync(file30))
    writeFileSync(
      join(work, `${service}.openapi-3.0.json`),
      JSON.stringify(toOpenApi30(JSON.parse(readFileSync(join(specDir, `${service}.openapi.json`), "utf8")))),
    );
  return [
    { id: service, file: join(specDir, `${service}.openapi.json`) },
    { id: `${service}-3.0`, file: existsSync(file30) ? file30 : join(work, `${service}.openapi-3.0.json`) },
  ];
});

const childEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", DO_NOT_TRACK: "1", SCARF_ANALYTICS: "false", CI: "true" };
const packageJson = (name) => JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8"));
const version = (name) => packageJson(name).version;
/** The file of a package's bin, from its package.json. */
function bin(name, command = name.split("/").pop()) {
  const field = packageJson(name).bin;
  return join(root, "node_modules", name, typeof field === "string" ? field : field[command]);
}
const tsc = bin("typescript", "tsc");

/** Runs `node file args` in the work dir; resolves with exit code and combined output. */
function run(file, fileArgs) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [file, ...fileArgs], { cwd: work, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code, signal) => resolvePromise({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** Runs a generator's command; throws with its output on a non-zero exit or a complaint. */
async function generateWith(file, fileArgs, complains) {
  const { code, output } = await run(file, fileArgs);
  if (code !== 0 || complains(output)) throw new Error(`exit ${code}\n${output.trim()}`);
}

// Lines in a generator's output that complain about the input (orval prints spec validation
// failures as warnings and still exits 0; hey-api logs "warn"/"error").
const complaintWords = (output) => /⚠|\bwarn(ing)?\b|\berror\b|failed|invalid/i.test(output);
// For generators that are silent when all is well: any line is a complaint, except those listed.
const anyLineExcept =
  (...benign) =>
  (output) =>
    output.split("\n").some((line) => line.trim() && !benign.some((re) => re.test(line)));

/**
 * The generators: how each is run on one spec, writing into `out` (relative to the work dir).
 * Each writes TypeScript that the compile step type-checks.
 */
const GENERATORS = [
  {
    name: "openapi-typescript",
    what: "types",
    async generate(spec, out) {
      const { default: openapiTS, astToString } = await import("openapi-typescript");
      const ast = await openapiTS(JSON.parse(readFileSync(spec.file, "utf8")), { rootTypes: true, rootTypesNoSchemaPrefix: true });
      mkdirSync(join(work, out), { recursive: true });
      writeFileSync(join(work, out, "schema.ts"), astToString(ast));
    },
  },
  {
    name: "@hey-api/openapi-ts",
    what: "fetch client",
    generate: (spec, out) =>
      generateWith(
        bin("@hey-api/openapi-ts", "openapi-ts"),
        ["-i", spec.file, "-o", out, "-c", "@hey-api/client-fetch", "--no-log-file"],
        complaintWords,
      ),
  },
  {
    name: "orval",
    what: "fetch client",
    generate: (spec, out) => generateWith(bin("orval"), ["-i", spec.file, "-o", join(out, "api.ts"), "--client", "fetch"], complaintWords),
  },
  {
    name: "swagger-typescript-api",
    what: "fetch client",
    generate: (spec, out) =>
      generateWith(bin("swagger-typescript-api"), ["generate", "-p", spec.file, "-o", out, "-n", "api.ts", "--silent"], anyLineExcept()),
  },
  {
    name: "oazapfts",
    what: "fetch client",
    async generate(spec, out) {
      mkdirSync(join(work, out), { recursive: true });
      await generateWith(bin("oazapfts"), [spec.file, join(out, "api.ts")], anyLineExcept());
    },
  },
  {
    name: "@kubb/cli",
    what: "types + fetch client",
    async generate(spec, out) {
      // plugin-client's shipped declarations import a chunk without types, so the client is
      // bundled into the output (kubb 5's default); imports without ".ts" for plain tsc.
      const config = join(work, `${out.replaceAll("/", "-")}.kubb.config.mjs`);
      writeFileSync(
        config,
        `import { defineConfig } from "@kubb/core";
import { pluginOas } from "@kubb/plugin-oas";
import { pluginTs } from "@kubb/plugin-ts";
import { pluginClient } from "@kubb/plugin-client";
export default defineConfig({
  root: ${JSON.stringify(work)},
  input: { path: ${JSON.stringify(spec.file)} },
  output: { path: ${JSON.stringify(join(work, out))}, clean: true, format: false, lint: false, extension: { ".ts": "" } },
  plugins: [pluginOas({ validate: true, generators: [] }), pluginTs(), pluginClient({ client: "fetch", bundle: true })],
});
`,
      );
      // kubb logs every file it writes; its summary says whether a plugin failed.
      await generateWith(bin("@kubb/cli", "kubb"), ["generate", "-c", config], (output) => /✗|\bFailed:|\bwarn(ing)?\b/i.test(output));
    },
  },
  {
    name: "openapi-zod-client",
    what: "zod schemas + zodios client",
    async generate(spec, out) {
      mkdirSync(join(work, out), { recursive: true });
      await generateWith(
        bin("openapi-zod-client"),
        [spec.file, "-o", join(out, "api.ts"), "--export-schemas", "--with-deprecated"],
        // TypeScript's notice about an API the generator itself calls is not about the spec.
        anyLineExcept(
          /^Retrieving OpenAPI document from /,
          /^Done generating /,
          /^DeprecationWarning: 'createTypeAliasDeclaration' has been deprecated/,
        ),
      );
    },
  },
].filter((g) => !args.only || args.only.includes(g.name));
if (args.only && GENERATORS.length !== args.only.length)
  throw new Error(`unknown --only; generators: ${GENERATORS.map((g) => g.name).join(", ")}`);

/**
 * Failures that are known and described, each of which must happen exactly as described (a known
 * failure that no longer occurs fails the check, so that its entry goes):
 *   cause "generator": the generator's own bug, which no reasonable spec change avoids;
 *     docs/specs.md ("Using the specs in other generators") documents these;
 *   cause "spec": a construct of the spec that the generator trips on, until the spec avoids it.
 * { generator, spec, stage: "generate" | "compile", pattern, cause, why }
 */
const KNOWN_LIMITATIONS = [];

// ---- the checks --------------------------------------------------------------------------------

const results = []; // { check, ok, known?, ms, detail }

async function check(name, fn) {
  const start = performance.now();
  let ok = true;
  let detail;
  try {
    detail = (await fn()) ?? "";
  } catch (error) {
    ok = false;
    detail = error instanceof Error ? error.message : String(error);
  }
  results.push({ check: name, ok, ms: Math.round(performance.now() - start), detail: detail.trim() });
}

/** At most `limit` tasks at a time (the CI machine has 2 cores). */
async function pool(tasks, limit) {
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (queue.length) await queue.shift()();
    }),
  );
}

const swaggerParser = (spec) => async () => {
  const { default: SwaggerParser } = await import("@apidevtools/swagger-parser");
  // validate() dereferences in place; give it its own copy.
  const doc = JSON.parse(readFileSync(spec.file, "utf8"));
  await SwaggerParser.validate(doc);
  return `valid OpenAPI ${doc.openapi}`;
};

const spectral = async () => {
  const ruleset = join(work, ".spectral.json");
  const report = join(work, "spectral.json");
  writeFileSync(ruleset, JSON.stringify({ extends: ["spectral:oas"] }));
  const files = SPECS.map((s) => s.file);
  const { code, output } = await run(bin("@stoplight/spectral-cli", "spectral"), [
    "lint",
    ...files,
    "--ruleset",
    ruleset,
    "-f",
    "json",
    "-o",
    report,
    "--fail-severity",
    "warn",
    "-q",
  ]);
  let findings;
  try {
    findings = JSON.parse(readFileSync(report, "utf8"));
  } catch {
    throw new Error(`spectral produced no report (exit ${code}):\n${output}`);
  }
  const SEVERITY = ["error", "warning", "info", "hint"];
  const lines = findings.map(
    (f) =>
      `${relative(root, f.source ?? "")}:${(f.range?.start?.line ?? 0) + 1} ${SEVERITY[f.severity]} ${f.code} ${f.message} (${(f.path ?? []).join(".")})`,
  );
  const serious = findings.filter((f) => f.severity <= 1).length;
  if (serious > 0 || code !== 0) throw new Error(`${serious} error(s) or warning(s):\n${lines.join("\n")}`);
  return findings.length ? `0 errors or warnings, ${findings.length} info/hint(s):\n${lines.join("\n")}` : "no findings";
};

// One cell per generator and spec: { generator, spec, dir, generated, error }
const cells = GENERATORS.flatMap((generator) =>
  SPECS.map((spec) => ({
    generator,
    spec,
    dir: `${generator.name.replace(/^@/, "").replaceAll("/", "-")}/${spec.id}`,
    generated: false,
    error: "",
  })),
);

async function generateCell(cell) {
  const start = performance.now();
  try {
    await cell.generator.generate(cell.spec, cell.dir);
    cell.generated = true;
  } catch (error) {
    cell.error = `generate: ${error instanceof Error ? error.message : String(error)}`;
  }
  cell.ms = Math.round(performance.now() - start);
}

// Strict, consumer-style compile of everything the generators wrote; no skipLibCheck so that
// nothing generated escapes checking. Resolution and libs as in a browser/bundler project.
// Errors are charged to the cell whose folder they are in; any other error fails them all.
async function compileCells() {
  const generated = cells.filter((c) => c.generated);
  if (!generated.length) return "nothing generated";
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
      include: generated.map((c) => `${c.dir}/**/*.ts`),
    }),
  );
  const { code, output } = await run(tsc, ["-p", "tsconfig.json", "--pretty", "false"]);
  const unassigned = [];
  for (const line of output.split("\n").filter((l) => /error TS\d+/.test(l))) {
    const cell = generated.find((c) => line.startsWith(`${c.dir}/`));
    if (cell) cell.error += `${cell.error ? "\n" : "compile: "}${line}`;
    else unassigned.push(line);
  }
  if (code !== 0 && !generated.some((c) => c.error) && !unassigned.length) unassigned.push(output.trim());
  if (unassigned.length) throw new Error(unassigned.join("\n"));
  return `${generated.length} outputs type-checked`;
}

/** A cell's outcome: ok, a known limitation that happened as described, or a failure. */
function judge(cell) {
  const known = KNOWN_LIMITATIONS.find((k) => k.generator === cell.generator.name && k.spec === cell.spec.id);
  if (!known) return cell.error ? { ok: false, detail: cell.error } : { ok: true, detail: "" };
  if (!cell.error)
    return { ok: false, detail: `known limitation no longer occurs (${known.why}): remove it from KNOWN_LIMITATIONS and docs/specs.md` };
  if (!cell.error.startsWith(`${known.stage}:`) || !known.pattern.test(cell.error))
    return { ok: false, detail: `fails differently than the known limitation (${known.why}):\n${cell.error}` };
  return {
    ok: true,
    known: true,
    detail: `${known.cause === "spec" ? "spec construct, to be changed in the spec" : "generator bug"}: ${known.why}`,
  };
}

const start = performance.now();
try {
  for (const spec of SPECS) readFileSync(spec.file); // fail early and clearly if a bundle is missing
  await pool(
    [
      () => check("spectral spectral:oas (all)", spectral),
      ...SPECS.map((spec) => () => check(`swagger-parser validate ${spec.id}`, swaggerParser(spec))),
      ...cells.map((cell) => () => generateCell(cell)),
    ],
    2,
  );
  await check("tsc --strict (generated code)", compileCells);
  for (const cell of cells) {
    const { ok, known, detail } = judge(cell);
    results.push({ check: `${cell.generator.name} ${cell.spec.id}`, ok, known, ms: cell.ms, detail });
  }
} finally {
  if (args.keep) console.log(`generated code kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

for (const r of results) {
  console.log(`${r.ok ? (r.known ? "known" : "ok   ") : "FAIL "} ${r.check.padEnd(40)} ${String(r.ms).padStart(6)} ms`);
  if (r.detail && (!r.ok || r.known || r.detail.includes("\n"))) console.log(r.detail.replace(/^/gm, "       "));
}

// The matrix docs/specs.md reports: generator (version) x spec.
const label = (generator) => `${generator.name} ${version(generator.name)} (${generator.what})`;
const width = Math.max(...GENERATORS.map((g) => label(g).length)) + 2;
console.log(`\n${"generator".padEnd(width)}${SPECS.map((s) => s.id.padEnd(9)).join("")}`);
for (const generator of GENERATORS) {
  const row = SPECS.map((spec) => {
    const r = results.find((x) => x.check === `${generator.name} ${spec.id}`);
    return (r?.ok ? (r.known ? "known" : "ok") : "FAIL").padEnd(9);
  });
  console.log(`${label(generator).padEnd(width)}${row.join("")}`);
}
const failed = results.filter((r) => !r.ok);
console.log(
  `consumer checks: ${results.length - failed.length} passed, ${failed.length} failed in ${Math.round(performance.now() - start)} ms (specs from ${relative(process.cwd(), specDir) || "."})`,
);
process.exit(failed.length ? 1 : 0);
