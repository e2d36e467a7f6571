// Type tests (vitest typecheck mode, also compiled by `npm run typecheck`): paginate, waitFor and
// the named waiters infer their items and results from the generated tables, and a mistake is an
// error at the argument that is wrong. The error texts are checked in messages.test.ts.
import { describe, expectTypeOf, it } from "vitest";
import {
  createCbrClient,
  createVbsClient,
  paginate,
  paginatePages,
  staticTokenAuth,
  unwrap,
  waitFor,
  waitForBackup,
  waitForCheckpoint,
  waitForJob,
  waitForTask,
  waitForVaultResources,
  type PaginatedPath,
} from "../../src/index.js";
import type { components as Cbr } from "../../generated/cbr.js";
import type { components as Vbs } from "../../generated/vbs.js";

const options = { endpoint: "http://127.0.0.1:9", projectId: "p", auth: staticTokenAuth("t"), retry: false } as const;
const cbr = createCbrClient(options);
const vbs = createVbsClient(options);

describe("paginate", () => {
  it("types items, pages and init from the generated tables", () => {
    expectTypeOf(paginate(cbr, "/v3/{project_id}/vaults")).toEqualTypeOf<AsyncGenerator<Cbr["schemas"]["Vault"], void, undefined>>();
    expectTypeOf(paginate(vbs, "/v3/{project_id}/backups")).toEqualTypeOf<
      AsyncGenerator<Vbs["schemas"]["NativeBackupSummary"], void, undefined>
    >();
    const pages = paginatePages(cbr, "/v3/{project_id}/vaults", { params: { query: { name: "x" } } });
    expectTypeOf<Awaited<ReturnType<typeof pages.next>>>().toMatchTypeOf<
      IteratorResult<{ items: Cbr["schemas"]["Vault"][]; total: number | undefined }, void>
    >();
    expectTypeOf<PaginatedPath<typeof cbr>>().toEqualTypeOf<
      | "/v3/{project_id}/backups"
      | "/v3/{project_id}/backups/{backup_id}/members"
      | "/v3/{project_id}/operation-logs"
      | "/v3/{project_id}/vault/resource_instances/action"
      | "/v3/{project_id}/vaults"
    >();
  });

  it("reports mistakes at the argument", () => {
    // @ts-expect-error showVault is not a list operation
    void paginate(cbr, "/v3/{project_id}/vaults/{vault_id}");
    // @ts-expect-error unknown query parameter
    void paginate(cbr, "/v3/{project_id}/vaults", { params: { query: { nope: 1 } } });
    // @ts-expect-error status is a list of statuses
    void paginate(cbr, "/v3/{project_id}/backups", { params: { query: { status: "available" } } }, { maxItems: 50 });
    void paginate(cbr, "/v3/{project_id}/backups", { params: { query: { status: ["available"] } } }, { maxItems: 50 });
    // @ts-expect-error the tag filter's action is "filter" or "count"
    void paginate(cbr, "/v3/{project_id}/vault/resource_instances/action", { body: { action: "filtr" } });
  });

  it("takes any path on a client without generated types, with untyped items", () => {
    const loose = { GET: async () => ({ response: new Response() }) };
    expectTypeOf(
      paginate(loose, "/anything", undefined, { pagination: { style: "offset", items: "x", limit: "limit", offset: "offset" } }),
    ).toEqualTypeOf<AsyncGenerator<unknown, void, undefined>>();
    // @ts-expect-error an offset style needs its offset parameter
    void paginate(loose, "/anything", undefined, { pagination: { style: "offset", items: "x", limit: "limit" } });
  });
});

describe("waiters", () => {
  it("resolve to what was waited for", () => {
    // Never called: the calls would poll.
    const typesOnly = async () => {
      const job = await waitForJob(vbs, "job");
      expectTypeOf(job).toEqualTypeOf<Vbs["schemas"]["Job"]>();
      const backup = await waitForBackup(cbr, "b");
      expectTypeOf(backup.status).toEqualTypeOf<Cbr["schemas"]["Backup"]["status"]>();
      expectTypeOf(backup).toEqualTypeOf<Cbr["schemas"]["Backup"]>();
      expectTypeOf(await waitForBackup(cbr, "b", { until: "deleted" })).toEqualTypeOf<undefined>();
      expectTypeOf(await waitForBackup(vbs, "b")).toEqualTypeOf<Vbs["schemas"]["NativeBackup"]>();
      expectTypeOf(await waitForCheckpoint(cbr, "c")).toHaveProperty("status");
      expectTypeOf((await waitForCheckpoint(cbr, "c")).vault?.resources).toEqualTypeOf<
        Cbr["schemas"]["CheckpointVault"]["resources"] | undefined
      >();
      expectTypeOf(await waitForTask(cbr, "t")).toHaveProperty("operation_type");
      expectTypeOf(await waitForVaultResources(cbr, "v")).toEqualTypeOf<Cbr["schemas"]["Vault"]>();

      const checkpoint: { checkpoint: { id: string; status: string } } = await waitFor(cbr, "POST /v3/{project_id}/checkpoints", {});
      // @ts-expect-error the restore point is not a string
      const wrong: string = await waitFor(cbr, "POST /v3/{project_id}/checkpoints", {});
      // @ts-expect-error listVault starts no asynchronous work
      void waitFor(cbr, "GET /v3/{project_id}/vaults", {});
      // @ts-expect-error an id is a string
      void waitForBackup(cbr, 5);
      void [checkpoint, wrong];
    };
    expectTypeOf(typesOnly).toBeFunction();
  });
});

describe("unwrap", () => {
  it("gives the data", () => {
    const typesOnly = async () => {
      const vault: { vault: { id: string } } = unwrap(
        await cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "v" } } }),
      );
      void vault;
    };
    expectTypeOf(typesOnly).toBeFunction();
  });
});
