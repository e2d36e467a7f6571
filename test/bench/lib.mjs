// Shared pieces of the benchmarks: where the compiled client is, the loopback server process,
// timing (wall and CPU), the order of variants in rounds, medians and spreads.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The compiled package (npm run build); OTC_BENCH_DIST points elsewhere (a private build). */
export const distDir = resolve(process.env.OTC_BENCH_DIST ?? join(root, "dist"));
export const distUrl = (path) => pathToFileURL(join(distDir, path)).href;

/** Starts test/bench/server.mjs in its own process; resolves with its origin and a stop(). */
export async function startServer() {
  const child = spawn(process.execPath, [join(root, "test", "bench", "server.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error("bench server did not start within 10 s")), 10_000);
    child.once("exit", (code) => reject(new Error(`bench server exited early (${code})`)));
    lines.on("line", (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.stdin.end(); // the server exits when its stdin closes
        setTimeout(() => child.kill("SIGTERM"), 5_000).unref();
      }),
  };
}

export const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

/** Runs `fn` n times in sequence; returns the elapsed milliseconds. */
export async function timeSequential(fn, n) {
  const start = now();
  for (let i = 0; i < n; i++) await fn(i);
  return now() - start;
}

/**
 * Runs `fn` (sync or async); returns its wall time and the CPU time of this process (user +
 * system, all threads: Web Crypto and undici also work off the main thread), in milliseconds.
 */
export async function measured(fn) {
  const cpu = process.cpuUsage();
  const start = now();
  await fn();
  const ms = now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * The order of the variants in round `round` (from 0): rotated by one place each round, so that
 * over as many rounds as there are variants each runs in every position once, and drift of a
 * shared machine (or warm-up of the one before) does not favour one of them.
 */
export function rotation(names, round) {
  const k = round % names.length;
  return [...names.slice(k), ...names.slice(0, k)];
}

/**
 * Measures variants in `rounds` rounds, in the order of rotation(); `variants` maps a name to a
 * function that prepares what is not to be timed and returns the timed part. `afterRound` sees
 * the round's number and the measurements so far. Returns, by name, every round's wall and CPU
 * milliseconds ({ ms, cpuMs }).
 */
export async function inRounds(variants, rounds, afterRound = () => {}) {
  const names = Object.keys(variants);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of rotation(names, round)) {
      const timed = variants[name]();
      runs[name].push(await measured(timed));
    }
    afterRound(round, runs);
  }
  return runs;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const fmt = (x, digits = 2) => x.toFixed(digits);

/** `min–max` of per-round values: how much a ratio moved between rounds of one run. */
export const spread = (values, digits = 3) => `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
