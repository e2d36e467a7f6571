// Seeded fault injection. Each rule matches requests (by service, operationId, method) and, with
// its probability, answers them with a fault instead of the fake's answer: a delay, a status
// (429 with Retry-After, 500, 502, 503, 504) or a connection dropped before the headers or in
// the middle of the body. Decisions come from a seeded source, so a seed replays the same run.
import { seededRandom, type Random } from "./random.js";

export type FaultKind = "latency" | "status" | "drop-before-headers" | "drop-during-body";

export interface FaultRule {
  kind: FaultKind;
  /** Only requests of this service (`iam`, `cbr`, `vbs`). */
  service?: "iam" | "cbr" | "vbs" | undefined;
  /** Only this operation (an operationId of the spec). */
  operationId?: string | undefined;
  /** Only this method (`GET`, `POST`…). */
  method?: string | undefined;
  /** Chance that a matching request gets the fault (default 1). */
  probability?: number | undefined;
  /** At most this many faults from this rule (default unlimited). */
  times?: number | undefined;
  /** kind "status": the status sent (429, 500, 502, 503 or 504). */
  status?: 429 | 500 | 502 | 503 | 504 | undefined;
  /** kind "status" 429: the Retry-After header, in seconds (default 1). */
  retryAfterSeconds?: number | undefined;
  /** kind "latency": the delay before the answer, in wall-clock milliseconds. */
  latencyMs?: number | undefined;
}

export interface FaultDecision {
  rule: FaultRule;
}

const STATUSES = new Set([429, 500, 502, 503, 504]);
const KINDS = new Set<FaultKind>(["latency", "status", "drop-before-headers", "drop-during-body"]);

export class Faults {
  #rules: Array<{ rule: FaultRule; used: number }> = [];
  #random: Random;

  constructor(seed: number) {
    this.#random = seededRandom(seed ^ 0x5eed);
  }

  /** Replaces every rule (an empty list turns faults off). */
  set(rules: readonly FaultRule[], seed?: number): void {
    for (const rule of rules) checkRule(rule);
    this.#rules = rules.map((rule) => ({ rule: { ...rule }, used: 0 }));
    if (seed !== undefined) this.#random = seededRandom(seed ^ 0x5eed);
  }

  add(rule: FaultRule): void {
    checkRule(rule);
    this.#rules.push({ rule: { ...rule }, used: 0 });
  }

  clear(): void {
    this.#rules = [];
  }

  get rules(): FaultRule[] {
    return this.#rules.map((r) => ({ ...r.rule }));
  }

  /** The faults for one request, latency first; at most one that replaces the answer. */
  decide(request: { service: string; operationId: string | undefined; method: string }): FaultRule[] {
    const chosen: FaultRule[] = [];
    let replaced = false;
    for (const entry of this.#rules) {
      const { rule } = entry;
      if (rule.service !== undefined && rule.service !== request.service) continue;
      if (rule.operationId !== undefined && rule.operationId !== request.operationId) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== request.method) continue;
      if (rule.times !== undefined && entry.used >= rule.times) continue;
      if (rule.kind !== "latency" && replaced) continue;
      if (this.#random() >= (rule.probability ?? 1)) continue;
      entry.used++;
      if (rule.kind !== "latency") replaced = true;
      chosen.push(rule);
    }
    return chosen;
  }
}

function checkRule(rule: FaultRule): void {
  if (!rule || typeof rule !== "object" || !KINDS.has(rule.kind))
    throw new TypeError(`fake: a fault's \`kind\` must be one of ${[...KINDS].join(", ")}`);
  if (rule.kind === "status" && !STATUSES.has(rule.status as number))
    throw new TypeError("fake: a status fault's `status` must be 429, 500, 502, 503 or 504");
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1))
    throw new TypeError("fake: a fault's `probability` must be between 0 and 1");
  if (rule.kind === "latency" && !(typeof rule.latencyMs === "number" && rule.latencyMs >= 0))
    throw new TypeError("fake: a latency fault needs `latencyMs` ≥ 0");
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 0))
    throw new TypeError("fake: a fault's `times` must be an integer ≥ 0");
}
