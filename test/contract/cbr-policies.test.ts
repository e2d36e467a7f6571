// Contract tests for the CBR policies, backup sharing (share members) and tasks (operation logs)
// operations, against the Prism mock of the bundled spec.
import { describe, expect, it } from "vitest";
import { cbrClient, expectCbrError, expectNoViolations, prefer } from "../support/contract.js";

const POLICY_ID = "cbb3ce6f-3332-4e7c-b98e-77290d8471ff";
const VAULT_ID = "4b27c05b-8ad7-48c6-a886-526666c035f0";
const BACKUP_ID = "0b07081e-3ec7-4e77-8571-54e2947da422";
const MEMBER_PROJECT_ID = "075e6035d300d48c2fd0c00b78b71ebf";
const OPERATION_LOG_ID = "4827f2da-b008-4507-ab7d-42d0df5ed912";
const DAILY_14H = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00";

const backupPolicy = {
  enabled: true,
  name: "policy001",
  operation_definition: {
    day_backups: 0,
    month_backups: 0,
    retention_duration_days: 1,
    timezone: "UTC+01:00",
    week_backups: 0,
    year_backups: 0,
  },
  operation_type: "backup" as const,
  trigger: { properties: { pattern: [DAILY_14H] } },
};

describe("policies", () => {
  it("listPolicies with filters", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/policies", {
      params: { query: { operation_type: "backup", vault_id: VAULT_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.count).toBe(1);
    expect(data?.policies[0]?.id).toBe(POLICY_ID);
    expect(data?.policies[0]?.trigger.properties.pattern).toEqual([DAILY_14H]);
    expect(data?.policies[0]?.operation_definition.retention_duration_days).toBe(1);
  });

  it("listPolicies with an unknown operation_type → 400", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/policies", {
      // The types accept any operation type (the enum is open); the mock checks backup | replication.
      params: { query: { operation_type: "sync" } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("createPolicy: a backup policy", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/policies", {
      body: { policy: backupPolicy },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.policy.id).toBe(POLICY_ID);
    expect(data?.policy.trigger.type).toBe("time");
    expect(data?.policy.operation_type).toBe("backup");
  });

  it("createPolicy: a replication policy", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/policies", {
      body: {
        policy: {
          enabled: true,
          name: "policy002",
          operation_definition: {
            retention_duration_days: 1,
            timezone: "UTC+01:00",
            destination_region: "eu-nl",
            destination_project_id: "fcf6cb26c3bf4402869792207ad3dce4",
          },
          operation_type: "replication",
          trigger: { properties: { pattern: ["FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=00"] } },
        },
      },
      headers: prefer({ example: "replicationPolicy" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.policy.operation_type).toBe("replication");
    expect(data?.policy.operation_definition.destination_region).toBe("eu-nl");
  });

  it("createPolicy with max_backups -1 (unlimited) is valid", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/policies", {
      body: {
        policy: {
          name: "unlimited",
          operation_definition: { max_backups: -1 },
          operation_type: "backup",
          trigger: { properties: { pattern: [DAILY_14H] } },
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("createPolicy with max_backups 0 (not set, as peers send it) → 200", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/policies", {
      body: { policy: { ...backupPolicy, operation_definition: { max_backups: 0, retention_duration_days: 0 } } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("createPolicy with max_backups -2 → 400 (-1 to 99999)", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/policies", {
      body: { policy: { ...backupPolicy, operation_definition: { max_backups: -2 } } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("createPolicy with retention_duration_days 100000 → 400", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/policies", {
      body: { policy: { ...backupPolicy, operation_definition: { retention_duration_days: 100000 } } },
    });
    expect(response.status).toBe(400);
  });

  it("createPolicy with week_backups 101 → 400", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/policies", {
      body: { policy: { ...backupPolicy, operation_definition: { week_backups: 101, timezone: "UTC+01:00" } } },
    });
    expect(response.status).toBe(400);
  });

  it("createPolicy with a pattern outside the RFC 2445 subset → 400", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/policies", {
      body: { policy: { ...backupPolicy, trigger: { properties: { pattern: ["FREQ=MONTHLY;BYMONTHDAY=1"] } } } },
    });
    expect(response.status).toBe(400);
  });

  it("createPolicy without the mandatory name → 400 with the CBR error body", async () => {
    const { name: _name, ...withoutName } = backupPolicy;
    const { error, response } = await cbrClient().POST("/v3/{project_id}/policies", {
      // @ts-expect-error name is mandatory
      body: { policy: withoutName },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("showPolicy", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/policies/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.policy.id).toBe(POLICY_ID);
    expect(data?.policy.associated_vaults).toEqual([]);
  });

  it("showPolicy of an unknown policy → 404 with the CBR error body", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/policies/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectCbrError(error);
  });

  it("updatePolicy", async () => {
    const { data, response } = await cbrClient().PUT("/v3/{project_id}/policies/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
      body: {
        policy: {
          enabled: true,
          name: "policy001",
          operation_definition: { max_backups: 1, timezone: "UTC+01:00", day_backups: 0 },
          trigger: { properties: { pattern: [DAILY_14H] } },
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.policy.operation_definition.max_backups).toBe(1);
  });

  it("updatePolicy without the policy wrapper → 400", async () => {
    const { error, response } = await cbrClient().PUT("/v3/{project_id}/policies/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
      // @ts-expect-error policy is mandatory
      body: {},
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("deletePolicy", async () => {
    const { response } = await cbrClient().DELETE("/v3/{project_id}/policies/{policy_id}", {
      params: { path: { policy_id: POLICY_ID } },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });
});

describe("backup sharing (share members)", () => {
  it("addMember", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/members", {
      params: { path: { backup_id: BACKUP_ID }, header: { "X-User-Profile": "xxxxxxxx" } },
      body: { members: [MEMBER_PROJECT_ID] },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.members[0]?.status).toBe("pending");
    expect(data?.members[0]?.dest_project_id).toBe(MEMBER_PROJECT_ID);
  });

  it("addMember without members → 400 with the CBR error body", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/members", {
      params: { path: { backup_id: BACKUP_ID } },
      // @ts-expect-error members is mandatory
      body: {},
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("addMember with 11 projects → 400 (1-10)", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/members", {
      params: { path: { backup_id: BACKUP_ID } },
      body: { members: Array.from({ length: 11 }, (_, i) => `${MEMBER_PROJECT_ID.slice(0, -2)}${String(i).padStart(2, "0")}`) },
    });
    expect(response.status).toBe(400);
  });

  it("showMembersDetail with filters, sorting and paging", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/backups/{backup_id}/members", {
      params: {
        path: { backup_id: BACKUP_ID },
        query: {
          dest_project_id: MEMBER_PROJECT_ID,
          limit: 10,
          offset: 0,
          sort: "created_at:desc",
          status: "pending",
          vault_id: VAULT_ID,
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.count).toBe(1);
    expect(data?.members).toHaveLength(1);
    expect(data?.members[0]?.backup_id).toBe(BACKUP_ID);
  });

  it("showMembersDetail with a marker", async () => {
    const { response } = await cbrClient().GET("/v3/{project_id}/backups/{backup_id}/members", {
      params: { path: { backup_id: BACKUP_ID }, query: { marker: "3c5a3015-c3a0-4dc6-a1e2-917b90f62319", limit: 1 } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("showMembersDetail with limit 0 → 400", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/backups/{backup_id}/members", {
      params: { path: { backup_id: BACKUP_ID }, query: { limit: 0 } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("showMembersDetail with an unknown status → 400", async () => {
    const { response } = await cbrClient().GET("/v3/{project_id}/backups/{backup_id}/members", {
      // The types accept any status (the enum is open); the mock checks pending | accepted | rejected.
      params: { path: { backup_id: BACKUP_ID }, query: { status: "shared" } },
    });
    expect(response.status).toBe(400);
  });

  it("showMemberDetail", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/backups/{backup_id}/members/{member_id}", {
      params: { path: { backup_id: BACKUP_ID, member_id: MEMBER_PROJECT_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.member.status).toBe("accepted");
    expect(data?.member.vault_id).toBe(VAULT_ID);
  });

  it("updateMemberStatus: accept into a vault", async () => {
    const { data, response } = await cbrClient().PUT("/v3/{project_id}/backups/{backup_id}/members/{member_id}", {
      params: { path: { backup_id: BACKUP_ID, member_id: MEMBER_PROJECT_ID } },
      body: { status: "accepted", vault_id: VAULT_ID },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.member.status).toBe("accepted");
  });

  it("updateMemberStatus: reject needs no vault", async () => {
    const { response } = await cbrClient().PUT("/v3/{project_id}/backups/{backup_id}/members/{member_id}", {
      params: { path: { backup_id: BACKUP_ID, member_id: MEMBER_PROJECT_ID } },
      body: { status: "rejected" },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("updateMemberStatus: accept without vault_id → 400", async () => {
    const { error, response } = await cbrClient().PUT("/v3/{project_id}/backups/{backup_id}/members/{member_id}", {
      params: { path: { backup_id: BACKUP_ID, member_id: MEMBER_PROJECT_ID } },
      body: { status: "accepted" },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("updateMemberStatus without status → 400", async () => {
    const { response } = await cbrClient().PUT("/v3/{project_id}/backups/{backup_id}/members/{member_id}", {
      params: { path: { backup_id: BACKUP_ID, member_id: MEMBER_PROJECT_ID } },
      // @ts-expect-error status is mandatory
      body: { vault_id: VAULT_ID },
    });
    expect(response.status).toBe(400);
  });

  it("deleteMember", async () => {
    const { response } = await cbrClient().DELETE("/v3/{project_id}/backups/{backup_id}/members/{member_id}", {
      params: { path: { backup_id: BACKUP_ID, member_id: MEMBER_PROJECT_ID } },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });
});

describe("tasks (operation logs)", () => {
  it("listOpLogs with filters and paging", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/operation-logs", {
      params: {
        query: {
          start_time: "2018-01-01T12:00:00Z",
          end_time: "2018-02-01T12:00:00Z",
          limit: 100,
          offset: 0,
          operation_type: "backup",
          provider_id: "0daac4c5-6707-4851-97ba-169e36266b66",
          resource_id: "1dab32fa-ebf2-415a-ab0b-eabe6353bc86",
          resource_name: "ECS-0001",
          status: "success",
          vault_id: VAULT_ID,
          vault_name: "vault-001",
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.count).toBe(1);
    const task = data?.operation_logs[0];
    expect(task?.id).toBe(OPERATION_LOG_ID);
    expect(task?.status).toBe("success");
    expect(task?.extra_info?.common?.progress).toBe(100);
    expect(task?.extra_info?.resource?.type).toBe("OS::Nova::Server");
  });

  it("listOpLogs of an enterprise project", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/operation-logs", {
      params: { query: { enterprise_project_id: "0" } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.count).toBe(data?.operation_logs.length);
  });

  it.each(["sync", "replication", "copy"] as const)(
    "listOpLogs accepts operation_type=%s (union of both enums and Huawei's copy)",
    async (type) => {
      const { response } = await cbrClient().GET("/v3/{project_id}/operation-logs", {
        params: { query: { operation_type: type } },
      });
      expect(response.status).toBe(200);
      expectNoViolations(response);
    },
  );

  it("listOpLogs with limit 1001 → 400 (1-1000)", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/operation-logs", {
      params: { query: { limit: 1001 } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("listOpLogs with limit 0 → 400", async () => {
    const { response } = await cbrClient().GET("/v3/{project_id}/operation-logs", {
      params: { query: { limit: 0 } },
    });
    expect(response.status).toBe(400);
  });

  it("listOpLogs with a start_time in another format → 400", async () => {
    const { response } = await cbrClient().GET("/v3/{project_id}/operation-logs", {
      params: { query: { start_time: "2018-01-01 12:00:00" } },
    });
    expect(response.status).toBe(400);
  });

  it("listOpLogs 404 is the CBR error body, not the list schema", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/operation-logs", {
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectCbrError(error, "BackupService.6500");
  });

  it("showOpLog", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/operation-logs/{operation_log_id}", {
      params: { path: { operation_log_id: OPERATION_LOG_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.operation_log.id).toBe(OPERATION_LOG_ID);
    expect(data?.operation_log.operation_type).toBe("backup");
    expect(data?.operation_log.error_info.code).toBe("");
  });

  it("showOpLog of an unknown task → 404 BackupService.6500", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/operation-logs/{operation_log_id}", {
      params: { path: { operation_log_id: OPERATION_LOG_ID } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectCbrError(error, "BackupService.6500");
    expect((error as { error_msg?: string }).error_msg).toBe("Operation log does not exist.");
  });
});
