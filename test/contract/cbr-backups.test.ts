// Contract tests for the CBR backup operations (list, show, delete, replicate, restore), the
// restore point operations (create, replicate, show), the replication capability and the two
// API version operations, against the Prism mock of the bundled spec.
import { describe, expect, it } from "vitest";
import { cbrClient, expectCbrError, expectNoViolations, prefer } from "../support/contract.js";

const BACKUP_ID = "6df2b54c-dd62-4059-a07c-1b8f24f2725d";
const DISK_BACKUP_ID = "5d822633-2bbf-4af8-a16e-5ab1c7705235";
const CHECKPOINT_ID = "8b0851a8-adf3-4f4c-a914-dead08bf9664";
const VAULT_ID = "3b5816b5-f29c-4172-9d9a-76c719a659ce";
const DEST_VAULT_ID = "0ca3eb86-8800-46da-9c37-9d657a825274";
const DEST_PROJECT_ID = "68589cac08274b82b4e254268a3862d8";
const SERVER_ID = "94eba8b2-acc9-4d82-badc-127144cc5526";
const VOLUME_ID = "eccbcfdd-f843-4bbb-b2c0-a5ce861f9376";

describe("backups", () => {
  it("listBackups with filters, paging and several statuses", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/backups", {
      params: {
        query: {
          vault_id: VAULT_ID,
          resource_type: "OS::Nova::Server",
          status: ["available", "error"],
          own_type: "private",
          member_status: "accepted",
          sort: "created_at:desc,name:asc",
          start_time: "2020-02-01T00:00:00Z",
          end_time: "2020-02-22T00:00:00Z",
          used_percent: "80",
          image_type: "backup",
          dec: false,
          limit: 100,
          offset: 0,
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.count).toBe(2);
    expect(data?.backups).toHaveLength(2);
    expect(data?.backups[0]?.resource_type).toBe("OS::Nova::Server");
    expect(data?.backups[1]?.extend_info.snapshot_id).toBe("e3def9a8-e4b4-4c12-b132-f4ba8ce9a34f");
    expect(data?.backups[0]?.children).toEqual([]);
  });

  it("listBackups of an enterprise project", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/backups", { params: { query: { enterprise_project_id: "0" } } });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.count).toBe(data?.backups.length);
  });

  it("every CBR response declares X-Request-Id, and the mock sends it", async () => {
    const { response } = await cbrClient().GET("/v3/{project_id}/backups");
    expect(response.headers.get("x-request-id")).toMatch(/\S/);
  });

  it("listBackups with limit 1001 → 400", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/backups", { params: { query: { limit: 1001 } } });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("listBackups with limit 0 → 400", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/backups", { params: { query: { limit: 0 } } });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("listBackups with a negative offset → 400", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/backups", { params: { query: { offset: -1 } } });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("listBackups with an unknown status → 400", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/backups", {
      // The types accept any status (the enum is open); the mock checks the listed values.
      params: { query: { status: ["replicating"] } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("listBackups with used_percent 101 → 400", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/backups", { params: { query: { used_percent: "101" } } });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("showBackup: a server backup with its disk backup", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backup.id).toBe(BACKUP_ID);
    expect(data?.backup.status).toBe("available");
    expect(data?.backup.children?.[0]?.id).toBe(DISK_BACKUP_ID);
    expect(data?.backup.children?.[0]?.parent_id).toBe(BACKUP_ID);
  });

  it("showBackup: the help-centre example with the undocumented fields", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
      headers: prefer({ code: 200, example: "serverBackupHelpCentre" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backup.enterprise_project_id).toBe("0");
    expect(data?.backup.replication_records).toEqual([]);
    expect(data?.backup.extend_info.app_consistency?.app_consistency_status).toBe("0");
  });

  it("showBackup of a missing backup → 404", async () => {
    const { error, response } = await cbrClient().GET("/v3/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectCbrError(error);
  });

  it("deleteBackup → 204", async () => {
    const { response } = await cbrClient().DELETE("/v3/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
    });
    expect(response.status).toBe(204);
    expectNoViolations(response);
  });

  it("copyBackup → 200 with the replication record", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/replicate", {
      params: { path: { backup_id: BACKUP_ID } },
      body: {
        replicate: {
          description: "copy to eu-nl",
          destination_project_id: DEST_PROJECT_ID,
          destination_region: "eu-nl",
          destination_vault_id: DEST_VAULT_ID,
          name: "backup_name",
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.replication.backup_id).toBe(BACKUP_ID);
    expect(data?.replication.replication_record_id).toBe("1579a71e-8d8d-41e6-85dc-d77f5ce8d91a");
  });

  it("copyBackup without destination_vault_id → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/replicate", {
      params: { path: { backup_id: BACKUP_ID } },
      // @ts-expect-error destination_vault_id is mandatory
      body: { replicate: { destination_project_id: DEST_PROJECT_ID, destination_region: "eu-nl" } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("copyBackup with an empty destination_region → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/replicate", {
      params: { path: { backup_id: BACKUP_ID } },
      body: { replicate: { destination_project_id: DEST_PROJECT_ID, destination_region: "", destination_vault_id: DEST_VAULT_ID } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("restoreBackup: a server backup → 202", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      body: { restore: { mappings: [{ backup_id: DISK_BACKUP_ID, volume_id: VOLUME_ID }], power_on: true, server_id: SERVER_ID } },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
  });

  it("restoreBackup: a disk backup → 202", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: DISK_BACKUP_ID } },
      body: { restore: { volume_id: VOLUME_ID } },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
  });

  it("restoreBackup with resource_id, as python-otcextensions sends it → 202", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: DISK_BACKUP_ID } },
      body: { restore: { volume_id: VOLUME_ID, resource_id: VOLUME_ID } },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
  });

  it("restoreBackup without the restore object → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      // @ts-expect-error restore is mandatory
      body: {},
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("restoreBackup with a mapping lacking volume_id → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      // @ts-expect-error mappings[].volume_id is mandatory
      body: { restore: { mappings: [{ backup_id: DISK_BACKUP_ID }], server_id: SERVER_ID } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });
});

describe("restore points", () => {
  it("createCheckpoint with include_volumes in a resource's extra_info → 200", async () => {
    const { response } = await cbrClient().POST("/v3/{project_id}/checkpoints", {
      body: {
        checkpoint: {
          vault_id: VAULT_ID,
          parameters: {
            resource_details: [{ id: SERVER_ID, type: "OS::Nova::Server", extra_info: { include_volumes: [{ id: VOLUME_ID }] } }],
          },
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("createCheckpoint → 200, protecting", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/checkpoints", {
      body: {
        checkpoint: {
          vault_id: VAULT_ID,
          parameters: {
            auto_trigger: false,
            description: "before upgrade",
            incremental: true,
            name: "manual_backup-01",
            resources: [SERVER_ID],
            resource_details: [
              { id: SERVER_ID, type: "OS::Nova::Server", name: "ecs-1f0f-0002", extra_info: { exclude_volumes: [VOLUME_ID] } },
            ],
          },
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.checkpoint.id).toBe(CHECKPOINT_ID);
    expect(data?.checkpoint.status).toBe("protecting");
    expect(data?.checkpoint.vault?.resources?.[0]?.resource_size).toBe(40);
    expect(data?.checkpoint.extra_info?.retention_duration).toBe(-1);
  });

  it("createCheckpoint without vault_id → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/checkpoints", {
      // @ts-expect-error vault_id is mandatory
      body: { checkpoint: { parameters: { name: "backup_name" } } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("createCheckpoint with a name containing a space → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/checkpoints", {
      body: { checkpoint: { vault_id: VAULT_ID, parameters: { name: "my backup" } } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("showCheckpoint → 200, available", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/checkpoints/{checkpoint_id}", {
      params: { path: { checkpoint_id: CHECKPOINT_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.checkpoint.status).toBe("available");
    expect(data?.checkpoint.vault?.name).toBe("vault-be94");
  });

  it("copyCheckpoint → 200 with one record per backup", async () => {
    const { data, response } = await cbrClient().POST("/v3/{project_id}/checkpoints/replicate", {
      body: {
        replicate: {
          auto_trigger: false,
          destination_project_id: DEST_PROJECT_ID,
          destination_region: "eu-nl",
          destination_vault_id: DEST_VAULT_ID,
          vault_id: VAULT_ID,
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.replication.vault_id).toBe(VAULT_ID);
    expect(data?.replication.backups).toHaveLength(3);
  });

  it("copyCheckpoint without vault_id → 400", async () => {
    const { error, response } = await cbrClient().POST("/v3/{project_id}/checkpoints/replicate", {
      // @ts-expect-error vault_id is mandatory
      body: { replicate: { destination_project_id: DEST_PROJECT_ID, destination_region: "eu-nl", destination_vault_id: DEST_VAULT_ID } },
    });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });
});

describe("replication capability", () => {
  it("showReplicationCapabilities → 200", async () => {
    const { data, response } = await cbrClient().GET("/v3/{project_id}/replication-capabilities");
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.regions[0]?.name).toBe("eu-de");
    expect(data?.regions[0]?.replication_destinations).toEqual(["eu-nl"]);
  });
});

describe("API versions", () => {
  it("listVersions → 300 (documented), without credentials", async () => {
    const { error, response } = await cbrClient({ token: null }).GET("/", { headers: prefer({ code: 300 }) });
    expect(response.status).toBe(300);
    expectNoViolations(response);
    // openapi-fetch reports a non-2xx body as `error`; 300 carries the version list.
    const body = error as unknown as { versions: Array<{ id: string; status: string; links: Array<{ href: string; rel: string }> }> };
    expect(body.versions[0]?.id).toBe("v3");
    expect(body.versions[0]?.status).toBe("CURRENT");
    expect(body.versions[0]?.links[0]?.rel).toBe("self");
  });

  it("listVersions → 200 variant with a token", async () => {
    const { data, response } = await cbrClient().GET("/");
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.versions[0]?.id).toBe("v3");
  });

  it("showVersion v3 → 300", async () => {
    const { error, response } = await cbrClient({ token: null }).GET("/{api_version}", {
      params: { path: { api_version: "v3" } },
      headers: prefer({ code: 300 }),
    });
    expect(response.status).toBe(300);
    expectNoViolations(response);
    const body = error as unknown as { versions: Array<{ id: string }> };
    expect(body.versions[0]?.id).toBe("v3");
  });

  it("showVersion with a too long api_version → 400", async () => {
    const { error, response } = await cbrClient().GET("/{api_version}", { params: { path: { api_version: "v3000" } } });
    expect(response.status).toBe(400);
    expectCbrError(error);
  });

  it("showVersion of an unknown version → 404", async () => {
    const { error, response } = await cbrClient().GET("/{api_version}", {
      params: { path: { api_version: "v9" } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectCbrError(error);
  });
});
