// otc-backup-api/fake: a stateful in-memory fake of CBR, VBS and IAM's token API on localhost,
// for testing backup automation offline. `startFake()` starts it and returns its endpoints and
// credentials in the shape the client's options take.
import type { Clock } from "../clock.js";
import { registerCbr } from "./cbr.js";
import { DEFAULT_DURATIONS, type Durations } from "./context.js";
import { SimulatedClock } from "./clock.js";
import { Faults, type FaultRule } from "./faults.js";
import { FakeIam, type FakeAccount } from "./iam.js";
import { listen, type Exchange } from "./server.js";
import { loadSpec } from "./spec.js";
import { REGIONS, Store, type FakeState, type Region } from "./store.js";
import { registerVbsEvents } from "./vbs.js";
import { hexIdFrom, seededRandom } from "./random.js";

export type { Durations, Exchange, FaultRule, FakeState, Region };
export type { FaultKind } from "./faults.js";

export interface FakeOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number | undefined;
  /** Address to listen on (default 127.0.0.1). */
  host?: string | undefined;
  /** Seed of ids and fault decisions (default 1). */
  seed?: number | undefined;
  /** Simulated time runs at this many times the wall clock (default 1; 0 stops it: only advance() moves it). */
  speed?: number | undefined;
  /**
   * Simulated milliseconds that asynchronous work takes (defaults: backups and restores 10 000,
   * deletions 5 000, replication 15 000). 0 settles work at the first poll.
   */
  durations?: Partial<Durations> | undefined;
}

export interface FakeCredentials {
  /** For passwordAuth(...) as it is. */
  password: { authUrl: string; user: string; password: string; domainName: string; projectName: string };
  /** For akskAuth(...) as it is. */
  aksk: { accessKey: string; secretKey: string; projectId: string };
  /** For agencyAuth(...), with `auth` added: the agency this account may assume. */
  agency: { authUrl: string; domainName: string; agencyName: string; projectName: string };
}

export interface Fake {
  /** IAM's v3 URL (`authUrl` of the auth strategies). */
  iam: string;
  /** CBR's endpoint in the main region (eu-de). */
  cbr: string;
  /** VBS's endpoint in the main region (eu-de). */
  vbs: string;
  /** Both services' endpoints in both regions. */
  endpoints: { cbr: Record<Region, string>; vbs: Record<Region, string> };
  /** The main project (eu-de). */
  projectId: string;
  region: Region;
  /** The account's project in each region (replication targets). */
  projects: Record<Region, string>;
  /** A second project in eu-de (`eu-de_shared`), to share backups with. */
  sharedProjectId: string;
  credentials: FakeCredentials;
  /** Admin endpoints: POST {admin}/advance {ms}, /faults {rules}, /reset, GET /snapshot… */
  admin: string;
  /** Simulated time: a Clock whose sleep advances the fake instead of waiting (pass it to waiters). */
  clock: Clock;
  /** Moves simulated time forward; returns the new time. */
  advance(ms: number): number;
  setSpeed(speed: number): void;
  /** Replaces the fault rules (an empty list turns faults off); `seed` restarts their random source. */
  setFaults(rules: readonly FaultRule[], seed?: number): void;
  snapshot(): FakeState;
  restore(snapshot: FakeState): void;
  /** Forgets every resource, token and fault. */
  reset(): void;
  /** Calls `listener` with every answer sent; returns a function that stops it. */
  onExchange(listener: (exchange: Exchange) => void): () => void;
  stop(): Promise<void>;
}

const DOMAIN_NAME = "OTC00000000001000000xxx";

export async function startFake(options: FakeOptions = {}): Promise<Fake> {
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new TypeError("startFake: `seed` must be an integer");
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError("startFake: `port` must be an integer from 0 to 65535");
  const durations: Durations = { ...DEFAULT_DURATIONS };
  for (const [name, value] of Object.entries(options.durations ?? {})) {
    if (!(name in DEFAULT_DURATIONS))
      throw new TypeError(`startFake: \`durations.${name}\` is not a duration (${Object.keys(DEFAULT_DURATIONS).join(", ")})`);
    if (!(typeof value === "number" && value >= 0 && Number.isFinite(value)))
      throw new TypeError(`startFake: \`durations.${name}\` must be a finite number ≥ 0`);
    durations[name as keyof Durations] = value;
  }
  const ids = seededRandom(seed ^ 0xacc0);
  const projects: Record<Region, string> = { "eu-de": hexIdFrom(ids), "eu-nl": hexIdFrom(ids) };
  const sharedProjectId = hexIdFrom(ids);
  const account: FakeAccount = {
    user: "backup-bot",
    userId: hexIdFrom(ids),
    password: `fake-password-${seed}`,
    domainName: DOMAIN_NAME,
    domainId: hexIdFrom(ids),
    projects: [
      { name: "eu-de_backup", id: projects["eu-de"], region: "eu-de" },
      { name: "eu-nl", id: projects["eu-nl"], region: "eu-nl" },
      { name: "eu-de_shared", id: sharedProjectId, region: "eu-de" },
    ],
    agencies: [{ domainName: "OTC00000000001000000yyy", agencyName: "backup-operator" }],
    accessKey: `FAKEAK${hexIdFrom(ids).slice(0, 14).toUpperCase()}`,
    secretKey: `fake-secret-key-${hexIdFrom(ids)}`,
  };

  // Loading the specs now keeps the first request as fast as the others.
  loadSpec("cbr");
  loadSpec("vbs");
  const clock = new SimulatedClock();
  clock.setSpeed(options.speed ?? 1); // refuses a negative or non-finite speed
  const store = new Store(seed);
  registerCbr(store, loadSpec("cbr"));
  registerVbsEvents(store);
  clock.onAdvance(() => store.runDue(clock.now()));
  const faults = new Faults(seed);
  const listeners = new Set<(exchange: Exchange) => void>();
  let origin = "";
  const iam = new FakeIam(
    account,
    store,
    () => clock.now(),
    () => origin,
  );
  const { server, origin: listening } = await listen(
    {
      store,
      clock,
      faults,
      iam,
      projects,
      knownProjects: new Set(account.projects.map((p) => p.id)),
      listeners,
      durations,
      seedFaults: (rules, s) => faults.set(rules, s),
    },
    options.host ?? "127.0.0.1",
    port,
  );
  origin = listening;
  const endpoint = (service: string, region: Region) => `${origin}/${service}/${region}`;
  const authUrl = `${origin}/iam/v3`;
  return {
    iam: authUrl,
    cbr: endpoint("cbr", "eu-de"),
    vbs: endpoint("vbs", "eu-de"),
    endpoints: {
      cbr: { "eu-de": endpoint("cbr", "eu-de"), "eu-nl": endpoint("cbr", "eu-nl") },
      vbs: { "eu-de": endpoint("vbs", "eu-de"), "eu-nl": endpoint("vbs", "eu-nl") },
    },
    projectId: projects["eu-de"],
    region: "eu-de",
    projects,
    sharedProjectId,
    credentials: {
      password: { authUrl, user: account.user, password: account.password, domainName: account.domainName, projectName: "eu-de_backup" },
      aksk: { accessKey: account.accessKey, secretKey: account.secretKey, projectId: projects["eu-de"] },
      agency: {
        authUrl,
        domainName: account.agencies[0]!.domainName,
        agencyName: account.agencies[0]!.agencyName,
        projectName: "eu-de_backup",
      },
    },
    admin: `${origin}/__fake`,
    clock: clock.asClock(),
    advance: (ms) => clock.advance(ms),
    setSpeed: (speed) => clock.setSpeed(speed),
    setFaults: (rules, s) => faults.set(rules, s),
    snapshot: () => store.snapshot(),
    restore: (snapshot) => store.restore(snapshot),
    reset: () => {
      store.reset();
      faults.clear();
    },
    onExchange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export { REGIONS };
