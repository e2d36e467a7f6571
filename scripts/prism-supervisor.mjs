// Runs Prism as a child and kills it when this process's stdin closes (the test runner died,
// however it died) or on SIGINT/SIGTERM, so an interrupted test run never leaves Prism behind.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const prismCli = require.resolve("@stoplight/prism-cli/dist/index.js");
const child = spawn(process.execPath, [prismCli, ...process.argv.slice(2)], { stdio: ["ignore", "inherit", "inherit"] });

const stop = () => {
  if (child.exitCode === null) child.kill("SIGTERM");
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
