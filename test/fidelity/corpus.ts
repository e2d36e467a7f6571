// The evidence corpus: payloads from public peer projects, each with its source and verdict.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Service } from "./schema-validator.js";

/** Where a payload comes from: a file of a peer project, or a response recorded from the service. */
export type Source = PeerSource | RecordedSource;

export interface PeerSource {
  kind?: "peer";
  /** The peer project, e.g. "gophertelekomcloud". */
  project: string;
  /** owner/name on GitHub. */
  repository: string;
  /** Full commit hash the payload was read at. */
  commit: string;
  path: string;
  /** Line range, e.g. "120-148". */
  lines: string;
  license: string;
}

/**
 * A response recorded from the service itself (for example by `otc-backup-api check --record`),
 * or a documentation example known only from such a report. Recordings carry stand-ins for
 * every ID and no names, descriptions, tags or addresses.
 */
export interface RecordedSource {
  kind: "recorded";
  /** Who recorded it, e.g. "otc-backup-api check" or "recorded responses". */
  project: string;
  /** What was recorded: the call, the region or edition, when, how often it was seen. */
  recorded: string;
}

export interface Entry {
  /** Unique across the corpus; the payload file is `payloads/<id>.json`. */
  id: string;
  operationId: string;
  /** request: a JSON request body; response: a JSON response body; query: `{ name: value | [values] }` as sent. */
  kind: "request" | "response" | "query";
  /** HTTP status of a response. */
  status?: number;
  source: Source;
  /** How the payload was taken from the source (copied as is, which parts were left out and why). */
  extraction: string;
  verdict: "accepted" | "rejected";
  /** Why the specs rightly reject a rejected payload. */
  reason?: string;
}

export interface Payload extends Entry {
  service: Service;
  file: string;
  payload: unknown;
}

const root = fileURLToPath(new URL(".", import.meta.url));

export function indexFile(service: Service): string {
  return `${root}${service}/index.json`;
}

export function payloadDir(service: Service): string {
  return `${root}${service}/payloads`;
}

export function loadCorpus(service: Service): Payload[] {
  if (!existsSync(indexFile(service))) return [];
  const entries = JSON.parse(readFileSync(indexFile(service), "utf8")) as Entry[];
  return entries.map((entry) => {
    const file = `${payloadDir(service)}/${entry.id}.json`;
    return { ...entry, service, file, payload: existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined };
  });
}

export function payloadFiles(service: Service): string[] {
  return existsSync(payloadDir(service)) ? readdirSync(payloadDir(service)).filter((f) => f.endsWith(".json")) : [];
}
