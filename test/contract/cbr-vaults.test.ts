// Contract tests for the CBR vault operations (create, list, show, modify, delete, resources,
// policies) and the vault tag operations (project tags, vault tags, batch tags, tag query),
// against the Prism mock of the bundled spec.
import type { components } from "../../generated/cbr.js";
import { describe, expect, it } from "vitest";
import { cbrClient, expectCbrError, expectNoViolations, prefer } from "../support/contract.js";

const VAULT_ID = "79bd9daa-884f-4f84-b8fe-235d58cd927d";
const POLICY_ID = "7075c397-25a0-43e2-a83a-bb16eaca3ee5";
const SERVER_ID = "97595625-198e-4e4d-879b-9d53f68ba551";

const serverVault = {
  backup_policy_id: "6dd81d7d-a4cb-443e-b8ed-1af0bd3a261b",
  billing: {
    cloud_type: "public",
    consistent_level: "crash_consistent",
    object_type: "server",
    protect_type: "backup",
    size: 100,
    charging_mode: "post_paid",
    is_auto_renew: false,
    is_auto_pay: false,
  },
  description: "vault_description",
  name: "vault_name",
  resources: [
    {
      extra_info: { exclude_volumes: ["43a320a5-3efd-4568-b1aa-8dd9183cc64b"] },
      id: "23a320a5-3efd-4568-b1aa-8dd9183cc64c",
      type: "OS::Nova::Server",
    },
  ],
  tags: [{ key: "key01", value: "value01" }],
  auto_bind: true,
  bind_rules: { tags: [{ key: "backup", value: "true" }] },
  enterprise_project_id: "0",
} satisfies components["schemas"]["VaultCreate"];

describe("vaults", () => {
  it("createVault (server vault with a resource, a policy, tags and bind rules)", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/vaults", { body: { vault: serverVault } });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(typeof data?.vault.id).toBe("string");
    expect(data?.vault.billing.status).toBe("available");
    expect(data?.vault.resources[0]?.type).toBe("OS::Nova::Server");
    expect(data?.vault.enterprise_project_id).toBe(0);
  });

  it("createVault (disk vault, mandatory parameters only)", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/vaults", {
      body: {
        vault: {
          billing: { consistent_level: "crash_consistent", object_type: "disk", protect_type: "backup", size: 40 },
          name: "test",
          resources: [],
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(Array.isArray(data?.vault.tags)).toBe(true);
  });

  it("createVault as the Terraform provider sends it: pre_paid package, hybrid cloud, include_volumes, auto_expand", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/vaults", {
      body: {
        vault: {
          billing: {
            cloud_type: "hybrid",
            consistent_level: "crash_consistent",
            object_type: "server",
            protect_type: "backup",
            size: 100,
            charging_mode: "pre_paid",
            period_type: "month",
            period_num: 2,
            is_auto_renew: true,
            extra_info: { combined_order_id: "CS2304211619E6CZ", combined_order_ecs_num: 1 },
          },
          name: "vault_name",
          resources: [
            {
              id: SERVER_ID,
              type: "OS::Nova::Server",
              extra_info: { include_volumes: [{ id: "bdef09bb-293f-446a-88a4-86e9f14408c4", os_version: "CentOS 7.6 64bit" }] },
            },
          ],
          auto_expand: true,
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.vault.billing.charging_mode).toBe("post_paid");
  });

  it("createVault with period_type week → 400 (year or month)", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vaults", {
      // @ts-expect-error period_type is year | month
      body: { vault: { billing: { ...serverVault.billing, period_type: "week" }, name: "v", resources: [] } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("createVault without the mandatory name → 400 with the CBR error body", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vaults", {
      // @ts-expect-error name is mandatory
      body: { vault: { billing: serverVault.billing, resources: [] } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("createVault with 5 GB (below the 10 GB minimum) → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vaults", {
      body: { vault: { billing: { ...serverVault.billing, size: 5 }, name: "small", resources: [] } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("createVault with an empty tag list → 400", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vaults", {
      body: { vault: { billing: serverVault.billing, name: "v", resources: [], tags: [] } },
    });
    expect(response.status).toBe(400);
  });

  it("listVault with filters and paging", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/vaults", {
      params: {
        query: {
          cloud_type: "public",
          object_type: "server",
          protect_type: "backup",
          name: "vault-8538",
          policy_id: POLICY_ID,
          resource_ids: SERVER_ID,
          status: "available",
          limit: 100,
          offset: 0,
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.vaults).toHaveLength(1);
    expect(data?.count).toBe(1);
    expect(data?.vaults[0]?.bind_rules).toEqual({});
  });

  it("listVault of hybrid cloud vaults", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/vaults", { params: { query: { cloud_type: "hybrid" } } });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.count).toBe(data?.vaults.length);
  });

  it("listVault with cloud_type private → 400 (public or hybrid)", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/vaults", {
      // @ts-expect-error cloud_type is public | hybrid
      params: { query: { cloud_type: "private" } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("listVault with limit 0 → 400", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/vaults", { params: { query: { limit: 0 } } });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("listVault with limit 1001 → 400", async () => {
    const { response } = await cbrClient().GET("/v3/{project_id}/vaults", { params: { query: { limit: 1001 } } });
    expect(response.status).toBe(400);
  });

  it("listVault with a negative offset → 400", async () => {
    const { response } = await cbrClient().GET("/v3/{project_id}/vaults", { params: { query: { offset: -1 } } });
    expect(response.status).toBe(400);
  });

  it("listVault with an unknown object_type → 400", async () => {
    const { response } = await cbrClient().GET("/v3/{project_id}/vaults", {
      // @ts-expect-error not a vault object type
      params: { query: { object_type: "database" } },
    });
    expect(response.status).toBe(400);
  });

  it("showVault", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/vaults/{vault_id}", {
      params: { path: { vault_id: VAULT_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.vault.billing.spec_code).toBe("vault.backup.server.normal");
    expect(data?.vault.tags?.[0]).toEqual({ key: "fds" });
  });

  it("showVault of an unknown vault → 404 with the CBR error body (not a vault)", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/vaults/{vault_id}", {
      params: { path: { vault_id: VAULT_ID } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectCbrError(error, "BackupService.6105");
  });

  it("updateVault (rename, expand, notifications, bind rules)", async () => {
    const { data, response } = await cbrClient().PUT("/v3/{project_id}/vaults/{vault_id}", {
      params: { path: { vault_id: VAULT_ID } },
      body: {
        vault: {
          billing: { size: 200 },
          name: "vault_name02",
          auto_bind: true,
          bind_rules: { tags: [{ key: "env", value: "prod" }] },
          auto_expand: false,
          smn_notify: true,
          threshold: 90,
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.vault.name).toBe("vault_name02");
    expect(data?.vault.billing.size).toBe(200);
  });

  it("updateVault with threshold 101 → 400", async () => {
    const { error, response } = await cbrClient().PUT("/v3/{project_id}/vaults/{vault_id}", {
      params: { path: { vault_id: VAULT_ID } },
      body: { vault: { threshold: 101 } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("updateVault without the vault wrapper → 400", async () => {
    const { response } = await cbrClient().PUT("/v3/{project_id}/vaults/{vault_id}", {
      params: { path: { vault_id: VAULT_ID } },
      // @ts-expect-error vault is mandatory
      body: { name: "x" },
    });
    expect(response.status).toBe(400);
  });

  it("deleteVault → 204", async () => {
    const { response } = await cbrClient().DELETE("/v3/{project_id}/vaults/{vault_id}", {
      params: { path: { vault_id: VAULT_ID } },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });
});

describe("vault resources and policies", () => {
  it("addVaultResource", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/addresources", {
      params: { path: { vault_id: VAULT_ID } },
      body: {
        resources: [
          {
            extra_info: { exclude_volumes: ["bdef09bb-293f-446a-88a4-86e9f14408c4"] },
            id: SERVER_ID,
            type: "OS::Nova::Server",
            name: "ecs-1f0f-0003",
          },
        ],
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.add_resource_ids).toEqual([SERVER_ID]);
  });

  it("addVaultResource with include_volumes (the only disks to back up)", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/addresources", {
      params: { path: { vault_id: VAULT_ID } },
      body: {
        resources: [
          { id: SERVER_ID, type: "OS::Nova::Server", extra_info: { include_volumes: [{ id: "bdef09bb-293f-446a-88a4-86e9f14408c4" }] } },
        ],
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("addVaultResource with an include_volumes entry without id → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/addresources", {
      params: { path: { vault_id: VAULT_ID } },
      // @ts-expect-error an included volume needs its id
      body: { resources: [{ id: SERVER_ID, type: "OS::Nova::Server", extra_info: { include_volumes: [{ os_version: "CentOS" }] } }] },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("addVaultResource with no resources → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/addresources", {
      params: { path: { vault_id: VAULT_ID } },
      body: { resources: [] },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("addVaultResource with an unknown resource type → 400", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/addresources", {
      params: { path: { vault_id: VAULT_ID } },
      // @ts-expect-error not a resource type
      body: { resources: [{ id: SERVER_ID, type: "OS::Trove::Instance" }] },
    });
    expect(response.status).toBe(400);
  });

  it("associateVaultPolicy", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/associatepolicy", {
      params: { path: { vault_id: VAULT_ID } },
      body: { policy_id: POLICY_ID },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.associate_policy.policy_id).toBe(POLICY_ID);
  });

  it("associateVaultPolicy without policy_id → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/associatepolicy", {
      params: { path: { vault_id: VAULT_ID } },
      // @ts-expect-error policy_id is required
      body: {},
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("disassociateVaultPolicy", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/dissociatepolicy", {
      params: { path: { vault_id: VAULT_ID } },
      body: { policy_id: POLICY_ID },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.dissociate_policy.policy_id).toBe(POLICY_ID);
  });

  it("migrateVaultResource", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/migrateresources", {
      params: { path: { vault_id: VAULT_ID } },
      body: { resource_ids: ["abcdde3f-e0e3-403a-b690-fc259dd70008"], destination_vault_id: "fe578a6c-d1a8-4790-bd52-5954af4d446c" },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.migrated_resources).toHaveLength(1);
  });

  it("migrateVaultResource without destination_vault_id → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/migrateresources", {
      params: { path: { vault_id: VAULT_ID } },
      // @ts-expect-error destination_vault_id is required
      body: { resource_ids: [SERVER_ID] },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("removeVaultResource", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/removeresources", {
      params: { path: { vault_id: VAULT_ID } },
      body: { resource_ids: [SERVER_ID] },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.remove_resource_ids).toEqual([SERVER_ID]);
  });

  it("removeVaultResource without resource_ids → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vaults/{vault_id}/removeresources", {
      params: { path: { vault_id: VAULT_ID } },
      // @ts-expect-error resource_ids is required
      body: {},
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });
});

describe("vault tags", () => {
  it("showVaultResourceInstances (filter, paged with string limit/offset)", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/vault/resource_instances/action", {
      body: {
        tags: [{ key: "string", values: ["value"] }],
        not_tags_any: [{ key: "temp", values: [] }],
        matches: [{ key: "resource_name", value: "vault" }],
        cloud_type: "public",
        object_type: "server",
        limit: "100",
        offset: "0",
        action: "filter",
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.total_count).toBe(1);
    expect(data?.resources?.[0]?.resource_detail?.vault.id).toBe(data?.resources?.[0]?.resource_id);
  });

  it("showVaultResourceInstances of hybrid cloud vaults", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vault/resource_instances/action", {
      body: { cloud_type: "hybrid", action: "filter" },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("showVaultResourceInstances (count)", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/vault/resource_instances/action", {
      body: { without_any_tag: true, action: "count" },
      headers: prefer({ example: "count" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.total_count).toBe(7);
    expect(data?.resources).toBeUndefined();
  });

  it("showVaultResourceInstances without action → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vault/resource_instances/action", {
      // @ts-expect-error action is required
      body: { tags: [{ key: "string", values: ["value"] }] },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it('showVaultResourceInstances with limit "0" → 400', async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vault/resource_instances/action", {
      body: { action: "filter", limit: "0" },
    });
    expect(response.status).toBe(400);
  });

  it('showVaultResourceInstances with limit "1001" → 400', async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vault/resource_instances/action", {
      body: { action: "filter", limit: "1001" },
    });
    expect(response.status).toBe(400);
  });

  it("showVaultResourceInstances with a numeric limit (must be a string) → 400", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vault/resource_instances/action", {
      // @ts-expect-error limit travels as a string
      body: { action: "filter", limit: 10 },
    });
    expect(response.status).toBe(400);
  });

  it("showVaultProjectTag", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/vault/tags");
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.tags[1]?.values).toEqual(["", "string"]);
  });

  it("createVaultTags → 204", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vault/{vault_id}/tags", {
      params: { path: { vault_id: VAULT_ID } },
      body: { tag: { key: "key1", value: "key2" } },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });

  it("createVaultTags without tag → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vault/{vault_id}/tags", {
      params: { path: { vault_id: VAULT_ID } },
      // @ts-expect-error tag is required
      body: {},
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("createVaultTags with a forbidden character in the key → 400", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vault/{vault_id}/tags", {
      params: { path: { vault_id: VAULT_ID } },
      body: { tag: { key: "a=b", value: "v" } },
    });
    expect(response.status).toBe(400);
  });

  it("createVaultTags with a 37-character key → 400", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vault/{vault_id}/tags", {
      params: { path: { vault_id: VAULT_ID } },
      body: { tag: { key: "k".repeat(37), value: "v" } },
    });
    expect(response.status).toBe(400);
  });

  it("showVaultTag", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/vault/{vault_id}/tags", {
      params: { path: { vault_id: VAULT_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.tags).toEqual([{ key: "string", value: "" }]);
  });

  it("showVaultTag with an invalid vault ID → the page's 400 example", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/vault/{vault_id}/tags", {
      params: { path: { vault_id: "not-a-vault" } },
      headers: prefer({ code: 400, example: "invalidVaultId" }),
    });
    expect(response.status).toBe(400);
    expectCbrError(error, "BackupService.9900");
  });

  it("batchCreateAndDeleteVaultTags (create) → 204", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vault/{vault_id}/tags/action", {
      params: { path: { vault_id: VAULT_ID } },
      body: {
        tags: [
          { key: "string", value: "string" },
          { key: "string1", value: "string2" },
        ],
        action: "create",
      },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });

  it("batchCreateAndDeleteVaultTags (delete, keys only) → 204", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vault/{vault_id}/tags/action", {
      params: { path: { vault_id: VAULT_ID } },
      body: { tags: [{ key: "string1" }, { key: "string1" }], action: "delete" },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });

  it("batchCreateAndDeleteVaultTags with an empty tag list → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/vault/{vault_id}/tags/action", {
      params: { path: { vault_id: VAULT_ID } },
      body: { tags: [], action: "delete" },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("batchCreateAndDeleteVaultTags without action → 400", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/vault/{vault_id}/tags/action", {
      params: { path: { vault_id: VAULT_ID } },
      // @ts-expect-error action is required
      body: { tags: [{ key: "a", value: "b" }] },
    });
    expect(response.status).toBe(400);
  });

  it("deleteVaultTag → 204", async () => {
    const { response } = await cbrClient().DELETE("/v3/{project_id}/vault/{vault_id}/tags/{key}", {
      params: { path: { vault_id: VAULT_ID, key: "key01" } },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });

  it("deleteVaultTag of a missing tag → 404 with the CBR error body", async () => {
    const { error, response } = await cbrClient().DELETE("/v3/{project_id}/vault/{vault_id}/tags/{key}", {
      params: { path: { vault_id: VAULT_ID, key: "missing" } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectCbrError(error);
  });
});
