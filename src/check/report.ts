// The outcome of a check: per operation, how many calls and which statuses; each disagreement by
// operation and place, counted over every answer; nothing identifying (see anonymize.ts).
import { validateResponse } from "../validate/response.js";
import type { SchemaIssue, ServiceName } from "../validate/types.js";
import { showableValue, type Anonymizer } from "./anonymize.js";
import type { Failure, Observation } from "./crawl.js";

export interface OperationSummary {
  service: ServiceName;
  operationId: string;
  method: string;
  path: string;
  calls: number;
  statuses: Record<string, number>;
  disagreements: number;
  notices: number;
  failures: number;
}

export interface Disagreement {
  service: ServiceName;
  operationId: string;
  status: number;
  /** JSON pointer with array indexes as `*` (or header:<name>). */
  pointer: string;
  keyword: string;
  /** What the spec says there. */
  expected: string;
  /** The JSON type that came, or `missing`. */
  actual: string;
  /** The value itself, only for enumerated fields and short status-like tokens. */
  value?: string | number;
  /** An addition the spec allows (a new value of an open enum, an undeclared property). */
  notice?: true;
  /** Answers that showed it. */
  count: number;
}

export interface CheckReport {
  tool: "otc-backup-api check";
  version: string;
  services: ServiceName[];
  requests: number;
  /** Set when the request budget ended the run early. */
  stoppedAt?: number;
  operations: OperationSummary[];
  disagreements: Disagreement[];
  failures: { service: ServiceName; operationId: string; kind: string; count: number }[];
}

export class ReportBuilder {
  readonly #operations = new Map<string, OperationSummary>();
  readonly #disagreements = new Map<string, Disagreement>();
  readonly #failures = new Map<string, CheckReport["failures"][number]>();
  requests = 0;

  constructor(readonly anonymizer: Anonymizer) {}

  /** Validates one answer; returns its issues (as the validator reports them). */
  add(observation: Observation): SchemaIssue[] {
    const { call, status } = observation;
    const summary = this.#summary(call);
    summary.calls++;
    summary.statuses[status] = (summary.statuses[status] ?? 0) + 1;
    const issues: SchemaIssue[] = observation.notJson
      ? [{ pointer: "", keyword: "body", expected: "a JSON body", actual: "not JSON" }]
      : validateResponse(call.service, call.operationId, status, observation.body, observation.headers);
    for (const issue of issues) {
      const pointer = this.anonymizer.pointer(issue.pointer);
      const key = [call.service, call.operationId, status, pointer, issue.keyword, issue.expected, issue.actual].join("\u0000");
      const known = this.#disagreements.get(key);
      if (known) {
        known.count++;
        continue;
      }
      const entry: Disagreement = {
        service: call.service,
        operationId: call.operationId,
        status,
        pointer,
        keyword: issue.keyword,
        expected: issue.expected,
        actual: issue.actual,
        count: 1,
      };
      if (showableValue(issue.pointer, issue.keyword, issue.value) && (typeof issue.value === "string" || typeof issue.value === "number"))
        entry.value = issue.value;
      if (issue.notice) entry.notice = true;
      this.#disagreements.set(key, entry);
      if (issue.notice) summary.notices++;
      else summary.disagreements++;
    }
    return issues;
  }

  fail(failure: Failure): void {
    this.#summary(failure.call).failures++;
    const key = `${failure.call.service} ${failure.call.operationId} ${failure.kind}`;
    const known = this.#failures.get(key);
    if (known) known.count++;
    else this.#failures.set(key, { service: failure.call.service, operationId: failure.call.operationId, kind: failure.kind, count: 1 });
  }

  build(version: string, services: ServiceName[], stoppedAt: number | undefined): CheckReport {
    const report: CheckReport = {
      tool: "otc-backup-api check",
      version,
      services,
      requests: this.requests,
      operations: [...this.#operations.values()],
      disagreements: [...this.#disagreements.values()],
      failures: [...this.#failures.values()],
    };
    if (stoppedAt !== undefined) report.stoppedAt = stoppedAt;
    return report;
  }

  #summary(call: Observation["call"]): OperationSummary {
    const key = `${call.service} ${call.operationId}`;
    let summary = this.#operations.get(key);
    if (!summary) {
      summary = {
        service: call.service,
        operationId: call.operationId,
        method: call.method,
        path: call.path,
        calls: 0,
        statuses: {},
        disagreements: 0,
        notices: 0,
        failures: 0,
      };
      this.#operations.set(key, summary);
    }
    return summary;
  }
}
