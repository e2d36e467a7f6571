// `--record DIR`: the anonymized answers in the format of the project's evidence corpus
// (test/fidelity: <service>/index.json and <service>/payloads/<id>.json), so that a maintainer
// can add them as evidence. A few answers per operation and status: the first, and those that
// disagree with the spec.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SchemaIssue, ServiceName } from "../validate/types.js";
import type { Anonymizer } from "./anonymize.js";
import type { Observation } from "./crawl.js";

const PER_STATUS = 3;

interface Recorded {
  id: string;
  operationId: string;
  kind: "response";
  status: number;
  source: { kind: "recorded"; project: string; recorded: string };
  extraction: string;
  verdict: "accepted";
}

export class Recorder {
  readonly #entries = new Map<ServiceName, { entry: Recorded; payload: unknown }[]>();
  readonly #counts = new Map<string, number>();

  constructor(
    readonly anonymizer: Anonymizer,
    readonly version: string,
    readonly date: string,
  ) {}

  add(observation: Observation, issues: SchemaIssue[]): void {
    const { call, status, body } = observation;
    if (body === undefined) return;
    const key = `${call.service} ${call.operationId} ${status}`;
    const seen = this.#counts.get(key) ?? 0;
    if (seen >= PER_STATUS || (seen > 0 && issues.length === 0)) return;
    this.#counts.set(key, seen + 1);
    const list = this.#entries.get(call.service) ?? [];
    this.#entries.set(call.service, list);
    list.push({
      entry: {
        id: `check-${call.operationId}-${status}-${seen + 1}`,
        operationId: call.operationId,
        kind: "response",
        status,
        source: {
          kind: "recorded",
          project: "otc-backup-api check",
          recorded: `${call.method} ${call.path} answered ${status}; recorded by otc-backup-api check ${this.version} on ${this.date}.`,
        },
        extraction:
          "Anonymized by otc-backup-api check: IDs replaced by stable stand-ins of the same shape; names, descriptions, tags, metadata, addresses, URLs and free text replaced by placeholders; numbers, booleans, timestamps and short tokens kept." +
          (issues.length
            ? ` The spec disagreed at ${[...new Set(issues.map((i) => this.anonymizer.pointer(i.pointer) || "/"))].join(", ")}.`
            : ""),
        verdict: "accepted",
      },
      payload: this.anonymizer.payload(body),
    });
  }

  /** Writes what was recorded; returns the files written. */
  write(dir: string): string[] {
    const written: string[] = [];
    for (const [service, list] of this.#entries) {
      const payloads = join(dir, service, "payloads");
      mkdirSync(payloads, { recursive: true });
      for (const { entry, payload } of list) {
        const file = join(payloads, `${entry.id}.json`);
        writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
        written.push(file);
      }
      const index = join(dir, service, "index.json");
      writeFileSync(
        index,
        `${JSON.stringify(
          list.map((l) => l.entry),
          null,
          2,
        )}\n`,
      );
      written.push(index);
    }
    return written;
  }
}
