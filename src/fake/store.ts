// The fake's whole state as plain data: records by kind, scheduled status changes, issued
// tokens. Plain data so that a snapshot is a deep copy and reset() a fresh start.
import { hexIdFrom, seededRandom, uuidFrom, type Random } from "./random.js";
import type { Json } from "./spec.js";

export const REGIONS = ["eu-de", "eu-nl"] as const;
export type Region = (typeof REGIONS)[number];

/** A status change due at simulated time `at`, applied by the handler of its `type`. */
export interface ScheduledEvent {
  at: number;
  seq: number;
  type: string;
  region: Region;
  id: string;
  data?: Json;
}

export interface CbrState {
  vaults: Record<string, Json>;
  /** The policy bound to a vault, by vault id. */
  vaultPolicies: Record<string, string>;
  policies: Record<string, Json>;
  checkpoints: Record<string, Json>;
  backups: Record<string, Json>;
  operationLogs: Record<string, Json>;
  members: Record<string, Json>;
}

export interface VbsState {
  backups: Record<string, Json>;
  jobs: Record<string, Json>;
  policies: Record<string, Json>;
  /** Volumes bound to a policy, by policy id. */
  policyResources: Record<string, string[]>;
  policyTasks: Record<string, Json[]>;
  sharings: Record<string, Json>;
}

export interface IamState {
  tokens: Record<
    string,
    { projectId: string; projectName: string; region: string; userId: string; expiresAt: number; agency?: string | undefined }
  >;
  /** Temporary access keys: secret, security token, expiry. */
  temporaryKeys: Record<string, { secret: string; securityToken: string; expiresAt: number; projectId: string }>;
}

export interface FakeState {
  seq: number;
  events: ScheduledEvent[];
  iam: IamState;
  cbr: Record<Region, CbrState>;
  vbs: Record<Region, VbsState>;
}

function emptyState(): FakeState {
  const cbr = (): CbrState => ({
    vaults: {},
    vaultPolicies: {},
    policies: {},
    checkpoints: {},
    backups: {},
    operationLogs: {},
    members: {},
  });
  const vbs = (): VbsState => ({ backups: {}, jobs: {}, policies: {}, policyResources: {}, policyTasks: {}, sharings: {} });
  return {
    seq: 0,
    events: [],
    iam: { tokens: {}, temporaryKeys: {} },
    cbr: { "eu-de": cbr(), "eu-nl": cbr() },
    vbs: { "eu-de": vbs(), "eu-nl": vbs() },
  };
}

export type EventHandler = (event: ScheduledEvent) => void;

export class Store {
  state: FakeState = emptyState();
  readonly #random: Random;
  readonly #handlers = new Map<string, EventHandler>();

  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  uuid(): string {
    return uuidFrom(this.#random);
  }

  hexId(): string {
    return hexIdFrom(this.#random);
  }

  onEvent(type: string, handler: EventHandler): void {
    this.#handlers.set(type, handler);
  }

  /** Schedules a status change; events due at the same time run in the order scheduled. */
  schedule(at: number, type: string, region: Region, id: string, data?: Json): void {
    const event: ScheduledEvent = { at, seq: ++this.state.seq, type, region, id, data };
    const events = this.state.events;
    let i = events.length;
    while (i > 0 && events[i - 1]!.at > at) i--;
    events.splice(i, 0, event);
  }

  /** Runs every event due at `now` (an event may schedule further ones). */
  runDue(now: number): void {
    const events = this.state.events;
    while (events.length > 0 && events[0]!.at <= now) {
      const event = events.shift()!;
      this.#handlers.get(event.type)?.(event);
    }
  }

  snapshot(): FakeState {
    return structuredClone(this.state);
  }

  restore(snapshot: FakeState): void {
    this.state = structuredClone(snapshot);
  }

  reset(): void {
    this.state = emptyState();
  }
}

/**
 * Keeps the newest `max` records of a kind that only grows (tasks, jobs), dropping the oldest,
 * so that a long run's memory stays flat.
 */
export function keepNewest(records: Record<string, unknown>, max: number): void {
  const keys = Object.keys(records);
  for (let i = 0; i < keys.length - max; i++) delete records[keys[i]!];
}

/** Tasks (CBR operation logs) and VBS jobs kept per region; older ones are forgotten. */
export const HISTORY_LIMIT = 500;

/** CBR's time format: `2019-05-10T07:59:12.733+00:00`. */
export function cbrTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

/** VBS's time format: `2019-03-16T11:56:00.917245` (microseconds, no zone). */
export function vbsTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000");
}
