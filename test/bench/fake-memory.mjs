// The fake's start-up time and memory over a long run, on the build (npm run build first):
//   - start-up: `otc-backup-api fake` from spawn to its first line of output (the JSON with the
//     endpoints), and startFake() in-process, median of 5 each (target ≤ 1 s);
//   - memory: heap used after a full GC once 1,000, 5,000, 10,000 and 20,000 operations have run, through
//     the built client against an in-process fake; a steady workload (vaults created, backed up,
//     listed, restored and deleted again) must leave it flat.
// Run: node --expose-gc test/bench/fake-memory.mjs
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { distDir, distUrl, now } from "./lib.mjs";

if (typeof globalThis.gc !== "function") {
  console.error("run with node --expose-gc test/bench/fake-memory.mjs");
  process.exit(2);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function cliStartup() {
  const start = now();
  const child = spawn(process.execPath, [join(distDir, "src", "cli.js"), "fake"], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  const ms = now() - start;
  JSON.parse(line);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  return ms;
}

const { startFake } = await import(distUrl("src/fake/index.js"));
const { createCbrClient, createVbsClient, passwordAuth, clientOptionsFromCatalog, unwrap } = await import(distUrl("src/index.js"));

const cli = [];
for (let i = 0; i < 5; i++) cli.push(await cliStartup());
const inProcess = [];
for (let i = 0; i < 5; i++) {
  const start = now();
  const fake = await startFake();
  inProcess.push(now() - start);
  await fake.stop();
}
console.log(
  `start-up, otc-backup-api fake to its first line: median ${median(cli).toFixed(0)} ms (runs: ${cli.map((x) => x.toFixed(0)).join(", ")}; target ≤ 1000 ms)`,
);
console.log(
  `start-up, startFake() in-process: median ${median(inProcess).toFixed(1)} ms (runs: ${inProcess.map((x) => x.toFixed(1)).join(", ")})`,
);

const fake = await startFake({ speed: 0 });
const auth = passwordAuth(fake.credentials.password);
const cbr = createCbrClient(await clientOptionsFromCatalog(auth, { service: "cbr" }));
const vbs = createVbsClient(await clientOptionsFromCatalog(auth, { service: "vbs" }));
let operations = 0;
const count = (result) => {
  operations++;
  return result;
};

/** One cycle of a backup automation: 12 operations, leaving nothing behind but history. */
async function cycle(i) {
  const server = { id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, type: "OS::Nova::Server", name: `web-${i}` };
  const billing = { consistent_level: "crash_consistent", object_type: "server", protect_type: "backup", size: 100 };
  const { vault } = unwrap(count(await cbr.createVault({ body: { vault: { name: `vault-${i}`, billing, resources: [server] } } })));
  const { checkpoint } = unwrap(count(await cbr.createCheckpoint({ body: { checkpoint: { vault_id: vault.id } } })));
  fake.advance(60_000);
  count(await cbr.showCheckpoint({ path: { checkpoint_id: checkpoint.id } }));
  const { backups } = unwrap(count(await cbr.listBackups({ query: { vault_id: vault.id } })));
  count(await cbr.restoreBackup({ path: { backup_id: backups[0].id }, body: { restore: { server_id: server.id } } }));
  fake.advance(60_000);
  count(await cbr.listOpLogs({ query: { vault_id: vault.id, limit: 10 } }));
  count(await cbr.deleteVault({ path: { vault_id: vault.id } }));
  const { job_id } = unwrap(count(await vbs.createCloudBackup({ body: { backup: { volume_id: server.id, name: `disk-${i}` } } })));
  fake.advance(60_000);
  const job = unwrap(count(await vbs.showJob({ path: { job_id } })));
  count(await vbs.listNativeBackups({ query: { limit: 5 } }));
  count(await vbs.deleteCloudBackup({ path: { backup_id: String(job.entities.backup_id) } }));
  count(await vbs.showQuotas());
  fake.advance(60_000);
}

const heapAfterGc = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed / 1e6;
};
const marks = {};
let i = 0;
const start = now();
while (operations < 20_000) {
  await cycle(i++);
  for (const mark of [1000, 5000, 10_000]) if (marks[mark] === undefined && operations >= mark) marks[mark] = heapAfterGc();
}
marks[20_000] = heapAfterGc();
const seconds = (now() - start) / 1000;
await fake.stop();
// The task and job history fills up to its limit (500 per region) within the first 3,000
// operations, and the validators' and V8's caches warm up; from 10,000 to 20,000 the heap must not grow.
console.log(
  `memory, heap used after GC: ${marks[1000].toFixed(1)} MB at 1,000 operations, ${marks[5000].toFixed(1)} MB at 5,000, ` +
    `${marks[10_000].toFixed(1)} MB at 10,000, ${marks[20_000].toFixed(1)} MB at ${operations.toLocaleString("en")} (${(operations / seconds).toFixed(0)} operations/s)`,
);
