// Type tests of the calls by operation name (vitest typecheck mode, also compiled by `npm run
// typecheck`): every operationId is a method of its client, taking the operation's parameters and
// body flat, typed exactly as the call by path (project_id left out), with the same result.
import { describe, expectTypeOf, it } from "vitest";
import { createCbrClient, createVbsClient, staticTokenAuth, unwrap, type CbrOperationId, type VbsOperationId } from "../../src/index.js";
import type { cbrOperationIds } from "../../generated/cbr.meta.js";
import type { vbsOperationIds } from "../../generated/vbs.meta.js";
import type { components as Cbr } from "../../generated/cbr.js";
import type { components as Vbs } from "../../generated/vbs.js";
import type { InitOf } from "../../src/client-types.js";

const options = { endpoint: "http://127.0.0.1:9", projectId: "p", auth: staticTokenAuth("t"), retry: false } as const;
const cbr = createCbrClient(options);
const vbs = createVbsClient(options);

describe("calls by operation name", () => {
  it("exist for every operationId of both specs", () => {
    expectTypeOf<CbrOperationId>().toEqualTypeOf<(typeof cbrOperationIds)[keyof typeof cbrOperationIds]>();
    expectTypeOf<VbsOperationId>().toEqualTypeOf<(typeof vbsOperationIds)[keyof typeof vbsOperationIds]>();
    expectTypeOf<Pick<typeof cbr, CbrOperationId>>().toBeObject();
    expectTypeOf<Pick<typeof vbs, VbsOperationId>>().toBeObject();
    expectTypeOf(cbr.listBackups).toBeFunction();
    expectTypeOf(vbs.showJob).toBeFunction();
    // The client's own members are still openapi-fetch's.
    expectTypeOf(cbr.use).toBeFunction();
  });

  it("resolve to the same result as the call by path", () => {
    // Never called: only the types matter.
    const typesOnly = async () => {
      const query = { vault_id: "v" };
      expectTypeOf(await cbr.listBackups({ query })).toEqualTypeOf(await cbr.GET("/v3/{project_id}/backups", { params: { query } }));
      expectTypeOf(await cbr.showVault({ path: { vault_id: "v" } })).toEqualTypeOf(
        await cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "v" } } }),
      );
      const body: Cbr["schemas"]["VaultCreateRequest"] = {
        vault: {
          name: "v",
          billing: { consistent_level: "crash_consistent", object_type: "server", protect_type: "backup", size: 100 },
          resources: [],
        },
      };
      expectTypeOf(await cbr.createVault({ body })).toEqualTypeOf(await cbr.POST("/v3/{project_id}/vaults", { body }));
      expectTypeOf(await cbr.deleteVault({ path: { vault_id: "v" } })).toEqualTypeOf(
        await cbr.DELETE("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "v" } } }),
      );
      expectTypeOf(await cbr.listVersions()).toEqualTypeOf(await cbr.GET("/"));
      expectTypeOf(await cbr.listVault()).toEqualTypeOf(await cbr.GET("/v3/{project_id}/vaults"));
      expectTypeOf(await vbs.showJob({ path: { job_id: "j" } })).toEqualTypeOf(
        await vbs.GET("/v1/{project_id}/jobs/{job_id}", { params: { path: { job_id: "j" } } }),
      );
      expectTypeOf(await vbs.listNativeBackups()).toEqualTypeOf(await vbs.GET("/v3/{project_id}/backups"));
      expectTypeOf(await vbs.countBackupSharings()).toEqualTypeOf(await vbs.GET("/v2/{project_id}/os-vendor-backup-sharing/count"));
      expectTypeOf(await vbs.deleteBackupPolicy({ path: { policy_id: "p" } })).toEqualTypeOf(
        await vbs.DELETE("/v2/{project_id}/backuppolicy/{policy_id}", { params: { path: { policy_id: "p" } } }),
      );

      // The data is the spec's; unwrap gives it as for a call by path.
      const { data } = await cbr.showVault({ path: { vault_id: "v" } });
      expectTypeOf(data).toEqualTypeOf<{ vault: Cbr["schemas"]["Vault"] } | undefined>();
      expectTypeOf(unwrap(await cbr.listVault())).toEqualTypeOf<Cbr["schemas"]["VaultList"]>();
      expectTypeOf(unwrap(await vbs.showJob({ path: { job_id: "j" } }))).toEqualTypeOf(
        unwrap(await vbs.GET("/v1/{project_id}/jobs/{job_id}", { params: { path: { job_id: "j" } } })),
      );
      expectTypeOf(unwrap(await vbs.showJob({ path: { job_id: "j" } })).status).toEqualTypeOf<Vbs["schemas"]["Job"]["status"]>();
      // parseAs changes the data's type as it does for the call by path.
      expectTypeOf((await cbr.listVault({ parseAs: "text" })).data).toEqualTypeOf(
        (await cbr.GET("/v3/{project_id}/vaults", { parseAs: "text" })).data,
      );
      expectTypeOf((await cbr.listVault({ parseAs: "stream" })).data).toEqualTypeOf(
        (await cbr.GET("/v3/{project_id}/vaults", { parseAs: "stream" })).data,
      );
      expectTypeOf((await cbr.listVault({ parseAs: "text" })).data).toEqualTypeOf<string | undefined>();
    };
    expectTypeOf(typesOnly).toBeFunction();
  });

  it("take the parameters flat, with the per-call options", () => {
    type ByName<F extends (...args: never[]) => unknown> = NonNullable<Parameters<F>[0]>;
    expectTypeOf<ByName<typeof cbr.showVault>["path"]>().toEqualTypeOf<
      InitOf<typeof cbr, "/v3/{project_id}/vaults/{vault_id}", "get">["params"]["path"]
    >();
    expectTypeOf<ByName<typeof cbr.showVault>["path"]>().toEqualTypeOf<{ vault_id: string }>();
    expectTypeOf<ByName<typeof cbr.listBackups>["query"]>().toEqualTypeOf<
      NonNullable<InitOf<typeof cbr, "/v3/{project_id}/backups", "get">["params"]>["query"]
    >();
    expectTypeOf<ByName<typeof cbr.createVault>["body"]>().toEqualTypeOf<InitOf<typeof cbr, "/v3/{project_id}/vaults", "post">["body"]>();
    expectTypeOf<ByName<typeof vbs.updateBackupPolicy>["body"]>().toEqualTypeOf<
      InitOf<typeof vbs, "/v2/{project_id}/backuppolicy/{policy_id}", "put">["body"]
    >();
    const typesOnly = async (signal: AbortSignal) => {
      await cbr.listVault({ query: { limit: 10 }, signal, throwOnError: true, headers: { "X-Language": "en-us" } });
      await cbr.showVault({ path: { vault_id: "v" }, parseAs: "json", fetch: (request: Request) => fetch(request) });
    };
    expectTypeOf(typesOnly).toBeFunction();
  });

  it("reports mistakes", () => {
    const typesOnly = async () => {
      // @ts-expect-error showVault needs its path parameters
      await cbr.showVault();
      // @ts-expect-error the client fills in project_id
      await cbr.showVault({ path: { vault_id: "v", project_id: "other" } });
      // @ts-expect-error a misspelt key is an error, not an ignored option
      await cbr.listBackups({ qurey: { vault_id: "v" } });
      // @ts-expect-error an unknown query parameter
      await cbr.listBackups({ query: { vault: "v" } });
      // @ts-expect-error listVault takes no body
      await cbr.listVault({ body: {} });
      // @ts-expect-error the vault's name is a string
      await cbr.createVault({ body: { vault: { name: 1 } } });
      // @ts-expect-error no such operation
      await cbr.listBackup();
      // @ts-expect-error VBS operations are not on the CBR client
      await cbr.showJob({ path: { job_id: "j" } });
    };
    expectTypeOf(typesOnly).toBeFunction();
  });
});
