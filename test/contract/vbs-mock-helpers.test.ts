// The client's helpers against the Prism mock of the VBS spec. The stateless mock answers every
// call with the first example of the success response, so the examples must read like the
// service's answers: list pages whose totals match their items and that carry no next link to
// loop on, jobs that have succeeded and backups that are available. Then `paginate` finishes on
// every list operation and the waiters resolve.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { vbsOperations } from "../support/tables.js";
import { paginate, waitFor, waitForBackup, waitForJob, type AsyncOperation, type PaginatedPath, type VbsClient } from "../../src/index.js";
import { vbsClient } from "../support/contract.js";
import { advancingClock } from "../support/loopback.js";

type Json = Record<string, any>;
type Key = keyof typeof vbsOperations;
const spec: Json = JSON.parse(readFileSync(new URL("../../generated/vbs.openapi.json", import.meta.url), "utf8"));
const POLICY_ID = "ed8b9f73-4415-494d-a54e-5f3373bc353d";
const BACKUP_ID = "1d1139d8-8989-49d3-8aa1-83eb691e6db2";
const VOLUME_ID = "2748f2f2-4394-4e6e-af8d-8dd34496c024";
// Polls without waiting: the mock answers at once, and its answer does not change.
// Waits run on a clock that moves only by them: no real time passes between polls.
const QUICK = { clock: advancingClock(), maxWaitMs: 60_000 };

const entries = Object.entries(vbsOperations) as [Key, (typeof vbsOperations)[Key]][];
const split = (key: Key) => {
  const [method, path] = String(key).split(" ") as [string, string];
  return { method: method.toLowerCase(), path };
};

/** The first example of an operation's success response: what the mock serves. */
function servedExample(key: Key): Json {
  const { method, path } = split(key);
  const responses = spec.paths[path][method].responses as Json;
  const status = Object.keys(responses).find((s) => /^2\d\d$/.test(s))!;
  const examples = responses[status].content["application/json"].examples as Json;
  return Object.values(examples)[0].value;
}

// What each list operation needs besides its paging parameters.
const LIST_INIT: Partial<Record<Key, object>> = {
  "GET /v2/{project_id}/backuppolicy/{policy_id}/backuptasks": { params: { path: { policy_id: POLICY_ID } } },
  "POST /v2/{project_id}/backuppolicy/resource_instances/action": { body: { action: "filter" } },
};

const lists = entries.filter(([, op]) => "pagination" in op) as [Key, { operationId: string; pagination: { items: string } }][];

describe("paginate against the mock", () => {
  it("covers the list operations", () => {
    expect(lists.map(([, op]) => op.operationId).sort()).toEqual([
      "listBackupPolicies",
      "listBackupPoliciesByTags",
      "listBackupPolicyTasks",
      "listBackupSharingDetails",
      "listNativeBackupDetails",
      "listNativeBackupDetailsV2",
      "listNativeBackups",
      "listNativeBackupsV2",
    ]);
  });

  it.each(lists.map(([key, op]) => [op.operationId, key, op.pagination.items] as const))(
    "%s finishes with the example's items",
    async (_, key, items) => {
      const seen: unknown[] = [];
      const path = split(key).path as PaginatedPath<VbsClient>;
      for await (const item of paginate(vbsClient(), path, (LIST_INIT[key] ?? {}) as never)) seen.push(item);
      const expected = servedExample(key)[items] as unknown[];
      expect(expected.length).toBeGreaterThan(0);
      expect(seen).toEqual(expected);
    },
  );
});

// How each operation with x-async is started against the mock.
const START: Partial<Record<Key, (vbs: VbsClient) => Promise<{ data?: unknown; response: Response }>>> = {
  "POST /v2/{project_id}/cloudbackups": (vbs) =>
    vbs.POST("/v2/{project_id}/cloudbackups", { body: { backup: { volume_id: VOLUME_ID, name: "backup1" } } }),
  "POST /v2/{project_id}/cloudbackups/{backup_id}": (vbs) =>
    vbs.POST("/v2/{project_id}/cloudbackups/{backup_id}", { params: { path: { backup_id: BACKUP_ID } } }),
  "POST /v2/{project_id}/cloudbackups/{backup_id}/restore": (vbs) =>
    vbs.POST("/v2/{project_id}/cloudbackups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      body: { restore: { volume_id: VOLUME_ID } },
    }),
  "POST /v2/{project_id}/backups": (vbs) => vbs.POST("/v2/{project_id}/backups", { body: { backup: { volume_id: VOLUME_ID } } }),
  "POST /v3/{project_id}/backups": (vbs) => vbs.POST("/v3/{project_id}/backups", { body: { backup: { volume_id: VOLUME_ID } } }),
  "POST /v2/{project_id}/backups/{backup_id}/restore": (vbs) =>
    vbs.POST("/v2/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      body: { restore: { volume_id: VOLUME_ID } },
    }),
  "POST /v3/{project_id}/backups/{backup_id}/restore": (vbs) =>
    vbs.POST("/v3/{project_id}/backups/{backup_id}/restore", {
      params: { path: { backup_id: BACKUP_ID } },
      body: { restore: { volume_id: VOLUME_ID } },
    }),
};

const asyncOps = entries.filter(([, op]) => "async" in op) as [
  Key,
  { operationId: string; async: { success: readonly string[]; gone?: string } },
][];
// Deletions end when the poll answers 404; a stateless mock answers the same 200 forever, so
// their waits cannot finish here (the loopback tests cover them).
const endsOnlyByVanishing = asyncOps.filter(([, op]) => op.async.success.length === 0);
const terminating = asyncOps.filter(([, op]) => op.async.success.length > 0);

describe("waiters against the mock", () => {
  it("leaves out only the deletions, which end on a 404", () => {
    expect(endsOnlyByVanishing.map(([, op]) => [op.operationId, op.async.gone])).toEqual([
      ["deleteNativeBackupV2", "success"],
      ["deleteNativeBackup", "success"],
    ]);
    expect(terminating.map(([key]) => key).sort()).toEqual(Object.keys(START).sort());
  });

  it.each(terminating.map(([key, op]) => [op.operationId, key] as const))("waitFor after %s resolves", async (_, key) => {
    const vbs = vbsClient();
    const started = await START[key]!(vbs);
    expect(started.response.ok).toBe(true);
    const result = (await waitFor(vbs, key as AsyncOperation<VbsClient>, started, QUICK)) as Json;
    if (result.backup) expect(result.backup.status).toBe("available");
    else expect(result.status).toBe("SUCCESS");
  });

  it("waitForJob resolves with the succeeded job", async () => {
    const job = await waitForJob(vbsClient(), "4010b39b5281d3590152874bfa3b1604", QUICK);
    expect(job.status).toBe("SUCCESS");
    expect(job.entities.backup_id).toBe("ba5401a2-7cd2-4c01-8c0d-c936ab412d6d");
  });

  it("waitForBackup resolves with the available native backup", async () => {
    const backup = await waitForBackup(vbsClient(), BACKUP_ID, QUICK);
    expect(backup.status).toBe("available");
  });
});
