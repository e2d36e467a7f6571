// createVbsClient / createCbrClient: typed openapi-fetch clients bound to one endpoint, one
// project and one authentication strategy, carrying their service's name and operationIds
// (paginate and the waiters find their own tables by the service: VBS and CBR both have
// GET /v3/{project_id}/backups, with different meanings), and a method per operation named by
// its operationId (by-name.ts). Only the operationIds are bundled with a client.
import type { paths as VbsPaths } from "../generated/vbs.js";
import type { paths as CbrPaths } from "../generated/cbr.js";
import { vbsOperationIds, type VbsOperationsById, type VbsOperationTable } from "../generated/vbs.meta.js";
import { cbrOperationIds, type CbrOperationsById, type CbrOperationTable } from "../generated/cbr.meta.js";
import { createServiceClient, type ClientOptions, type OtcClient } from "./client-core.js";

export type { ClientOptions } from "./client-core.js";
export type { CbrOperationTable, VbsOperationTable };

export type VbsClient = OtcClient<VbsPaths, "vbs", VbsOperationTable, VbsOperationsById>;
export type CbrClient = OtcClient<CbrPaths, "cbr", CbrOperationTable, CbrOperationsById>;

export function createVbsClient(options: ClientOptions): VbsClient {
  return createServiceClient<VbsPaths, "vbs", VbsOperationTable, VbsOperationsById>("vbs", options, vbsOperationIds);
}

export function createCbrClient(options: ClientOptions): CbrClient {
  return createServiceClient<CbrPaths, "cbr", CbrOperationTable, CbrOperationsById>("cbr", options, cbrOperationIds);
}
