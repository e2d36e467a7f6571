// Starts a Prism mock of a bundled spec on 127.0.0.1 through the supervisor, so that it dies
// with its parent. Used by the test setup and by the demo (npm start).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const supervisor = fileURLToPath(new URL("./prism-supervisor.mjs", import.meta.url));

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
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
export async function startPrism(specFile, { extraArgs = [], timeoutMs = 30_000 } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [supervisor, "mock", "--errors", "-h", "127.0.0.1", "-p", String(port), ...extraArgs, specFile], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  let log = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Prism did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    function onData(chunk) {
      log += chunk.toString();
      if (log.includes("Prism is listening")) {
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve();
      }
    }
    function onExit(code) {
      fail(new Error(`Prism exited with ${code} before listening:\n${log}`));
    }
    function fail(error) {
      clearTimeout(timer);
      child.kill("SIGTERM");
      reject(error);
    }
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", onExit);
  });
  // Keep draining output so Prism never blocks on a full pipe.
  child.stdout.removeAllListeners("data").resume();
  child.stderr.removeAllListeners("data").resume();
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.stdin.end();
      child.kill("SIGTERM");
      await exited;
    },
  };
}
