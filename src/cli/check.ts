// `otc-backup-api check`: calls the read-only operations of both services with the user's own
// credentials and reports where the answers disagree with the bundled specs (src/check/).
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runCheck } from "../check/run.js";
import type { ServiceName } from "../validate/types.js";

export const CHECK_USAGE = `usage: otc-backup-api check [--cloud NAME] [--service cbr|vbs] [--max-requests N] [--report FILE] [--record DIR] [--dry-run]

Checks the bundled specs against your own account: calls only operations that read (GETs, and the
tag filters the spec marks read-only), follows lists into detail calls (a few pages, a few items
each), and validates every status, declared header and body. Nothing identifying is kept: IDs
become stand-ins; names, descriptions, tags, addresses, URLs and free text are left out.

  --cloud NAME          the cloud of clouds.yaml to use (default OS_CLOUD, else the OS_* variables)
  --service cbr|vbs     check one service (default both)
  --max-requests N      stop after N requests in all (default 200)
  --report FILE         write the report: Markdown, or JSON when FILE ends in .json
  --record DIR          write the anonymized answers as evidence (test/fidelity format)
  --dry-run             list the calls it would make, without credentials or network

Exit status: 0 every answer conforms, 1 disagreements (or calls without an answer),
2 a usage, configuration or authentication error.`;

/** Runs the command; resolves to the exit status. */
export async function checkCommand(
  argv: string[],
  io: { out?: (t: string) => void; err?: (t: string) => void; env?: NodeJS.ProcessEnv; isTTY?: boolean } = {},
): Promise<number> {
  const out = io.out ?? ((t: string) => void process.stdout.write(t));
  const err = io.err ?? ((t: string) => void process.stderr.write(t));
  const usageError = (message: string) => {
    err(`otc-backup-api check: ${message}\n${CHECK_USAGE.split("\n")[0]}\nRun otc-backup-api check --help for the options.\n`);
    return 2;
  };
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        cloud: { type: "string" },
        service: { type: "string" },
        "max-requests": { type: "string" },
        report: { type: "string" },
        record: { type: "string" },
        "dry-run": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) {
    out(`${CHECK_USAGE}\n`);
    return 0;
  }
  const service = values.service;
  if (service !== undefined && service !== "cbr" && service !== "vbs") return usageError(`--service takes cbr or vbs, got "${service}"`);
  let maxRequests: number | undefined;
  if (values["max-requests"] !== undefined) {
    maxRequests = Number(values["max-requests"]);
    if (!/^\d+$/.test(values["max-requests"]) || maxRequests < 1)
      return usageError(`--max-requests takes a positive whole number, got "${values["max-requests"]}"`);
  }
  if (values.cloud !== undefined && values.cloud.trim() === "") return usageError("--cloud needs a cloud name");
  try {
    return await runCheck({
      services: service ? [service as ServiceName] : ["cbr", "vbs"],
      cloud: values.cloud,
      maxRequests,
      reportFile: values.report,
      recordDir: values.record,
      dryRun: values["dry-run"] === true,
      version: packageVersion(),
      env: io.env ?? process.env,
      out,
      err,
      progress: io.isTTY ?? process.stderr.isTTY === true,
    });
  } catch (error) {
    // A bug or an unexpected failure: said in one line, without a stack full of paths.
    err(`otc-backup-api check: ${(error as Error).name}: ${(error as Error).message}\n`);
    return 1;
  }
}

function packageVersion(): string {
  // dist/src/cli/check.js is three folders below the package root, src/cli/check.ts two.
  for (const relative of ["../../../package.json", "../../package.json"]) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version: string };
      if (parsed.name === "otc-backup-api") return parsed.version;
    }
  }
  return "unknown";
}
