// Contract tests of the OpenStack-native VBS backups API (v2 deprecated and v3) against the Prism
// mock of the bundled VBS spec: every operation answers its documented success status with a
// body that matches the spec, and bad requests are answered with the documented faults.
import { describe, expect, it } from "vitest";
import { expectNoViolations, prefer, vbsClient } from "../support/contract.js";

const BACKUP_ID = "1d1139d8-8989-49d3-8aa1-83eb691e6db2";
const VOLUME_ID = "2748f2f2-4394-4e6e-af8d-8dd34496c024";
const SNAPSHOT_ID = "2bb856e1-b3d8-4432-a858-09e4ce939389";
const MICROVERSION = { "OpenStack-API-Version": "volume 3.45" };

function expectFault(error: unknown, name: string, code?: number): void {
  expect(error).toBeTypeOf("object");
  const fault = (error as Record<string, { code?: unknown; message?: unknown }>)[name];
  expect(fault, `fault ${name}`).toBeDefined();
  expect(fault?.message).toBeTypeOf("string");
  if (code !== undefined) expect(fault?.code).toBe(code);
}

describe("OpenStack-native backups v3", () => {
  it("createNativeBackup → 202 with the new backup's id and links", async () => {
    const { data, response } = await vbsClient().POST("/v3/{project_id}/backups", {
      params: { header: MICROVERSION },
      body: { backup: { volume_id: VOLUME_ID, snapshot_id: SNAPSHOT_ID, name: "backup1", description: "Backup_Demo", force: false } },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
    expect(data?.backup.id).toBe("bb089eba-6b38-41c8-85a4-2b94fad7d570");
    expect(data?.backup.links.map((l) => l.rel)).toEqual(["self", "bookmark"]);
  });

  it("createNativeBackup without snapshot_id, as Cinder's v2 sample sends it → 202", async () => {
    const { response } = await vbsClient().POST("/v3/{project_id}/backups", {
      body: { backup: { volume_id: VOLUME_ID, name: "backup001", description: null, container: null, incremental: true } },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
  });

  it("createNativeBackup with what python-cinderclient sends (unset fields null) → 202", async () => {
    const { data, response } = await vbsClient().POST("/v3/{project_id}/backups", {
      body: {
        backup: {
          volume_id: VOLUME_ID,
          container: null,
          name: null,
          description: null,
          incremental: false,
          force: false,
          snapshot_id: null,
        },
      },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
    expect(data?.backup.id).toBeTypeOf("string");
  });

  it("createNativeBackup without volume_id → 400 fault", async () => {
    const { error, response } = await vbsClient().POST("/v3/{project_id}/backups", {
      // @ts-expect-error volume_id is required
      body: { backup: { snapshot_id: SNAPSHOT_ID } },
    });
    expect(response.status).toBe(400);
    expectFault(error, "badRequest");
  });

  it("createNativeBackup with a name starting with auto → 400", async () => {
    const { response } = await vbsClient().POST("/v3/{project_id}/backups", {
      body: { backup: { volume_id: VOLUME_ID, snapshot_id: SNAPSHOT_ID, name: "autobackup" } },
    });
    expect(response.status).toBe(400);
  });

  it("listNativeBackups → 200 summary page with a next link", async () => {
    const { data, response } = await vbsClient().GET("/v3/{project_id}/backups", {
      params: {
        header: MICROVERSION,
        query: {
          name: "backup",
          status: "error",
          limit: 10,
          offset: 0,
          volume_id: "7d7c6fbe-d7ee-4b4d-8bae-bdd08b5604bb",
          with_count: true,
          "name~": "back",
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backups).toHaveLength(2);
    expect(data?.backups[0]?.name).toBeNull();
    expect(data?.backups_links).toBeUndefined();
  });

  it("listNativeBackups shows the reference's page with a next link", async () => {
    const { data, response } = await vbsClient().GET("/v3/{project_id}/backups", { headers: prefer({ example: "backups" }) });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backups_links?.[0]?.rel).toBe("next");
  });

  it("listNativeBackups sorts with sort, sort_key and sort_dir (Cinder's parameters)", async () => {
    const { response } = await vbsClient().GET("/v3/{project_id}/backups", {
      params: { query: { sort: "created_at:desc,name", sort_key: "data_timestamp", sort_dir: "asc" } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("listNativeBackups with a malformed sort → 400", async () => {
    const { response } = await vbsClient().GET("/v3/{project_id}/backups", { params: { query: { sort: "created_at:sideways" } } });
    expect(response.status).toBe(400);
  });

  it("listNativeBackups follows a marker", async () => {
    const { response } = await vbsClient().GET("/v3/{project_id}/backups", {
      params: { query: { limit: 1, offset: 1, marker: "b3cf7a16-decc-4beb-8077-682737d94a58" } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("listNativeBackups with a negative limit → 400", async () => {
    const { error, response } = await vbsClient().GET("/v3/{project_id}/backups", { params: { query: { limit: -1 } } });
    expect(response.status).toBe(400);
    expectFault(error, "badRequest");
  });

  it("listNativeBackups with an unknown status → 400 (the type is open, the mock checks the known statuses)", async () => {
    const { response } = await vbsClient().GET("/v3/{project_id}/backups", {
      params: { query: { status: "broken" } },
    });
    expect(response.status).toBe(400);
  });

  it("listNativeBackupDetails → 200 detail page", async () => {
    const { data, response } = await vbsClient().GET("/v3/{project_id}/backups/detail", {
      params: { header: MICROVERSION, query: { status: "error", limit: 10, "status~": "err", "volume_id~": "2748" } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    const first = data?.backups[0];
    expect(first?.status).toBe("error");
    expect(first?.["os-backup-project-attr:project_id"]).toBe("b23b579f08c84228b9b4673c46f0c442");
    expect(first?.object_count).toBeNull();
    expect(data?.backups[2]?.["os-backup-project-attr:project_id"]).toBeUndefined();
  });

  it("listNativeBackupDetails with with_count → count", async () => {
    const { data, response } = await vbsClient().GET("/v3/{project_id}/backups/detail", {
      params: { header: MICROVERSION, query: { with_count: true, limit: 1 } },
      headers: prefer({ example: "withCount" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.count).toBe(3);
    expect(data?.backups).toHaveLength(1);
  });

  it("listNativeBackupDetails with a malformed microversion header → 400", async () => {
    const { response } = await vbsClient().GET("/v3/{project_id}/backups/detail", {
      params: { header: { "OpenStack-API-Version": "3.45" } },
    });
    expect(response.status).toBe(400);
  });

  it("listNativeBackupDetails with a negative offset → 400", async () => {
    const { response } = await vbsClient().GET("/v3/{project_id}/backups/detail", { params: { query: { offset: -1 } } });
    expect(response.status).toBe(400);
  });

  it("showNativeBackup → 200 backup", async () => {
    const { data, response } = await vbsClient().GET("/v3/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID }, header: MICROVERSION },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backup.id).toBe(BACKUP_ID);
    expect(data?.backup.status).toBe("available");
    expect(data?.backup.has_dependent_backups).toBe(false);
    expect(data?.backup.fail_reason).toBeNull();
  });

  it("showNativeBackup → the reference's failed backup", async () => {
    const { data, response } = await vbsClient().GET("/v3/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
      headers: prefer({ example: "backup" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backup.status).toBe("error");
    expect(data?.backup.description).toBeNull();
  });

  it("showNativeBackup → 404 fault", async () => {
    const { error, response } = await vbsClient().GET("/v3/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectFault(error, "itemNotFound");
  });

  it("deleteNativeBackup → 202 without body", async () => {
    const { response } = await vbsClient().DELETE("/v3/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID }, header: MICROVERSION },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
  });

  it("deleteNativeBackup → documented 404 itemNotFound with integer code", async () => {
    const { error, response } = await vbsClient().DELETE("/v3/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
      headers: prefer({ code: 404, example: "itemNotFound" }),
    });
    expect(response.status).toBe(404);
    expectFault(error, "itemNotFound", 404);
  });

  it("restoreNativeBackup → 202 with the restore", async () => {
    const { data, response } = await vbsClient().POST("/v3/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID }, header: MICROVERSION },
      body: { restore: { volume_id: VOLUME_ID } },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
    expect(data?.restore).toEqual({ backup_id: BACKUP_ID, volume_id: VOLUME_ID, volume_name: "test_volume" });
  });

  it("restoreNativeBackup with a name, as OpenStack's clients send it → 202", async () => {
    const { data, response } = await vbsClient().POST("/v3/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      body: { restore: { volume_id: VOLUME_ID, name: null } },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
    expect(data?.restore.volume_id).toBe(VOLUME_ID);
  });

  it("restoreNativeBackup into a new volume (volume_id null), which VBS does not offer → 400", async () => {
    const { response } = await vbsClient().POST("/v3/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      // @ts-expect-error VBS restores to an existing disk: volume_id is a string
      body: { restore: { volume_id: null, name: "restore_vol" } },
    });
    expect(response.status).toBe(400);
  });

  it("restoreNativeBackup without volume_id → 400 fault", async () => {
    const { error, response } = await vbsClient().POST("/v3/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      // @ts-expect-error volume_id is required
      body: { restore: {} },
    });
    expect(response.status).toBe(400);
    expectFault(error, "badRequest");
  });
});

describe("OpenStack-native backups v2 (deprecated)", () => {
  it("createNativeBackupV2 → 202", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/backups", {
      body: {
        backup: {
          volume_id: "c68ae7fb-0aa5-4a97-ab01-ed02c5b7e768",
          snapshot_id: SNAPSHOT_ID,
          name: "backup1",
          description: "Backup_Demo",
        },
      },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
    expect(data?.backup.id).toBe("54ba0e69-48a0-4a77-9cdf-a7979a7e2648");
    expect(data?.backup.name).toBe("backup1");
  });

  it("createNativeBackupV2 without volume_id → 400 fault", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/backups", {
      // @ts-expect-error volume_id is required
      body: { backup: { snapshot_id: SNAPSHOT_ID } },
    });
    expect(response.status).toBe(400);
    expectFault(error, "badRequest");
  });

  it("createNativeBackupV2 with a description containing < → 400", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/backups", {
      body: { backup: { volume_id: VOLUME_ID, snapshot_id: SNAPSHOT_ID, description: "<b>" } },
    });
    expect(response.status).toBe(400);
  });

  it("listNativeBackupsV2 → 200 summary page", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/backups", {
      params: { query: { name: "backup", status: "error", limit: 10, volume_id: "7d7c6fbe-d7ee-4b4d-8bae-bdd08b5604bb" } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backups.map((b) => b.id)).toEqual([BACKUP_ID, "b3cf7a16-decc-4beb-8077-682737d94a58"]);
    expect(data?.backups_links).toBeUndefined();
  });

  it("listNativeBackupsV2 shows the reference's page with a next link carrying the marker", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/backups", { headers: prefer({ example: "backups" }) });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backups_links?.[0]?.href).toContain("marker=b3cf7a16-decc-4beb-8077-682737d94a58");
  });

  it("listNativeBackupsV2 with a negative limit → 400", async () => {
    const { response } = await vbsClient().GET("/v2/{project_id}/backups", { params: { query: { limit: -5 } } });
    expect(response.status).toBe(400);
  });

  it("listNativeBackupDetailsV2 → 200 detail page with service_metadata", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/backups/detail", {
      params: { query: { name: "backup", status: "error", sort_key: "created_at", sort_dir: "asc", offset: 0, limit: 10 } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    const first = data?.backups[0];
    expect(first?.["os-bak-tenant-attr:tenant_id"]).toBe("b23b579f08c84228b9b4673c46f0c442");
    const metadata = JSON.parse(first?.service_metadata ?? "null") as Record<string, unknown>;
    expect(metadata.bootable).toBe(false);
    expect(data?.backups[1]?.service_metadata).toBeUndefined();
  });

  it("listNativeBackupDetailsV2 with an image-API sort_key → 400", async () => {
    const { response } = await vbsClient().GET("/v2/{project_id}/backups/detail", {
      // @ts-expect-error disk_format is not a backup attribute
      params: { query: { sort_key: "disk_format" } },
    });
    expect(response.status).toBe(400);
  });

  it("listNativeBackupDetailsV2 with a negative limit → 400", async () => {
    const { response } = await vbsClient().GET("/v2/{project_id}/backups/detail", { params: { query: { limit: -1 } } });
    expect(response.status).toBe(400);
  });

  it("showNativeBackupV2 → 200 backup", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backup.id).toBe(BACKUP_ID);
    expect(data?.backup.status).toBe("available");
    expect(data?.backup["os-bak-tenant-attr:tenant_id"]).toBe("b23b579f08c84228b9b4673c46f0c442");
  });

  it("showNativeBackupV2 → the reference's failed backup", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
      headers: prefer({ example: "backup" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.backup.fail_reason).toContain("swift");
  });

  it("deleteNativeBackupV2 → 202", async () => {
    const { response } = await vbsClient().DELETE("/v2/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
  });

  it("deleteNativeBackupV2 → documented 404 itemNotFound", async () => {
    const { error, response } = await vbsClient().DELETE("/v2/{project_id}/backups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectFault(error, "itemNotFound", 404);
  });

  it("restoreNativeBackupV2 → 202", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      body: { restore: { volume_id: VOLUME_ID } },
    });
    expect(response.status).toBe(202);
    expectNoViolations(response);
    expect(data?.restore.volume_name).toBe("test_volume");
  });

  it("restoreNativeBackupV2 without the restore object → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      // @ts-expect-error restore is required
      body: {},
    });
    expect(response.status).toBe(400);
    expectFault(error, "badRequest");
  });
});
