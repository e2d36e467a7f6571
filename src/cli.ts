#!/usr/bin/env node
// `otc-backup-api mock vbs|cbr [--port N] [--host H] [--dynamic]`: serves the packaged bundled
// spec with Prism so that users can run their own integration tests offline. Prism is an
// optional peer dependency: it is large and only this command needs it.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const USAGE = "usage: otc-backup-api mock <vbs|cbr> [--port N] [--host 127.0.0.1] [--dynamic]";
const require = createRequire(import.meta.url);

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv: string[]) {
  const [command, service, ...rest] = argv;
  if (command !== "mock") fail(command ? `unknown command: ${command}` : "missing command");
  if (service !== "vbs" && service !== "cbr") fail(`service must be vbs or cbr, got ${service ?? "nothing"}`);
  let port = 4010;
  let host = "127.0.0.1";
  let dynamic = false;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === "--dynamic") dynamic = true;
    else if (flag === "--port" || flag === "-p") {
      port = Number(rest[++i]);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) fail("--port takes a number from 0 to 65535");
    } else if (flag === "--host" || flag === "-h") {
      host = rest[++i] ?? fail("--host takes an address");
    } else fail(`unknown option: ${flag}`);
  }
  return { service, port, host, dynamic };
}

/** The bundled spec shipped with the package (dist/src/cli.js → generated/, or src/cli.ts → generated/). */
function specPath(service: string): string {
  for (const relative of [`../../generated/${service}.openapi.json`, `../generated/${service}.openapi.json`]) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  return fail(`the bundled ${service} spec is missing from this installation`);
}

function prismEntry(): string {
  try {
    return require.resolve("@stoplight/prism-cli/dist/index.js");
  } catch {
    return fail("the mock needs Prism: npm install --save-dev @stoplight/prism-cli@5.14.2");
  }
}

const options = parse(process.argv.slice(2));
const prism = prismEntry();
// Run Prism in this process (no child to orphan): it reads its arguments from process.argv.
process.argv = [process.argv[0] ?? "node", prism, "mock", "-h", options.host, "-p", String(options.port), ...(options.dynamic ? ["-d"] : []), specPath(options.service)];
require(prism);
