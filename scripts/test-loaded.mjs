#!/usr/bin/env node
// Runs the test suite with CPU-bound processes beside it, to prove that no test depends on how
// fast the machine is: a test that races the wall clock fails here, one on fake clocks or on
// faults its test server decides does not.
//
//   npm run test:loaded                                  # npm test beside two burners
//   node scripts/test-loaded.mjs --burners 3 -- npx vitest run test/retries
//
// Each burner spins on arithmetic in its own process. They are bounded (they end by themselves
// after --max-minutes) and are killed when the command ends, fails, or this script is interrupted.
import { spawn } from "node:child_process";
import { availableParallelism, cpus } from "node:os";

const args = process.argv.slice(2);
const split = args.indexOf("--");
const own = split === -1 ? args : args.slice(0, split);
const command = split === -1 ? ["npm", "test"] : args.slice(split + 1);
if (command.length === 0) usage("no command after --");

function option(name, fallback) {
  const at = own.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(own[at + 1]);
  if (!Number.isFinite(value) || value < 0) usage(`${name} needs a number`);
  return value;
}
function usage(problem) {
  console.error(`test-loaded: ${problem}\nusage: node scripts/test-loaded.mjs [--burners N] [--max-minutes M] [-- command ...]`);
  process.exit(2);
}

const BURNERS = option("--burners", 2);
const MAX_MS = option("--max-minutes", 30) * 60_000;

// Busy arithmetic until the deadline: one core's worth of load, no memory, no I/O.
const BURN = `const end = Date.now() + ${MAX_MS}; let x = 0; while (Date.now() < end) { for (let i = 0; i < 1e6; i++) x = (x * 1103515245 + 12345) % 2147483648; }`;

const burners = Array.from({ length: BURNERS }, () => spawn(process.execPath, ["-e", BURN], { stdio: "ignore" }));
const cpuAtStart = cpuTimes();

let stopped = false;
function stopBurners() {
  if (stopped) return;
  stopped = true;
  for (const burner of burners) if (burner.exitCode === null && burner.signalCode === null) burner.kill("SIGKILL");
}
process.on("exit", stopBurners);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopBurners();
    process.exit(130);
  });
}

console.log(`test-loaded: ${BURNERS} CPU burners beside \`${command.join(" ")}\` on ${availableParallelism()} cores`);
const started = Date.now();
const child = spawn(command[0], command.slice(1), { stdio: "inherit", shell: process.platform === "win32" });
child.on("error", (error) => {
  stopBurners();
  console.error(`test-loaded: cannot start ${command[0]}: ${error.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  const burnersAlive = burners.filter((b) => b.exitCode === null && b.signalCode === null).length;
  stopBurners();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const busy = cpuBusyShare(cpuAtStart, cpuTimes());
  const outcome = signal ? `ended by ${signal}` : code === 0 ? "passed" : `failed (exit ${code})`;
  console.log(
    `test-loaded: ${outcome} in ${seconds} s with ${burnersAlive} of ${BURNERS} burners still running at the end; ` +
      `the cores were ${(busy * 100).toFixed(0)} % busy`,
  );
  process.exit(signal ? 1 : (code ?? 1));
});

function cpuTimes() {
  return cpus().map((c) => ({ idle: c.times.idle, total: c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle }));
}
function cpuBusyShare(before, after) {
  let idle = 0;
  let total = 0;
  after.forEach((c, i) => {
    idle += c.idle - before[i].idle;
    total += c.total - before[i].total;
  });
  return total === 0 ? 0 : 1 - idle / total;
}
