// Shared pieces of the benchmarks: where the compiled client is, the loopback server process,
// timing, medians.
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

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const fmt = (x, digits = 2) => x.toFixed(digits);
