// Figure (f): what the client's types cost a consumer. Small consumer files are compiled with
// `tsc --noEmit --extendedDiagnostics` against the built package's declarations (dist/, as an
// installed package would be), and their check time and type instantiations are compared with
// the same GET through bare openapi-fetch (the consumer's own openapi-typescript output of the
// CBR spec): one GET, one paginate and one waiter by path, and the same GET as a call by name. Medians of several runs; each run is a fresh tsc process.
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
        compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022", "DOM"], noEmit: true, skipLibCheck: true, types: [] },
        files: [`${name}.ts`],
      }),
    );
  }
  return dir;
}

function check(dir, name) {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  let out;
  try {
    out = execFileSync(process.execPath, [tsc, "-p", join(dir, `tsconfig.${name}.json`), "--extendedDiagnostics"], { cwd: dir, encoding: "utf8" });
  } catch (error) {
    // Another build (OTC_BENCH_DIST, e.g. an older one) may not type the consumer the same way:
    // its figures still count, with a warning; this build's consumers must compile.
    if (process.env.OTC_BENCH_DIST === undefined || typeof error.stdout !== "string") throw new Error(`typecheck consumer ${name} does not compile:\n${error.stdout ?? error}`);
    console.warn(`  (consumer ${name} has type errors against ${distDir}: ${error.stdout.split("\n")[0]})`);
    out = error.stdout;
  }
  const read = (label) => Number(new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(out)?.[1]);
  return { checkS: read("Check time"), instantiations: read("Instantiations") };
}

export async function measure({ runs = 5, log = () => {} } = {}) {
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
      log(`  run ${run + 1}: ${Object.entries(results).map(([n, r]) => `${n} ${fmt(r.checkS.at(-1), 2)} s`).join(", ")}`);
    }
    const med = Object.fromEntries(Object.entries(results).map(([n, r]) => [n, { checkS: median(r.checkS), instantiations: r.instantiations }]));
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
  console.log(`(f) GET + paginate + waiter / bare openapi-fetch GET = ${fmt(r.value, 2)}×, GET by name / bare = ${fmt(r.values[1].value, 2)}×`, JSON.stringify(r.detail));
}
