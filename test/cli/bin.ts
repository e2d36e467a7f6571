// The bin as users run it, built from the sources into .scratch/cli-<name>/ (two folders below
// the checkout, as dist/src/ is, so that it finds generated/ and package.json the same way; one
// folder per test file, as test files run at the same time).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const root = fileURLToPath(new URL("../..", import.meta.url));
let bin = "";

export async function buildBin(name: string): Promise<void> {
  bin = `${root}.scratch/cli-${name}/cli.mjs`;
  await build({
    entryPoints: [`${root}src/cli.ts`],
    outfile: bin,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "silent",
    // package.json "imports" point at dist/; the Node target's source stands in for it.
    plugins: [{ name: "imports", setup: (b) => b.onResolve({ filter: /^#crypto$/ }, () => ({ path: `${root}src/auth/crypto-node.ts` })) }],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

export function run(args: string[]): ChildProcess {
  return spawn(process.execPath, [bin, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
}

export async function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c));
  child.stderr!.on("data", (c: Buffer) => (stderr += c));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

/** Resolves with the output so far once `text` appears; rejects if the child exits first. */
export function outputUntil(child: ChildProcess, text: string | RegExp): Promise<string> {
  let log = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (typeof text === "string" ? log.includes(text) : text.test(log)) {
        child.off("exit", onExit);
        resolve(log);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`exited with ${code} before ${text}:\n${log}`));
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}
