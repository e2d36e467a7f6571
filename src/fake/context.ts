// What a handler of one operation gets, and what it returns.
import type { Region, Store } from "./store.js";
import type { Json, LoadedSpec, SpecOperation } from "./spec.js";

export interface HandlerContext {
  spec: LoadedSpec;
  operation: SpecOperation;
  region: Region;
  /** The project of the URL (checked against the credentials before the handler runs). */
  projectId: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
  /** Simulated time of the request. */
  now: number;
  store: Store;
  /** This service's base URL in this region, for links (`http://127.0.0.1:N/cbr/eu-de`). */
  baseUrl: string;
  /** The project id of every region, for replication and sharing. */
  projects: Record<Region, string>;
  /** How long asynchronous work takes, in simulated time. */
  durations: Durations;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => Reply;

/** Milliseconds of simulated time the asynchronous work takes. */
export interface Durations {
  /** A backup, from `protecting` (CBR) or `creating` (VBS) to `available`. */
  backupMs: number;
  restoreMs: number;
  deleteMs: number;
  replicateMs: number;
}

export const DEFAULT_DURATIONS: Durations = { backupMs: 10_000, restoreMs: 10_000, deleteMs: 5_000, replicateMs: 15_000 };
