// What every command of the bin shares: how it reports a usage error or a failure, and how it
// reads its options.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A usage error: message and the command's usage line on stderr, exit status 2. */
export function usageError(usage: string, message: string): never {
  process.stderr.write(`otc-backup-api: ${message}\n${usage.split("\n")[0]}\nRun otc-backup-api --help for the options.\n`);
  process.exit(2);
}

/** A failure that is not the caller's syntax: one line on stderr, exit status 1. */
export function fail(message: string): never {
  process.stderr.write(`otc-backup-api: ${message}\n`);
  process.exit(1);
}

export function packageVersion(): string {
  for (const relative of ["../../../package.json", "../../package.json", "../package.json"]) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version: string };
      if (pkg.name === "otc-backup-api") return pkg.version;
    }
  }
  return "unknown";
}

export interface ParsedOptions {
  /** Each option given: a string, or true for a flag. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** util.parseArgs, its errors said in the words of the command's usage. */
export function parseOptions(usage: string, args: string[], options: NonNullable<ParseArgsConfig["options"]>): ParsedOptions {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedOptions["values"], positionals };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const option = /'(-[^' ]*)/.exec(message)?.[1] ?? "";
    const long = /--\w[\w-]*/.exec(message)?.[0] ?? option;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") usageError(usage, `unknown option "${option}"`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") usageError(usage, `${long} needs a value`);
    return usageError(usage, message);
  }
}

/** An option that takes a value (parseArgs has already refused it without one). */
export function text(values: ParsedOptions["values"], name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** A --port value: an integer from `min` to 65535. */
export function portOption(usage: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < min || port > 65_535) usageError(usage, `--port takes a number from ${min} to 65535, got "${value}"`);
  return port;
}
