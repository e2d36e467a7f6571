#!/usr/bin/env node
// The package's bin: one command per file in src/cli/. `mock` serves a bundled spec with Prism,
// `fake` the stateful fake of CBR, VBS and IAM, `check` the specs against an account; each loads
// only what it needs.
import { packageVersion, usageError } from "./cli/common.js";

const USAGE = `usage: otc-backup-api <mock|fake|check> … | --help | --version

  otc-backup-api mock <vbs|cbr> [--port N] [--host ADDRESS] [--dynamic] [--errors] [-- PRISM OPTIONS]
      Prism answering with the bundled spec's examples (otc-backup-api mock --help)
  otc-backup-api fake [--port N] [--host ADDRESS] [--seed S] [--speed X]
      a stateful fake of CBR, VBS and IAM (otc-backup-api fake --help)
  otc-backup-api check [--cloud NAME] [--service cbr|vbs] …
      the specs against your account (otc-backup-api check --help)`;

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === "--version" || command === "-v") return void process.stdout.write(`${packageVersion()}\n`);
  if (command === "--help" || command === "help") return void process.stdout.write(`${USAGE}\n`);
  if (command === undefined) usageError(USAGE, "missing command");
  if (command === "-h") usageError(USAGE, "-h is the short form of --host; for help use --help");
  if (command === "mock") {
    const { runMock, MOCK_USAGE } = await import("./cli/mock.js");
    return runMock(rest, () => void process.stdout.write(`${MOCK_USAGE}\n`));
  }
  if (command === "fake") return (await import("./cli/fake.js")).runFake(rest);
  if (command === "check") return void (process.exitCode = await (await import("./cli/check.js")).checkCommand(rest));
  usageError(USAGE, `unknown command "${command}"`);
}

await main(process.argv.slice(2));
