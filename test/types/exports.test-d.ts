// Type tests of the exported schema and operation types (vitest typecheck mode, also compiled by
// `npm run typecheck`): every component schema of both specs by name, the raw generated types
// under service-prefixed names, and per operationId the parameters, body, result and error the
// client's calls take and give.
import { describe, expectTypeOf, it } from "vitest";
import {
  createCbrClient,
  createVbsClient,
  staticTokenAuth,
  unwrap,
  type CbrComponents,
  type CbrOperationBody,
  type CbrOperationError,
  type CbrOperationId,
  type CbrOperationParams,
  type CbrOperationResult,
  type CbrOperations,
  type CbrPaths,
  type CbrSchema,
  type CbrSchemas,
  type VbsComponents,
  type VbsOperationBody,
  type VbsOperationError,
  type VbsOperationId,
  type VbsOperationParams,
  type VbsOperationResult,
  type VbsOperations,
  type VbsPaths,
  type VbsSchema,
  type VbsSchemas,
} from "../../src/index.js";
import type { components as Cbr, operations as CbrOps, paths as CbrRawPaths } from "../../generated/cbr.js";
import type { components as Vbs, operations as VbsOps, paths as VbsRawPaths } from "../../generated/vbs.js";
import type { InitOf } from "../../src/client-types.js";

const options = { endpoint: "http://127.0.0.1:9", projectId: "p", auth: staticTokenAuth("t"), retry: false } as const;
const cbr = createCbrClient(options);
const vbs = createVbsClient(options);

type ErrorOfCall<R> = R extends { error: infer E } ? E : never;

describe("schema types", () => {
  it("name every component schema of both specs", () => {
    expectTypeOf<keyof CbrSchemas>().toEqualTypeOf<keyof Cbr["schemas"]>();
    expectTypeOf<keyof VbsSchemas>().toEqualTypeOf<keyof Vbs["schemas"]>();
    expectTypeOf<CbrSchemas["Vault"]>().toEqualTypeOf<Cbr["schemas"]["Vault"]>();
    expectTypeOf<CbrSchema<"Vault">>().toEqualTypeOf<Cbr["schemas"]["Vault"]>();
    expectTypeOf<CbrSchema<"Backup">["status"]>().toEqualTypeOf<Cbr["schemas"]["Backup"]["status"]>();
    expectTypeOf<VbsSchemas["Job"]>().toEqualTypeOf<Vbs["schemas"]["Job"]>();
    expectTypeOf<VbsSchema<"NativeBackupSummary">>().toEqualTypeOf<Vbs["schemas"]["NativeBackupSummary"]>();
    // @ts-expect-error not a schema of the CBR spec
    type Unknown = CbrSchema<"Job">;
  });

  it("include the raw generated types under service-prefixed names", () => {
    expectTypeOf<CbrComponents>().toEqualTypeOf<Cbr>();
    expectTypeOf<CbrPaths>().toEqualTypeOf<CbrRawPaths>();
    expectTypeOf<CbrOperations>().toEqualTypeOf<CbrOps>();
    expectTypeOf<VbsComponents>().toEqualTypeOf<Vbs>();
    expectTypeOf<VbsPaths>().toEqualTypeOf<VbsRawPaths>();
    expectTypeOf<VbsOperations>().toEqualTypeOf<VbsOps>();
    expectTypeOf<CbrOperationId>().toEqualTypeOf<keyof CbrOps>();
    expectTypeOf<VbsOperationId>().toEqualTypeOf<keyof VbsOps>();
  });
});

describe("operation types by operationId", () => {
  it("give the parameters as the client takes them, without project_id", () => {
    expectTypeOf<CbrOperationParams<"showVault">["path"]>().toEqualTypeOf<{ vault_id: string }>();
    expectTypeOf<CbrOperationParams<"listBackups">["query"]>().toEqualTypeOf<CbrOps["listBackups"]["parameters"]["query"]>();
    expectTypeOf<CbrOperationParams<"listBackups">["path"]>().toEqualTypeOf<undefined>();
    expectTypeOf<VbsOperationParams<"showJob">["path"]>().toEqualTypeOf<{ job_id: string }>();
    expectTypeOf<VbsOperationParams<"listNativeBackups">["query"]>().toEqualTypeOf<VbsOps["listNativeBackups"]["parameters"]["query"]>();
  });

  it("give the body as the call takes it", () => {
    expectTypeOf<CbrOperationBody<"createVault">>().toEqualTypeOf<InitOf<typeof cbr, "/v3/{project_id}/vaults", "post">["body"]>();
    expectTypeOf<CbrOperationBody<"createVault">>().toMatchTypeOf<Cbr["schemas"]["VaultCreateRequest"]>();
    expectTypeOf<Cbr["schemas"]["VaultCreateRequest"]>().toMatchTypeOf<CbrOperationBody<"createVault">>();
    expectTypeOf<VbsOperationBody<"createCloudBackup">>().toEqualTypeOf<
      InitOf<typeof vbs, "/v2/{project_id}/cloudbackups", "post">["body"]
    >();
    expectTypeOf<CbrOperationBody<"listBackups">>().toBeNever();
    expectTypeOf<VbsOperationBody<"showJob">>().toBeNever();
  });

  it("give the result and the error body of the call", () => {
    expectTypeOf<CbrOperationResult<"listVault">>().toEqualTypeOf<Cbr["schemas"]["VaultList"]>();
    expectTypeOf<CbrOperationResult<"showVault">>().toEqualTypeOf<{ vault: Cbr["schemas"]["Vault"] }>();
    expectTypeOf<CbrOperationError<"showVault">>().toEqualTypeOf<Cbr["schemas"]["CbrErrorResponse"]>();
    // Never called: only the types matter.
    const typesOnly = async () => {
      expectTypeOf<CbrOperationResult<"listBackups">>().toEqualTypeOf(unwrap(await cbr.GET("/v3/{project_id}/backups")));
      expectTypeOf<CbrOperationResult<"listBackups">>().toEqualTypeOf(unwrap(await cbr.listBackups()));
      expectTypeOf<CbrOperationResult<"createCheckpoint">>().toEqualTypeOf(
        unwrap(await cbr.POST("/v3/{project_id}/checkpoints", { body: { checkpoint: { parameters: {} } } as never })),
      );
      expectTypeOf<CbrOperationResult<"deleteVault">>().toEqualTypeOf(
        unwrap(await cbr.DELETE("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "v" } } })),
      );
      expectTypeOf<VbsOperationResult<"showJob">>().toEqualTypeOf(
        unwrap(await vbs.GET("/v1/{project_id}/jobs/{job_id}", { params: { path: { job_id: "j" } } })),
      );
      expectTypeOf<VbsOperationResult<"listNativeBackups">>().toEqualTypeOf(unwrap(await vbs.listNativeBackups()));
      expectTypeOf<CbrOperationError<"showVault">>().toEqualTypeOf<ErrorOfCall<Awaited<ReturnType<typeof cbr.showVault>>>>();
      expectTypeOf<CbrOperationError<"listBackups">>().toEqualTypeOf<ErrorOfCall<Awaited<ReturnType<typeof cbr.listBackups>>>>();
      const { error } = await vbs.GET("/v1/{project_id}/jobs/{job_id}", { params: { path: { job_id: "j" } } });
      expectTypeOf<VbsOperationError<"showJob">>().toEqualTypeOf<NonNullable<typeof error>>();
    };
    expectTypeOf(typesOnly).toBeFunction();
  });

  it("refuse names that are not operationIds", () => {
    // @ts-expect-error showJob is a VBS operation
    type NotCbr = CbrOperationResult<"showJob">;
    // @ts-expect-error operationIds, not paths
    type NotAPath = VbsOperationParams<"/v1/{project_id}/jobs/{job_id}">;
  });
});
