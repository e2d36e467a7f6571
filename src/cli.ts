#!/usr/bin/env node
// The package's bin. `otc-backup-api mock vbs|cbr [--port N] …` serves the bundled spec shipped in
// this package with Prism on localhost, so that users can run their own integration tests offline.
// Prism is an optional peer dependency (it is large, and only this command needs it): when it is
// not installed, npx (`npm exec`) provides the pinned version, from npm's cache when it is there.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const PRISM_VERSION = "5.14.2";
const PRISM_PACKAGE = `@stoplight/prism-cli@${PRISM_VERSION}`;

const USAGE = `usage: otc-backup-api mock <vbs|cbr> [--port N] [--host ADDRESS] [--dynamic] [--errors]

Serves a mock of the VBS or CBR API, answering from the examples in the bundled OpenAPI spec.

  --port N, -p N        port to listen on (default 4010)
  --host ADDRESS        address to listen on (default 127.0.0.1, this machine only)
  --dynamic, -d         generate responses from the schemas instead of the documented examples
  --errors              answer with an error when a request or response breaks the spec

Runs Prism: the one installed next to this package, else ${PRISM_PACKAGE} through npx
(downloaded once into npm's cache; npm install --save-dev ${PRISM_PACKAGE} avoids that).
Other commands: otc-backup-api check --help (the specs against your account) | --help | --version`;

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

/** util.parseArgs' errors, said in the words of this command's usage. */
function parseError(error: unknown): never {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-[^' ]*)/.exec(message)?.[1] ?? "";
  const long = /--\w[\w-]*/.exec(message)?.[0] ?? option;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") usageError(`unknown option "${option}"`);
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") usageError(`${long} needs a value`);
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") usageError(`unexpected argument in "${message}"`);
  return usageError(message);
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        dynamic: { type: "boolean", short: "d" },
        errors: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    return parseError(error);
  }
}

function mockOptions(service: string | undefined, extra: string[], values: ReturnType<typeof parseCommandLine>["values"]): MockOptions {
  if (service === undefined) usageError("mock needs a service: vbs or cbr");
  if (service !== "vbs" && service !== "cbr") usageError(`unknown service "${service}": use vbs or cbr`);
  if (extra.length) usageError(`unexpected argument "${extra[0]}"`);
  let port = 4010;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65_535) usageError(`--port takes a number from 1 to 65535, got "${values.port}"`);
  }
  return { service, port, host: values.host ?? "127.0.0.1", dynamic: values.dynamic === true, errors: values.errors === true };
}

/** The bundled spec shipped with the package: dist/src/cli.js -> generated/ (src/cli.ts -> generated/ in a checkout). */
function specPath(service: string): string {
  for (const relative of [`../../generated/${service}.openapi.json`, `../generated/${service}.openapi.json`]) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  return fail(`the bundled ${service} spec is missing from this installation (looked for generated/${service}.openapi.json)`);
}

function installedPrism(): string | undefined {
  try {
    return require.resolve("@stoplight/prism-cli/dist/index.js");
  } catch {
    return undefined;
  }
}

/** Prism's own arguments for the chosen options. */
function prismArgs(options: MockOptions, spec: string): string[] {
  return ["mock", "-h", options.host, "-p", String(options.port), ...(options.dynamic ? ["--dynamic"] : []), ...(options.errors ? ["--errors"] : []), spec];
}

/**
 * npm itself, to run `npm exec`: the npm that started this command when there is one (npx sets
 * npm_execpath), else the `npm` on PATH.
 */
function npmCommand(): { command: string; args: string[]; shell: boolean } {
  const execPath = process.env.npm_execpath;
  if (execPath && /^np[mx]-cli\.js$/.test(basename(execPath)) && existsSync(execPath)) {
    return { command: process.execPath, args: [execPath.replace(/npx-cli\.js$/, "npm-cli.js")], shell: false };
  }
  return process.platform === "win32" ? { command: "npm.cmd", args: [], shell: true } : { command: "npm", args: [], shell: false };
}

// Run by `npm exec` with the package installed: prints the file of Prism's CLI, found beside the
// node_modules/.bin folder that npm exec put on PATH.
const LOCATE_PRISM = `const { delimiter, join } = require("node:path");
for (const bin of (process.env.PATH || "").split(delimiter)) {
  const entry = join(bin, "..", "@stoplight", "prism-cli", "dist", "index.js");
  if (require("node:fs").existsSync(entry)) { process.stdout.write(entry); process.exit(0); }
}
process.exit(1);`;

/**
 * The pinned Prism from npx (\`npm exec\`): from npm's cache when it is there, downloaded once
 * otherwise. npm only installs and locates it; Prism then runs in this process, as an installed
 * one does, so that Ctrl-C or a kill of this process stops it and its exit status is ours.
 */
function prismFromNpx(): string {
  process.stderr.write(
    `otc-backup-api: Prism is not installed next to otc-backup-api; running ${PRISM_PACKAGE} through npx ` +
      `(the first run downloads it into npm's cache; npm install --save-dev ${PRISM_PACKAGE} avoids that).\n`,
  );
  const npm = npmCommand();
  const args = [...npm.args, "exec", "--yes", "--prefer-offline", `--package=${PRISM_PACKAGE}`, "--", process.execPath, "-e", LOCATE_PRISM];
  const located = spawnSync(npm.command, args, { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", shell: npm.shell });
  const entry = located.stdout?.trim() ?? "";
  if (located.status !== 0 || !existsSync(entry)) {
    return fail(
      `npx could not provide ${PRISM_PACKAGE} (${located.error?.message ?? `exit ${located.status}`}).\n` +
        `Install it next to otc-backup-api instead:  npm install --save-dev ${PRISM_PACKAGE}`,
    );
  }
  return entry;
}

function main(argv: string[]): void {
  if (argv[0] === "check") return void import("./cli/check.js").then(async ({ checkCommand }) => (process.exitCode = await checkCommand(argv.slice(1))));
  const { values, positionals } = parseCommandLine(argv);
  const [command, service, ...extra] = positionals;
  if (values.version && command === undefined) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  if (values.help || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === undefined) usageError("missing command");
  if (command !== "mock") usageError(`unknown command "${command}"`);
  const options = mockOptions(service, extra, values);
  const spec = specPath(options.service);
  const prism = installedPrism() ?? prismFromNpx();
  // Run Prism in this process, so there is no child to orphan when the caller kills us; its
  // yargs CLI reads process.argv.
  process.argv = [process.argv[0] ?? process.execPath, prism, ...prismArgs(options, spec)];
  require(prism);
}

main(process.argv.slice(2));
