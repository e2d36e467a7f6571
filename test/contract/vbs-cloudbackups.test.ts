// Contract tests for the VBS cloudbackups (create / delete / restore), jobs, quotas and backup
// sharing operations, against the Prism mock of the bundled spec.
import { describe, expect, it } from "vitest";
import { expectNoViolations, expectVbsError, prefer, vbsClient } from "../support/contract.js";

const VOLUME_ID = "c68ae7fb-0aa5-4a97-ab01-ed02c5b7e768";
const BACKUP_ID = "066b1e37-9305-4057-97e5-2e99b21fc71d";
const SHARING_ID = "8332443e-9866-41d8-8a58-a898cf5db030";
const JOB_ID = "70a599e0-31e7-49b7-b260-868f441e862b";

describe("cloudbackups (asynchronous jobs)", () => {
  it("createCloudBackup starts a job (full backup with tags)", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/cloudbackups", {
      body: {
        backup: {
          volume_id: VOLUME_ID,
          snapshot_id: null,
          name: "backup1",
          description: "Backup_Demo",
          tags: [{ key: "key", value: "value" }],
          extend_param: { FullBackup: "true" },
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.job_id).toBe(JOB_ID);
  });

  it("createCloudBackup with only the mandatory fields", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/cloudbackups", {
      body: { backup: { volume_id: VOLUME_ID, name: "backup2" } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(typeof data?.job_id).toBe("string");
  });

  it("createCloudBackup without the mandatory name → 400 with the VBS error body", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/cloudbackups", {
      // @ts-expect-error name is mandatory
      body: { backup: { volume_id: VOLUME_ID } },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("createCloudBackup with a name starting with auto → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/cloudbackups", {
      body: { backup: { volume_id: VOLUME_ID, name: "autobackup" } },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("createCloudBackup with a boolean FullBackup → 400 (it is a string)", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/cloudbackups", {
      // @ts-expect-error FullBackup is "true" | "false"
      body: { backup: { volume_id: VOLUME_ID, name: "b", extend_param: { FullBackup: true } } },
    });
    expect(response.status).toBe(400);
  });

  it("deleteCloudBackup (deprecated) starts a job", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/cloudbackups/{backup_id}", {
      params: { path: { backup_id: BACKUP_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.job_id).toBe(JOB_ID);
  });

  it("restoreCloudBackup starts a job", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/cloudbackups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      body: { restore: { volume_id: "c96e4a94-927a-425c-8795-63f9964cfebd" } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.job_id).toBe(JOB_ID);
  });

  it("restoreCloudBackup without restore.volume_id → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/cloudbackups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      // @ts-expect-error volume_id is mandatory
      body: { restore: {} },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("restoreCloudBackup with volume_id flat (as the reference's table suggests) → 400", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/cloudbackups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      // @ts-expect-error volume_id belongs inside restore
      body: { volume_id: "c96e4a94-927a-425c-8795-63f9964cfebd" },
    });
    expect(response.status).toBe(400);
  });
});

describe("showJob", () => {
  it("returns a running job", async () => {
    const { data, response } = await vbsClient().GET("/v1/{project_id}/jobs/{job_id}", {
      params: { path: { job_id: JOB_ID } },
      headers: prefer({ example: "running" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.status).toBe("RUNNING");
    expect(data?.end_time).toBeNull();
  });

  it("returns a successful job with its entities", async () => {
    const { data, response } = await vbsClient().GET("/v1/{project_id}/jobs/{job_id}", {
      params: { path: { job_id: JOB_ID } },
      headers: prefer({ example: "success" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.status).toBe("SUCCESS");
    expect(data?.entities.backup_id).toBe("ba5401a2-7cd2-4c01-8c0d-c936ab412d6d");
    expect(data?.job_type).toBe("bksCreateBackup");
    expect(data?.error_code).toBeNull();
  });

  it("returns a failed job with error_code and fail_reason", async () => {
    const { data, response } = await vbsClient().GET("/v1/{project_id}/jobs/{job_id}", {
      params: { path: { job_id: JOB_ID } },
      headers: prefer({ example: "fail" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.status).toBe("FAIL");
    expect(data?.error_code).toBe("VolumeBackup.0012");
    expect(typeof data?.fail_reason).toBe("string");
  });

  it("documents 404 with the VBS error body", async () => {
    const { error, response } = await vbsClient().GET("/v1/{project_id}/jobs/{job_id}", {
      params: { path: { job_id: JOB_ID } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectVbsError(error);
  });
});

describe("showQuotas", () => {
  it("returns the quota resources", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/cloudbackups/quota");
    expect(response.status).toBe(200);
    expectNoViolations(response);
    const resources = data?.quotas.resources ?? [];
    expect(resources.map((r) => r.type).sort()).toEqual(["backup_gigabytes", "backups"]);
    expect(resources.find((r) => r.type === "backup_gigabytes")?.quota).toBe(-1);
  });
});

describe("backup sharing", () => {
  it("createBackupSharing shares a backup with two projects", async () => {
    const { data, response } = await vbsClient().POST("/v2/{project_id}/os-vendor-backup-sharing", {
      body: {
        shared: {
          backup_id: BACKUP_ID,
          to_project_ids: ["722513ed0a324dadaabe5b2d0fe848c9", "722513ed0a324dadaabe5b2d0fe84919"],
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(Array.isArray(data?.shared)).toBe(true);
    expect(data?.shared[0]?.id).toBe(SHARING_ID);
    expect(data?.shared[0]?.deleted).toBeNull();
  });

  it("createBackupSharing without to_project_ids → 400", async () => {
    const { error, response } = await vbsClient().POST("/v2/{project_id}/os-vendor-backup-sharing", {
      // @ts-expect-error to_project_ids is mandatory
      body: { shared: { backup_id: BACKUP_ID } },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("createBackupSharing with an empty to_project_ids → 400", async () => {
    const { response } = await vbsClient().POST("/v2/{project_id}/os-vendor-backup-sharing", {
      body: { shared: { backup_id: BACKUP_ID, to_project_ids: [] } },
    });
    expect(response.status).toBe(400);
  });

  it("listBackupSharingDetails with every filter, sorting and paging", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/detail", {
      params: {
        query: {
          share_to_me: false,
          volume_id: "a7d7783f-02b7-4645-b0e3-61df63f0ba10",
          name: "lbf",
          status: "available",
          backup_id: BACKUP_ID,
          from_project_id: "c13f5220dc1949b0b741ea81a7cd5554",
          to_project_id: "722513ed0a324dadaabe5b2d0fe848b9",
          availability_zone: "eu-de-01",
          sort_dir: "desc",
          sort_key: "created_at",
          limit: 10,
          offset: 0,
          marker: "e842bf23-1e05-4c2c-b0f9-25222f4686da",
        },
      },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.shared).toHaveLength(2);
    const first = data?.shared[0];
    expect(first?.backup.has_dependent_backups).toBeNull();
    expect(first?.backup.status).toBe("available");
    expect(data?.shared[1]?.updated_at).toBeNull();
    expect(data?.shared_links).toBeUndefined();
  });

  it("listBackupSharingDetails: a first page carries a next link in shared_links", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/detail", {
      params: { query: { limit: 1 } },
      headers: prefer({ example: "firstPage" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.shared).toHaveLength(1);
    expect(data?.shared_links?.[0]?.rel).toBe("next");
    expect(data?.shared_links?.[0]?.href).toContain("marker=e842bf23-1e05-4c2c-b0f9-25222f4686da");
  });

  it("listBackupSharingDetails accepts the reference's avalilability_zone, which Prism flags as deprecated", async () => {
    const { response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/detail", {
      params: { query: { avalilability_zone: "eu-de-01" } },
    });
    expect(response.status).toBe(200);
    const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]") as { code?: string; location?: string[] }[];
    expect(violations.map((v) => [v.code, v.location?.at(-1)])).toEqual([["deprecated", "avalilability_zone"]]);
  });

  it("listBackupSharingDetails can return an empty page", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/detail", {
      headers: prefer({ example: "empty" }),
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.shared).toEqual([]);
  });

  it("listBackupSharingDetails with a negative limit → 400", async () => {
    const { error, response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/detail", {
      params: { query: { limit: -1 } },
    });
    expect(response.status).toBe(400);
    expectVbsError(error);
  });

  it("listBackupSharingDetails with an unknown sort_dir → 400", async () => {
    const { response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/detail", {
      // @ts-expect-error sort_dir is asc | desc
      params: { query: { sort_dir: "up" } },
    });
    expect(response.status).toBe(400);
  });

  it("countBackupSharings with filters", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/count", {
      params: { query: { share_to_me: true, backup_id: BACKUP_ID, status: "available", availability_zone: "eu-de-01" } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.count).toBe(2);
  });

  it("countBackupSharings with an unknown status → 400 (the type is open, the mock checks the known statuses)", async () => {
    const { response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/count", {
      params: { query: { status: "shared" } },
    });
    expect(response.status).toBe(400);
  });

  it("showBackupSharing returns the sharing with its backup", async () => {
    const { data, response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/{id}", {
      params: { path: { id: SHARING_ID } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
    expect(data?.shared.id).toBe(SHARING_ID);
    expect(data?.shared.backup.object_count).toBe(0);
    expect(data?.shared.backup_id).toBe(BACKUP_ID);
  });

  it("showBackupSharing documents 404", async () => {
    const { error, response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/{id}", {
      params: { path: { id: SHARING_ID } },
      headers: prefer({ code: 404 }),
    });
    expect(response.status).toBe(404);
    expectVbsError(error);
  });

  it("deleteBackupSharing cancels one sharing", async () => {
    const { response } = await vbsClient().DELETE("/v2/{project_id}/os-vendor-backup-sharing/{id}", {
      params: { path: { id: "e842bf23-1e05-4c2c-b0f9-25222f4686da" } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("deleteBackupSharing with is_backup_id=true cancels every sharing of a backup", async () => {
    const { response } = await vbsClient().DELETE("/v2/{project_id}/os-vendor-backup-sharing/{id}", {
      params: { path: { id: BACKUP_ID }, query: { is_backup_id: true } },
    });
    expect(response.status).toBe(200);
    expectNoViolations(response);
  });

  it("deleteBackupSharing with a non-boolean is_backup_id → 400", async () => {
    const { response } = await vbsClient().DELETE("/v2/{project_id}/os-vendor-backup-sharing/{id}", {
      // @ts-expect-error is_backup_id is a boolean
      params: { path: { id: BACKUP_ID }, query: { is_backup_id: "yes" } },
    });
    expect(response.status).toBe(400);
  });
});
