// createVbsClient / createCbrClient: typed openapi-fetch clients bound to one endpoint, one
// project and one authentication strategy, carrying their service's operation metadata (which
// paginate and the waiters read; VBS and CBR both have GET /v3/{project_id}/backups, with
// different meanings), and a method per operation named by its operationId (by-name.ts).
import type { paths as VbsPaths } from "../generated/vbs.js";
import type { paths as CbrPaths } from "../generated/cbr.js";
import { vbsOperations, type VbsOperationsById } from "../generated/vbs.meta.js";
import { cbrOperations, type CbrOperationsById } from "../generated/cbr.meta.js";
import { createServiceClient, type ClientOptions, type OtcClient } from "./client-core.js";

export type { ClientOptions } from "./client-core.js";

export type VbsClient = OtcClient<VbsPaths, "vbs", typeof vbsOperations, VbsOperationsById>;
export type CbrClient = OtcClient<CbrPaths, "cbr", typeof cbrOperations, CbrOperationsById>;

export function createVbsClient(options: ClientOptions): VbsClient {
  return createServiceClient<VbsPaths, "vbs", typeof vbsOperations, VbsOperationsById>("vbs", options, vbsOperations);
}

export function createCbrClient(options: ClientOptions): CbrClient {
  return createServiceClient<CbrPaths, "cbr", typeof cbrOperations, CbrOperationsById>("cbr", options, cbrOperations);
}
