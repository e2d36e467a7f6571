// Compile-time checks (run by `tsc`): paginate, waitFor and the named waiters infer their item
// and result types from the generated tables. The runtime part only builds the calls.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createCbrClient,
  createVbsClient,
  paginate,
  paginatePages,
  staticTokenAuth,
  unwrap,
  waitFor,
  waitForJob,
  waitForTask,
  type PaginatedPath,
} from "../../src/index.js";
import type { components as Cbr } from "../../generated/cbr.js";
import type { components as Vbs } from "../../generated/vbs.js";

const options = { endpoint: "http://127.0.0.1:9", projectId: "p", auth: staticTokenAuth("t"), retry: false } as const;
const cbr = createCbrClient(options);
const vbs = createVbsClient(options);

describe("helper types", () => {
  it("types items, pages and init from the generated tables", () => {
    expectTypeOf(paginate(cbr, "/v3/{project_id}/vaults")).toEqualTypeOf<AsyncGenerator<Cbr["schemas"]["Vault"], void, undefined>>();
    const pages = paginatePages(cbr, "/v3/{project_id}/vaults", { params: { query: { name: "x" } } });
    expectTypeOf<Awaited<ReturnType<typeof pages.next>>>().toMatchTypeOf<IteratorResult<{ items: Cbr["schemas"]["Vault"][]; total: number | undefined }, void>>();
    expectTypeOf<PaginatedPath<typeof cbr>>().toMatchTypeOf<string>();
    // @ts-expect-error showVault is not a list operation
    void paginate(cbr, "/v3/{project_id}/vaults/{vault_id}");
    // @ts-expect-error unknown query parameter
    void paginate(cbr, "/v3/{project_id}/vaults", { params: { query: { nope: 1 } } });
    expect(cbr).toBeDefined();
  });

  it("types waiter results", () => {
    // never called: the calls would poll
    const typesOnly = async () => {
      const job: Vbs["schemas"]["Job"] = await waitForJob(vbs, "job");
      expectTypeOf(job.status).toEqualTypeOf<Vbs["schemas"]["Job"]["status"]>();
      expectTypeOf(waitForTask(cbr, "t")).resolves.toHaveProperty("operation_type");
      const checkpoint: { checkpoint: { id: string; status: string } } = await waitFor(cbr, "POST /v3/{project_id}/checkpoints", {});
      // @ts-expect-error the restore point is not a string
      const wrong: string = await waitFor(cbr, "POST /v3/{project_id}/checkpoints", {});
      void [checkpoint, wrong];
      // @ts-expect-error listVaults starts no asynchronous work
      void waitFor(cbr, "GET /v3/{project_id}/vaults", {});
    };
    expect(typeof typesOnly).toBe("function");
  });

  it("types unwrap", () => {
    const typesOnly = async () => {
      const vault: { vault: { id: string } } = unwrap(await cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "v" } } }));
      void vault;
    };
    expect(typeof typesOnly).toBe("function");
  });
});
