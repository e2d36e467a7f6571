// `otc-backup-api mock vbs|cbr`: the bundled spec served by Prism on localhost. Prism is an
// optional peer dependency (it is large, and only this command needs it): when it is not
// installed, npx (`npm exec`) provides the pinned version, from npm's cache when it is there.
// Prism runs as a child of this process; SIGINT and SIGTERM are passed on to it and this process
// ends with its status, so stopping the command always frees the port.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { fail, parseOptions, portOption, text, usageError } from "./common.js";

const PRISM_VERSION = "5.14.2";
const PRISM_PACKAGE = `@stoplight/prism-cli@${PRISM_VERSION}`;

export const MOCK_USAGE = `usage: otc-backup-api mock <vbs|cbr> [--port N] [--host ADDRESS] [--dynamic] [--errors] [-- PRISM OPTIONS]

Serves a mock of the VBS or CBR API, answering from the examples in the bundled OpenAPI spec.

  --port N, -p N        port to listen on (default 4010)
  --host ADDRESS, -h A  address to listen on (default 127.0.0.1, this machine only)
  --dynamic, -d         generate responses from the schemas instead of the documented examples
  --errors              answer with an error when a request or response breaks the spec
  -- PRISM OPTIONS      passed to \`prism mock\` as they are (e.g. -- --verboseLevel debug)

Why a request was refused: Prism's sl-violations response header (docs/mock.md).
Runs Prism: the one installed next to this package, else ${PRISM_PACKAGE} through npx
(downloaded once into npm's cache; npm install --save-dev ${PRISM_PACKAGE} avoids that).
Other commands: otc-backup-api fake --help | check --help | --help | --version`;

const require = createRequire(import.meta.url);

interface MockOptions {
  service: "vbs" | "cbr";
  port: number;
  host: string;
  dynamic: boolean;
  errors: boolean;
  /** Prism's own options, given after `--`. */
  prism: string[];
}

function mockOptions(args: string[]): MockOptions | undefined {
  const dashes = args.indexOf("--");
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const prism = dashes < 0 ? [] : args.slice(dashes + 1);
  const { values, positionals } = parseOptions(MOCK_USAGE, own, {
    port: { type: "string", short: "p" },
    host: { type: "string", short: "h" },
    dynamic: { type: "boolean", short: "d" },
    errors: { type: "boolean" },
    help: { type: "boolean" },
  });
  if (values.help) return undefined;
  const [service, ...extra] = positionals;
  if (service === undefined) usageError(MOCK_USAGE, "mock needs a service: vbs or cbr");
  if (service !== "vbs" && service !== "cbr") usageError(MOCK_USAGE, `unknown service "${service}": use vbs or cbr`);
  if (extra.length) usageError(MOCK_USAGE, `unexpected argument "${extra[0]}"`);
  const host = text(values, "host");
  if (host === "") usageError(MOCK_USAGE, "--host needs a value");
  return {
    service,
    port: portOption(MOCK_USAGE, text(values, "port"), 4010),
    host: host ?? "127.0.0.1",
    dynamic: values.dynamic === true,
    errors: values.errors === true,
    prism,
  };
}

/** The bundled spec shipped with the package: dist/src/cli/mock.js -> generated/ (src/cli/mock.ts in a checkout). */
function specPath(service: string): string {
  for (const relative of [`../../../generated/${service}.openapi.json`, `../../generated/${service}.openapi.json`]) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  return fail(`the bundled ${service} spec is missing from this installation (looked for generated/${service}.openapi.json)`);
}

/**
 * Says in one line why Prism could not listen, before starting it (Prism itself would print its
 * whole help first): the port is taken, the host does not resolve or is not this machine's.
 */
async function checkAddress(host: string, port: number): Promise<void> {
  const server = createServer();
  const problem = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    server.once("error", resolve);
    server.listen(port, host, () => resolve(undefined));
  });
  if (!problem) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return;
  }
  if (problem.code === "EADDRINUSE") fail(`port ${port} on ${host} is in use`);
  if (problem.code === "ENOTFOUND" || problem.code === "EAI_AGAIN") fail(`host "${host}" does not resolve`);
  if (problem.code === "EADDRNOTAVAIL") fail(`"${host}" is not an address of this machine`);
  if (problem.code === "EACCES") fail(`port ${port} on ${host} needs privileges this process does not have`);
  fail(`cannot listen on ${host}:${port}: ${problem.message}`);
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
  return [
    "mock",
    "-h",
    options.host,
    "-p",
    String(options.port),
    ...(options.dynamic ? ["--dynamic"] : []),
    ...(options.errors ? ["--errors"] : []),
    ...options.prism,
    spec,
  ];
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

/** The pinned Prism from npx (`npm exec`): from npm's cache when it is there, downloaded once otherwise. */
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

/** How long Prism gets to stop after a signal before it is killed (a loaded machine can take seconds). */
const STOP_GRACE_MS = 10_000;

export async function runMock(args: string[], usage: () => void): Promise<void> {
  const options = mockOptions(args);
  if (!options) return usage();
  // Signals are taken from the start: the address check below opens the port for a moment, and a
  // signal then (before Prism runs) must stop this command cleanly, not kill it mid-check.
  let child: ReturnType<typeof spawn> | undefined;
  let stopRequested = false;
  const forward = (signal: NodeJS.Signals) => {
    stopRequested = true;
    if (!child) process.exit(0);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    setTimeout(() => child?.kill("SIGKILL"), STOP_GRACE_MS).unref();
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => forward(signal));
  const spec = specPath(options.service);
  await checkAddress(options.host, options.port);
  const prism = installedPrism() ?? prismFromNpx();
  if (stopRequested) process.exit(0);
  child = spawn(process.execPath, [prism, ...prismArgs(options, spec)], { stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => process.exit(code ?? (stopRequested || signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)));
}
