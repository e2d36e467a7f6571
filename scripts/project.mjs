// What every script needs: the repository root, Redocly run the same way everywhere, and
// command-line arguments parsed by util.parseArgs with a usage message on a mistake.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Both APIs, as named in redocly.yaml and in the file names under generated/. */
export const SERVICES = ["vbs", "cbr"];

const redoclyCli = join(root, "node_modules", "@redocly", "cli", "bin", "cli.js");
// Telemetry off (also set in redocly.yaml), and no update notice in logs.
const redoclyEnv = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

/**
 * Runs the Redocly CLI in the repository root (so that it reads redocly.yaml). Returns its exit
 * status and output; throws with its output when `check` is set and it failed.
 */
export function redocly(args, { check = true } = {}) {
  const result = spawnSync(process.execPath, [redoclyCli, ...args], {
    cwd: root,
    env: redoclyEnv,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  const outcome = { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
  if (check && outcome.status !== 0) {
    throw new Error(`redocly ${args.join(" ")} failed (exit ${outcome.status}):\n${withoutBanner(outcome.stdout + outcome.stderr)}`);
  }
  return outcome;
}

/** Redocly's boxed banners (e.g. Node 20's end of support) carry no finding. */
const withoutBanner = (text) =>
  text
    .split("\n")
    .filter((line) => !/[║╔╚]/.test(line))
    .join("\n")
    .trim();

/**
 * util.parseArgs with the script's usage: `--help` prints it, a wrong option prints the problem
 * and the usage and exits with status 2.
 */
export function scriptArgs(usage, options, { allowPositionals = false } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${usage}\n`);
    process.exit(2);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed;
}
