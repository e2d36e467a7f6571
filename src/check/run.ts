// One run of `otc-backup-api check`: credentials as the library resolves them, a crawl of each
// service's read-only operations within one request budget, validation of every answer, the
// report and the recordings. Returns the exit status: 0 all conform, 1 disagreements (or calls
// without an answer), 2 configuration or authentication errors.
import { writeFileSync } from "node:fs";
import { AuthenticationError } from "../auth/errors.js";
import { createCbrClient, createVbsClient } from "../clients.js";
import { ConfigError } from "../config/errors.js";
import { loadClientOptions } from "../config/load.js";
import type { Env } from "../config/cloud-config.js";
import type { ServiceName } from "../validate/types.js";
import { Anonymizer } from "./anonymize.js";
import { Budget, crawl, DEFAULT_LIMITS, rootCalls, type CrawlClient, type CrawlLimits, type PlannedCall } from "./crawl.js";
import { reportMarkdown, summaryTable } from "./markdown.js";
import { planFor } from "./plan.js";
import { Recorder } from "./record.js";
import { ReportBuilder, type CheckReport } from "./report.js";

export interface CheckOptions {
  services: ServiceName[];
  cloud?: string | undefined;
  maxRequests?: number | undefined;
  /** Markdown, or JSON when the name ends in .json. */
  reportFile?: string | undefined;
  recordDir?: string | undefined;
  dryRun?: boolean | undefined;
  version: string;
  env?: Env | undefined;
  /** Where the report summary goes (stdout). */
  out: (text: string) => void;
  /** Where progress and errors go (stderr). */
  err: (text: string) => void;
  /** Show a progress line (stderr is a terminal). */
  progress?: boolean | undefined;
  /** Today's date for the recordings (YYYY-MM-DD). */
  today?: string | undefined;
  limits?: Partial<CrawlLimits> | undefined;
}

/** Thrown for what the user must fix: the message is the whole explanation. */
export class CheckSetupError extends Error {}

export async function runCheck(options: CheckOptions): Promise<number> {
  const limits: CrawlLimits = {
    ...DEFAULT_LIMITS,
    ...options.limits,
    ...(options.maxRequests !== undefined ? { maxRequests: options.maxRequests } : {}),
  };
  if (options.dryRun) {
    options.out(dryRunText(options.services, limits));
    return 0;
  }
  const anonymizer = new Anonymizer();
  const builder = new ReportBuilder(anonymizer);
  const recorder = options.recordDir
    ? new Recorder(anonymizer, options.version, options.today ?? new Date().toISOString().slice(0, 10))
    : undefined;
  const budget = new Budget(limits.maxRequests);
  const progress = options.progress ? (text: string) => options.err(`\r\x1b[K${text}`) : undefined;
  try {
    for (const service of options.services) {
      const client = await clientFor(service, options);
      let first = true;
      await crawl(service, client, limits, budget, {
        onCall: (call, done) => progress?.(`check ${service}: ${done}/${limits.maxRequests} requests · ${call.operationId}`),
        onObservation: (observation) => {
          if (first && observation.status === 401) {
            throw new CheckSetupError(
              `${service}: the service refused the credentials (401 on ${observation.call.operationId}); check the token, the keys or the password`,
            );
          }
          first = false;
          builder.requests++;
          const issues = builder.add(observation);
          recorder?.add(observation, issues);
        },
        onFailure: (failure) => {
          builder.requests++;
          builder.fail(failure);
        },
      });
    }
  } catch (error) {
    progress?.("");
    if (error instanceof CheckSetupError || error instanceof ConfigError || error instanceof AuthenticationError) {
      options.err(`otc-backup-api check: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  progress?.("");
  const report = builder.build(options.version, options.services, budget.exhausted ? limits.maxRequests : undefined);
  if (options.reportFile) {
    writeFileSync(
      options.reportFile,
      options.reportFile.endsWith(".json") ? `${JSON.stringify(report, null, 2)}\n` : `${reportMarkdown(report)}\n`,
    );
  }
  const written = recorder && options.recordDir ? recorder.write(options.recordDir) : [];
  options.out(`${summaryTable(report)}\n\n${conclusion(report, options, written.length)}\n`);
  return report.disagreements.length > 0 || report.failures.length > 0 ? 1 : 0;
}

async function clientFor(service: ServiceName, options: CheckOptions): Promise<CrawlClient> {
  let clientOptions;
  try {
    clientOptions = await loadClientOptions(service, { cloud: options.cloud, env: options.env ?? process.env });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AuthenticationError) throw error;
    // Discovery's TypeErrors ("the credentials do not name a project") are the user's to fix.
    if (error instanceof TypeError) throw new CheckSetupError(error.message);
    throw error;
  }
  const client = service === "cbr" ? createCbrClient(clientOptions) : createVbsClient(clientOptions);
  return client as unknown as CrawlClient;
}

function conclusion(report: CheckReport, options: CheckOptions, files: number): string {
  const errors = report.disagreements.filter((d) => !d.notice);
  const notices = report.disagreements.length - errors.length;
  const lines = [
    report.disagreements.length === 0 && report.failures.length === 0
      ? `All ${report.requests} answers conform to the spec.`
      : `${errors.length} disagreements and ${notices} notices in ${report.requests} answers` +
        (report.failures.length ? `; ${report.failures.reduce((n, f) => n + f.count, 0)} calls got no answer.` : "."),
  ];
  if (report.stoppedAt !== undefined) lines.push(`Stopped at --max-requests ${report.stoppedAt}; raise it to check more.`);
  if (!options.reportFile) {
    for (const d of report.disagreements) {
      lines.push(
        `  ${d.notice ? "notice" : "disagreement"}: ${d.service} ${d.operationId} ${d.status} ${d.pointer || "/"}: spec says ${d.expected}, came ${d.actual}${d.value !== undefined ? ` ${JSON.stringify(d.value)}` : ""} (${d.count}×)`,
      );
    }
  } else lines.push(`Report written to ${options.reportFile}.`);
  if (options.recordDir) lines.push(`${files} files recorded in ${options.recordDir}.`);
  return lines.join("\n");
}

function dryRunText(services: ServiceName[], limits: CrawlLimits): string {
  const describe = (call: PlannedCall) =>
    `  ${call.method} ${call.path}${call.query ? `?${new URLSearchParams(call.query).toString()}` : ""}${call.body ? ` ${JSON.stringify(call.body)}` : ""}  (${call.operationId})`;
  const lines = [
    `Read-only calls, at most ${limits.maxRequests} requests in all; lists up to ${limits.maxPages} pages of ${limits.pageSize}:`,
  ];
  for (const service of services) {
    lines.push(``, `${service}:`, ...rootCalls(service, limits).map(describe));
    for (const link of planFor(service).links) {
      lines.push(
        `  then ${link.operationId} for the first ${limits.maxDetails} items of each page of ${link.from} (${link.param} from ${link.items}[].${link.field})`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
