#!/usr/bin/env node
// The package's bin. `otc-backup-api mock vbs|cbr [--port N] …` serves the bundled spec shipped in
// this package with Prism on localhost, so that users can run their own integration tests offline.
// Prism is an optional peer dependency: it is large and only this command needs it.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const USAGE = `usage: otc-backup-api mock <vbs|cbr> [--port N] [--host ADDRESS] [--dynamic] [--errors]

Serves a mock of the VBS or CBR API, answering from the examples in the bundled OpenAPI spec.

  --port N, -p N        port to listen on (default 4010)
  --host ADDRESS        address to listen on (default 127.0.0.1, this machine only)
  --dynamic, -d         generate responses from the schemas instead of the documented examples
  --errors              answer with an error when a request or response breaks the spec

Needs Prism next to this package: npm install --save-dev @stoplight/prism-cli@5.14.2
Other commands: otc-backup-api --help | --version`;

const PRISM_VERSION = "5.14.2";
const require = createRequire(import.meta.url);

interface MockOptions {
  service: "vbs" | "cbr";
  port: number;
  host: string;
  dynamic: boolean;
  errors: boolean;
}

/** A usage error: message and usage on stderr, exit status 2. */
function usageError(message: string): never {
  process.stderr.write(`otc-backup-api: ${message}\n${USAGE.split("\n")[0]}\nRun otc-backup-api --help for the options.\n`);
  process.exit(2);
}

/** A failure that is not the caller's syntax: message on stderr, exit status 1. */
function fail(message: string): never {
  process.stderr.write(`otc-backup-api: ${message}\n`);
  process.exit(1);
}

function packageVersion(): string {
  for (const relative of ["../../package.json", "../package.json"]) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  }
  return "unknown";
}

function parseMock(args: string[]): MockOptions {
  const [service, ...rest] = args;
  if (service === undefined || service.startsWith("-")) {
    if (service === "--help") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    usageError("mock needs a service: vbs or cbr");
  }
  if (service !== "vbs" && service !== "cbr") usageError(`unknown service "${service}": use vbs or cbr`);
  const options: MockOptions = { service, port: 4010, host: "127.0.0.1", dynamic: false, errors: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? rest[++i] ?? usageError(`${flag} needs a value`);
    switch (flag) {
      case "--port":
      case "-p": {
        const text = value();
        const port = Number(text);
        if (!/^\d+$/.test(text) || port < 1 || port > 65_535) usageError(`--port takes a number from 1 to 65535, got "${text}"`);
        options.port = port;
        break;
      }
      case "--host":
        options.host = value();
        break;
      case "--dynamic":
      case "-d":
        options.dynamic = true;
        break;
      case "--errors":
        options.errors = true;
        break;
      case "--help":
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      // falls through (process.exit never returns)
      default:
        usageError(`unknown option "${arg}"`);
    }
  }
  return options;
}

/** The bundled spec shipped with the package: dist/src/cli.js -> generated/ (src/cli.ts -> generated/ in a checkout). */
function specPath(service: string): string {
  for (const relative of [`../../generated/${service}.openapi.json`, `../generated/${service}.openapi.json`]) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  return fail(`the bundled ${service} spec is missing from this installation (looked for generated/${service}.openapi.json)`);
}

function prismEntry(): string {
  try {
    return require.resolve("@stoplight/prism-cli/dist/index.js");
  } catch {
    return fail(
      `the mock needs Prism, an optional peer dependency that is not installed.\n` +
        `Install it next to otc-backup-api:  npm install --save-dev @stoplight/prism-cli@${PRISM_VERSION}`,
    );
  }
}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  switch (command) {
    case "mock":
      break;
    case "--help":
    case "-h":
    case "help":
      process.stdout.write(`${USAGE}\n`);
      return;
    case "--version":
    case "-v":
      process.stdout.write(`${packageVersion()}\n`);
      return;
    case undefined:
      usageError("missing command");
    default:
      usageError(`unknown command "${command}"`);
  }
  const options = parseMock(rest);
  const spec = specPath(options.service);
  const prism = prismEntry();
  // Run Prism in this process, so there is no child to orphan when the caller kills us; its
  // yargs CLI reads process.argv.
  process.argv = [
    process.argv[0] ?? process.execPath,
    prism,
    "mock",
    "-h",
    options.host,
    "-p",
    String(options.port),
    ...(options.dynamic ? ["--dynamic"] : []),
    ...(options.errors ? ["--errors"] : []),
    spec,
  ];
  require(prism);
}

main(process.argv.slice(2));
