// Figure (f): what the client's types cost a consumer. Small consumer files are type-checked by
// the TypeScript compiler API against the built package's declarations (dist/, as an installed
// package would be), and their check time and type instantiations are compared with
// the same GET through bare openapi-fetch (the consumer's own openapi-typescript output of the
// CBR spec): one GET, one paginate and one waiter by path, and the same GET as a call by name. Medians of several runs; each run is a fresh Node process.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { distDir, fmt, median, root } from "./lib.mjs";

export const TARGET = 1.5;

const CONSUMERS = {
  bare: `import createClient from "openapi-fetch";
import type { paths } from "./cbr.js";
const cbr = createClient<paths>({ baseUrl: "https://cbr.example" });
export async function show(vault_id: string) {
  const { data } = await cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { project_id: "p", vault_id } } });
  return data?.vault.name;
}
`,
  get: `import { createCbrClient, staticTokenAuth } from "otc-backup-api";
const cbr = createCbrClient({ region: "eu-de", projectId: "p", auth: staticTokenAuth("t") });
export async function show(vault_id: string) {
  const { data } = await cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id } } });
  return data?.vault.name;
}
`,
  byName: `import { createCbrClient, staticTokenAuth } from "otc-backup-api";
const cbr = createCbrClient({ region: "eu-de", projectId: "p", auth: staticTokenAuth("t") });
export async function show(vault_id: string) {
  const { data } = await cbr.showVault({ path: { vault_id } });
  return data?.vault.name;
}
`,
  all: `import { createCbrClient, paginate, staticTokenAuth, waitForBackup } from "otc-backup-api";
const cbr = createCbrClient({ region: "eu-de", projectId: "p", auth: staticTokenAuth("t") });
export async function show(vault_id: string) {
  const { data } = await cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id } } });
  return data?.vault.name;
}
export async function names(vault_id: string) {
  const out: string[] = [];
  for await (const backup of paginate(cbr, "/v3/{project_id}/backups", { params: { query: { vault_id } } }, { maxItems: 50 })) out.push(backup.name);
  return out;
}
export async function ready(backup_id: string) {
  const backup = await waitForBackup(cbr, backup_id);
  return backup.status;
}
`,
};

/** A consumer project in a temporary directory, with the package (as built in distDir) installed. */
function consumerProject() {
  const dir = mkdtempSync(join(tmpdir(), "otc-typecheck-"));
  const pkg = join(dir, "node_modules", "otc-backup-api");
  mkdirSync(pkg, { recursive: true });
  copyFileSync(join(root, "package.json"), join(pkg, "package.json"));
  symlinkSync(distDir, join(pkg, "dist"), "dir");
  symlinkSync(join(root, "node_modules", "openapi-fetch"), join(dir, "node_modules", "openapi-fetch"), "dir");
  copyFileSync(join(root, "generated", "cbr.d.ts"), join(dir, "cbr.d.ts"));
  for (const [name, text] of Object.entries(CONSUMERS)) {
    writeFileSync(join(dir, `${name}.ts`), text);
    writeFileSync(
      join(dir, `tsconfig.${name}.json`),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: [`${name}.ts`],
      }),
    );
  }
  return dir;
}

// One run in a fresh Node process: the program is parsed and bound first, then the type check
// alone is timed with performance.now(). (tsc --extendedDiagnostics reports its check time in
// steps of 10 ms, as much as the difference being measured.)
const CHECK_RUN = `
const ts = require(process.argv[1]);
const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\\n")); } };
const parsed = ts.getParsedCommandLineOfConfigFile(process.argv[2], undefined, host);
const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
const syntax = program.getSyntacticDiagnostics();
const checker = program.getTypeChecker();
const start = performance.now();
const semantic = [...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics()];
const checkMs = performance.now() - start;
const errors = [...syntax, ...semantic].map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\\n"));
process.stdout.write(JSON.stringify({ checkMs, instantiations: checker.getInstantiationCount(), errors }));
`;

function check(dir, name) {
  const typescript = createRequire(import.meta.url).resolve("typescript");
  const out = JSON.parse(
    execFileSync(process.execPath, ["-e", CHECK_RUN, typescript, join(dir, `tsconfig.${name}.json`)], { cwd: dir, encoding: "utf8" }),
  );
  if (out.errors.length) {
    // Another build (OTC_BENCH_DIST, e.g. an older one) may not type the consumer the same way:
    // its figures still count, with a warning; this build's consumers must compile.
    if (process.env.OTC_BENCH_DIST === undefined) throw new Error(`typecheck consumer ${name} does not compile:\n${out.errors.join("\n")}`);
    console.warn(`  (consumer ${name} has type errors against ${distDir}: ${out.errors[0]})`);
  }
  return { checkS: out.checkMs / 1000, instantiations: out.instantiations };
}

export async function measure({ runs = 9, log = () => {} } = {}) {
  const dir = consumerProject();
  try {
    const results = {};
    for (const name of Object.keys(CONSUMERS)) results[name] = { checkS: [], instantiations: 0 };
    for (let run = 0; run < runs; run++) {
      for (const name of Object.keys(CONSUMERS)) {
        const r = check(dir, name);
        results[name].checkS.push(r.checkS);
        results[name].instantiations = r.instantiations;
      }
      log(
        `  run ${run + 1}: ${Object.entries(results)
          .map(([n, r]) => `${n} ${fmt(r.checkS.at(-1) * 1000, 0)} ms`)
          .join(", ")}`,
      );
    }
    const med = Object.fromEntries(
      Object.entries(results).map(([n, r]) => [n, { checkS: median(r.checkS), instantiations: r.instantiations }]),
    );
    const ratio = med.all.checkS / med.bare.checkS;
    const byName = med.byName.checkS / med.bare.checkS;
    return {
      value: ratio,
      pass: ratio <= TARGET && byName <= TARGET,
      values: [
        { name: "GET + paginate + waiter", value: ratio, pass: ratio <= TARGET },
        { name: "GET by name", value: byName, pass: byName <= TARGET },
      ],
      detail: { ...med, runs },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure({ log: console.log });
  console.log(
    `(f) GET + paginate + waiter / bare openapi-fetch GET = ${fmt(r.value, 2)}×, GET by name / bare = ${fmt(r.values[1].value, 2)}×`,
    JSON.stringify(r.detail),
  );
}
