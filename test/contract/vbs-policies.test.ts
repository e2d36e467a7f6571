// Contract tests for the VBS backup policy operations (policies, resource association, runs,
// triggered jobs, policy tags), against the Prism mock of the bundled spec.
import type { components } from "../../generated/vbs.js";
import { describe, expect, it } from "vitest";
import { expectNoViolations, expectVbsError, prefer, vbsClient } from "../support/contract.js";

const POLICY_ID = "af8a20b0-117d-4fc3-ae53-aa3968a4f870";
const VOLUME_ID = "0f187b65-8d0e-4fc0-9096-3b55d330531e";

type Policy = components["schemas"]["Policy"];

describe("backup policies", () => {
  it("createBackupPolicy (weekly, retention in days, tags, time zone)", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/backuppolicy", {
      body: {
        backup_policy_name: "policy_01",
        scheduled_policy: {
          remain_first_backup_of_curMonth: "Y",
          rentention_day: 30,
          week_frequency: ["SUN", "WED"],
          start_time: "12:00",
          status: "ON",
        },
        tags: [{ key: "key", value: "value" }],
        time_zone: "UTC+08:00",
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backup_policy_id).toBe(POLICY_ID);
  });

  it("createBackupPolicy (daily at two times, keep 10 backups, frequency up to 30)", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/backuppolicy", {
      body: {
        backup_policy_name: "daily_backup",
        scheduled_policy: { frequency: 30, rentention_num: 99, start_time: "22:00,02:00", status: "OFF" },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(typeof data?.backup_policy_id).toBe("string");
  });

  it("createBackupPolicy without the mandatory backup_policy_name → 400 with the VBS error body", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/backuppolicy", {
      // @ts-expect-error backup_policy_name is mandatory
      body: { scheduled_policy: { frequency: 1, rentention_num: 10, start_time: "12:00", status: "ON" } },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("createBackupPolicy with neither frequency nor week_frequency → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/backuppolicy", {
      body: { backup_policy_name: "p1", scheduled_policy: { rentention_num: 10, start_time: "12:00", status: "ON" } },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("createBackupPolicy with neither rentention_num nor rentention_day → 400", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicy", {
      body: { backup_policy_name: "p1", scheduled_policy: { frequency: 1, start_time: "12:00", status: "ON" } },
    });
    expect(response.status).toBe(400);
  });

  it("createBackupPolicy with a start time off the full hour → 400", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicy", {
      body: { backup_policy_name: "p1", scheduled_policy: { frequency: 1, rentention_num: 10, start_time: "12:30", status: "ON" } },
    });
    expect(response.status).toBe(400);
  });

  it("createBackupPolicy with frequency 31 → 400", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicy", {
      body: { backup_policy_name: "p1", scheduled_policy: { frequency: 31, rentention_num: 10, start_time: "12:00", status: "ON" } },
    });
    expect(response.status).toBe(400);
  });

  it("listBackupPolicies returns every policy with its schedule", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/backuppolicy");
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backup_policies).toHaveLength(2);
    const [first, second] = data!.backup_policies as [Policy, Policy];
    expect(first.backup_policy_name).toBe("plan01");
    expect(first.scheduled_policy.status).toBe("ON");
    expect(first.scheduled_policy.rentention_num).toBe(10);
    expect(second.backup_policy_name).toBe("plan02");
    expect(second.policy_resource_count).toBe(10);
    expect(data?.backup_policies_links).toBeUndefined();
  });

  it("listBackupPolicies pages with limit and marker; a cut list ends with a next link", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/backuppolicy", {
      params: { query: { limit: 1, marker: "ed8b9f73-4415-494d-a54e-5f3373bc353d" } },
      headers: prefer({ example: "firstPage" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backup_policies).toHaveLength(1);
    expect(data?.backup_policies_links?.[0]).toMatchObject({ rel: "next" });
    expect(data?.backup_policies_links?.[0]?.href).toContain("marker=ed8b9f73-4415-494d-a54e-5f3373bc353d");
  });

  it("listBackupPolicies with a limit of 0 → 400", async () => {
    const { response } = await vbsClient().GET("/v2/{project_id}/backuppolicy", { params: { query: { limit: 0 } } });
    expect(response.status).toBe(400);
  });

  it("updateBackupPolicy (reference example)", async () => {
    const { data, response } = await vbsClient().PUT("/v2/{project_id}/backuppolicy/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
      body: {
        backup_policy_name: "policy_01",
        scheduled_policy: {
          remain_first_backup_of_curMonth: "Y",
          rentention_num: 10,
          week_frequency: ["MON"],
          start_time: "12:00",
          status: "ON",
        },
        time_zone: "UTC+08:00",
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backup_policy_id).toBe(POLICY_ID);
  });

  it.each(["ON", "OFF"] as const)("updateBackupPolicy enables/disables with scheduled_policy.status %s", async (status) => {
    const { data, response } = await vbsClient().PUT("/v2/{project_id}/backuppolicy/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
      body: { scheduled_policy: { status } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(typeof data?.backup_policy_id).toBe("string");
  });

  it("updateBackupPolicy with an invalid status → 400", async () => {
    const { error, response } = await vbsClient().PUT("/v2/{project_id}/backuppolicy/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
      // @ts-expect-error status is ON | OFF
      body: { scheduled_policy: { status: "on" } },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("updateBackupPolicy with rentention_num 15 (Modify allows 2 to 14) → 400", async () => {
    const { response } = await vbsClient().PUT("/v2/{project_id}/backuppolicy/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
      body: { scheduled_policy: { rentention_num: 15 } },
    });
    expect(response.status).toBe(400);
  });

  it("deleteBackupPolicy → 204", async () => {
    const { response } = await vbsClient().DELETE("/v2/{project_id}/backuppolicy/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });

  it("deleteBackupPolicy of a missing policy → 404 with the VBS error body", async () => {
    const { error, response } = await vbsClient().DELETE("/v2/{project_id}/backuppolicy/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectVbsError(error);
  });
});

describe("policy resources and runs", () => {
  it("associateBackupPolicyResources associates disks", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/backuppolicyresources", {
      body: {
        backup_policy_id: "915d1fd8-63cb-4054-a2b0-2778210e3a75",
        resources: [
          { resource_id: VOLUME_ID, resource_type: "volume" },
          { resource_id: "0f187b65-8d0e-4fc0-9096-3b55d330531d", resource_type: "volume" },
        ],
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.success_resources[0]?.os_vol_host_attr).toBe("pod01.eu-de-01");
    expect(data?.fail_resources).toEqual([]);
  });

  it("associateBackupPolicyResources reports a partial failure with 200", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/backuppolicyresources", {
      body: { backup_policy_id: POLICY_ID, resources: [{ resource_id: VOLUME_ID, resource_type: "volume" }] },
      headers: prefer({ example: "partialFailure" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.fail_resources[0]?.code).toBe("AutoBackup.0206");
    expect(typeof data?.fail_resources[0]?.message).toBe("string");
  });

  it("associateBackupPolicyResources with a resource type other than volume → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/backuppolicyresources", {
      // @ts-expect-error resource_type is "volume"
      body: { backup_policy_id: POLICY_ID, resources: [{ resource_id: VOLUME_ID, resource_type: "server" }] },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("associateBackupPolicyResources without the mandatory backup_policy_id → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/backuppolicyresources", {
      // @ts-expect-error backup_policy_id is mandatory
      body: { resources: [{ resource_id: VOLUME_ID, resource_type: "volume" }] },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("disassociateBackupPolicyResources returns the outcome per disk", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/backuppolicyresources/{policy_id}/deleted_resources", {
      params: { path: { policy_id: POLICY_ID } },
      body: { resources: [{ resource_id: "bce8d47a-af17-4169-901f-4c7ae9f29c2c" }] },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.fail_resources).toEqual([]);
    expect(data?.success_resources[0]?.resource_id).toBeTypeOf("string");
  });

  it("disassociateBackupPolicyResources with resource_type on each item, as python-otcextensions sends it", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicyresources/{policy_id}/deleted_resources", {
      params: { path: { policy_id: POLICY_ID } },
      body: { resources: [{ resource_id: "bce8d47a-af17-4169-901f-4c7ae9f29c2c", resource_type: "volume" }] },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("disassociateBackupPolicyResources can report failed disks", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/backuppolicyresources/{policy_id}/deleted_resources", {
      params: { path: { policy_id: POLICY_ID } },
      body: { resources: [{ resource_id: "bbba7509-f457-4732-97f1-a8e24b6ed9bc" }] },
      headers: prefer({ example: "failed" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.success_resources).toEqual([]);
    expect(data?.fail_resources[0]?.resource_id).toBe("bbba7509-f457-4732-97f1-a8e24b6ed9bc");
  });

  it("disassociateBackupPolicyResources without resources → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/backuppolicyresources/{policy_id}/deleted_resources", {
      params: { path: { policy_id: POLICY_ID } },
      // @ts-expect-error resources is mandatory
      body: {},
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("executeBackupPolicy → 204", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/{policy_id}/action", {
      params: { path: { policy_id: POLICY_ID } },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });

  it("listBackupPolicyTasks with every filter", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/backuppolicy/{policy_id}/backuptasks", {
      params: {
        path: { policy_id: POLICY_ID },
        query: {
          sort_dir: "desc",
          sort_key: "created_at",
          limit: 10,
          offset: 0,
          status: "EXECUTE_SUCCESS",
          job_id: "c11b5a18-4559-4731-b7b3-58e2bd89cdb9",
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.count).toBe(2);
    expect(data?.tasks[0]?.status).toBe("RUNNING");
    expect(data?.tasks[0]?.finished_at).toBeUndefined();
    expect(data?.tasks[1]?.finished_at).toBe("2016-12-02T13:00:00.121");
  });

  it("listBackupPolicyTasks with a marker", async () => {
    const { response } = await vbsClient().GET("/v2/{project_id}/backuppolicy/{policy_id}/backuptasks", {
      params: { path: { policy_id: POLICY_ID }, query: { marker: "0781095c-b8ab-4ce5-99f3-4c5f6ff75319", limit: 10 } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("listBackupPolicyTasks with limit 0 → 400", async () => {
    const { error, response } = await vbsClient().GET("/v2/{project_id}/backuppolicy/{policy_id}/backuptasks", {
      params: { path: { policy_id: POLICY_ID }, query: { limit: 0 } },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("listBackupPolicyTasks with an unknown status → 400 (the type is open, the mock checks the known statuses)", async () => {
    const { response } = await vbsClient().GET("/v2/{project_id}/backuppolicy/{policy_id}/backuptasks", {
      params: { path: { policy_id: POLICY_ID }, query: { status: "DONE" } },
    });
    expect(response.status).toBe(400);
  });
});

describe("policy tags", () => {
  it("createBackupPolicyTag → 204", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/{policy_id}/tags", {
      params: { path: { policy_id: POLICY_ID } },
      body: { tag: { key: "department", value: "finance" } },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });

  it("createBackupPolicyTag without the tag → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/{policy_id}/tags", {
      params: { path: { policy_id: POLICY_ID } },
      // @ts-expect-error tag is mandatory
      body: {},
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("createBackupPolicyTag with a key longer than 36 characters → 400", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/{policy_id}/tags", {
      params: { path: { policy_id: POLICY_ID } },
      body: { tag: { key: "k".repeat(37), value: "v" } },
    });
    expect(response.status).toBe(400);
  });

  it("deleteBackupPolicyTag → 204 (key with a special character)", async () => {
    const { response } = await vbsClient().DELETE("/v2/{project_id}/backuppolicy/{policy_id}/tags/{key}", {
      params: { path: { policy_id: POLICY_ID, key: "team#1" } },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
    expect(response.url).toContain("/tags/team%231");
  });

  it("listBackupPolicyProjectTags lists keys with all their values", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/backuppolicy/tags");
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.tags).toHaveLength(2);
    expect(data?.tags[0]?.values).toHaveLength(2);
  });

  it("listBackupPolicyTags lists key/value pairs", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/backuppolicy/{policy_id}/tags", {
      params: { path: { policy_id: POLICY_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.tags[1]).toEqual({ key: "WAITING", value: "2016-12-03T06:24:34.467" });
  });

  it.each([
    [
      "create",
      [
        { key: "department", value: "finance" },
        { key: "env", value: "prod" },
      ],
    ],
    ["update", [{ key: "env", value: "test" }]],
    ["delete", [{ key: "env" }, { key: "a.b:c", value: "volume" }]],
  ] as const)("batchUpdateBackupPolicyTags action %s → 204", async (action, tags) => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/{policy_id}/tags/action", {
      params: { path: { policy_id: POLICY_ID } },
      body: { action, tags: [...tags] },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });

  it("batchUpdateBackupPolicyTags without tags → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/{policy_id}/tags/action", {
      params: { path: { policy_id: POLICY_ID } },
      // @ts-expect-error tags is required (ERRATA VBS-POLICY-12)
      body: { action: "delete" },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("batchUpdateBackupPolicyTags with a key containing = → 400", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/{policy_id}/tags/action", {
      params: { path: { policy_id: POLICY_ID } },
      body: { action: "delete", tags: [{ key: "a=b" }] },
    });
    expect(response.status).toBe(400);
  });

  it("listBackupPoliciesByTags action filter pages with string limit/offset", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/resource_instances/action", {
      body: {
        limit: "10",
        offset: "0",
        tags: [{ key: "Tag001", values: ["Value001", "Value002"] }],
        tags_any: [{ key: "env", values: ["prod"] }],
        not_tags: [{ key: "tmp", values: [] }],
        not_tags_any: [{ key: "owner", values: ["nobody"] }],
        matches: [{ key: "resource_name", value: "plan" }],
        action: "filter",
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.total_count).toBe(1);
    expect(data?.resources).toHaveLength(1);
    expect(data?.resources?.[0]?.resource_detail).toBeNull();
    expect(data?.resources?.[0]?.tags[0]).toEqual({ key: "key", value: "value" });
  });

  it("listBackupPoliciesByTags action count returns only total_count", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/resource_instances/action", {
      body: { tags: [{ key: "Tag001", values: ["Value001"] }], action: "count" },
      headers: prefer({ example: "count" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data).toEqual({ total_count: 10 });
  });

  it("listBackupPoliciesByTags without the mandatory action → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/resource_instances/action", {
      // @ts-expect-error action is mandatory
      body: { tags: [{ key: "Tag001", values: ["Value001"] }] },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it.each(["1001", "0", "10.5"])("listBackupPoliciesByTags with limit %s → 400", async (limit) => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/resource_instances/action", {
      body: { limit, offset: "0", action: "filter" },
    });
    expect(response.status).toBe(400);
  });

  it("listBackupPoliciesByTags with a numeric limit → 400 (it travels as a string)", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backuppolicy/resource_instances/action", {
      // @ts-expect-error limit is a string
      body: { limit: 10, action: "filter" },
    });
    expect(response.status).toBe(400);
  });
});
