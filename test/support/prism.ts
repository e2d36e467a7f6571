// Starts Prism mocks of the bundled specs on 127.0.0.1 for the test run.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const supervisor = fileURLToPath(new URL("./prism-supervisor.mjs", import.meta.url));

export interface RunningMock {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  server.close();
  await once(server, "close");
  return port;
}

/** Starts Prism on `specFile`; resolves when it listens, rejects with its log if it does not. */
export async function startPrism(specFile: string, extraArgs: string[] = [], timeoutMs = 30_000): Promise<RunningMock> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [supervisor, "mock", "--errors", "-h", "127.0.0.1", "-p", String(port), ...extraArgs, specFile],
    { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
  );
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Prism did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGTERM");
      reject(error);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => fail(new Error(`Prism exited with ${code} before listening:\n${log}`)));
  });
  // Keep draining output so Prism never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.stdin?.end();
      child.kill("SIGTERM");
      await exited;
    },
  };
}
