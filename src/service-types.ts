// The types of both services for code that names them: every component schema, the raw
// openapi-typescript output (under service-prefixed names), and per operationId what a call
// takes and gives. The operation types are those of the client: `project_id` is not among the
// parameters (the client fills it in), and the result and error are what a call resolves to.
import type { components as CbrComponents, operations as CbrOperations, paths as CbrPaths } from "../generated/cbr.js";
import type { components as VbsComponents, operations as VbsOperations, paths as VbsPaths } from "../generated/vbs.js";
import type { CbrOperationsById } from "../generated/cbr.meta.js";
import type { VbsOperationsById } from "../generated/vbs.meta.js";
import type { RequestBodyOption } from "openapi-fetch";
import type { OperationAt, OperationParameters, OperationResponse } from "./by-name.js";
import type { DataOf } from "./call-results.js";
import type { WithoutProjectId } from "./project-id.js";

export type { CbrComponents, CbrOperations, CbrPaths, CbrOperationsById, VbsComponents, VbsOperations, VbsPaths, VbsOperationsById };

type ErrorOf<R> = R extends { error: infer E } ? E : never;
type BodyOf<Op> = RequestBodyOption<Op> extends { body?: infer B } ? NonNullable<B> : never;

/** The operation `Id` as the client of its service sees it. */
type ClientOperation<Paths, ById, Id extends keyof ById> = OperationAt<WithoutProjectId<Paths>, ById[Id]>;

/** Every component schema of the CBR spec by name: `CbrSchemas["Vault"]`. */
export type CbrSchemas = CbrComponents["schemas"];
/** One CBR component schema: `CbrSchema<"Vault">`. */
export type CbrSchema<Name extends keyof CbrSchemas> = CbrSchemas[Name];
/** The operationIds of the CBR spec (the CBR client's calls by name). */
export type CbrOperationId = keyof CbrOperationsById;
/** The parameters of a CBR operation, without `project_id`: `{ path, query, header }` as the call by name takes them. */
export type CbrOperationParams<Id extends CbrOperationId> = OperationParameters<ClientOperation<CbrPaths, CbrOperationsById, Id>>;
/** The request body of a CBR operation (never for operations without one). */
export type CbrOperationBody<Id extends CbrOperationId> = BodyOf<ClientOperation<CbrPaths, CbrOperationsById, Id>>;
/** The data of a CBR operation's success answer: what `unwrap` returns for its call. */
export type CbrOperationResult<Id extends CbrOperationId> = DataOf<OperationResponse<ClientOperation<CbrPaths, CbrOperationsById, Id>>>;
/** The body of a CBR operation's error answers: the `error` of its call's result. */
export type CbrOperationError<Id extends CbrOperationId> = ErrorOf<OperationResponse<ClientOperation<CbrPaths, CbrOperationsById, Id>>>;

/** Every component schema of the VBS spec by name: `VbsSchemas["Job"]`. */
export type VbsSchemas = VbsComponents["schemas"];
/** One VBS component schema: `VbsSchema<"Job">`. */
export type VbsSchema<Name extends keyof VbsSchemas> = VbsSchemas[Name];
/** The operationIds of the VBS spec (the VBS client's calls by name). */
export type VbsOperationId = keyof VbsOperationsById;
/** The parameters of a VBS operation, without `project_id`: `{ path, query, header }` as the call by name takes them. */
export type VbsOperationParams<Id extends VbsOperationId> = OperationParameters<ClientOperation<VbsPaths, VbsOperationsById, Id>>;
/** The request body of a VBS operation (never for operations without one). */
export type VbsOperationBody<Id extends VbsOperationId> = BodyOf<ClientOperation<VbsPaths, VbsOperationsById, Id>>;
/** The data of a VBS operation's success answer: what `unwrap` returns for its call. */
export type VbsOperationResult<Id extends VbsOperationId> = DataOf<OperationResponse<ClientOperation<VbsPaths, VbsOperationsById, Id>>>;
/** The body of a VBS operation's error answers: the `error` of its call's result. */
export type VbsOperationError<Id extends VbsOperationId> = ErrorOf<OperationResponse<ClientOperation<VbsPaths, VbsOperationsById, Id>>>;
