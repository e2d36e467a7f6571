// The named waiters come from the specs: generate.mjs turns each x-waiter, with the x-async
// entries polling the same operation, into a definition in generated/*.meta.ts, and refuses
// definitions that contradict themselves.
import { describe, expect, it } from "vitest";
import { cbrWaitForBackup, cbrWaitForCheckpoint, cbrWaitForTask } from "../../generated/cbr.meta.js";
import { vbsWaitForBackup, vbsWaitForJob } from "../../generated/vbs.meta.js";
import { waiterDefinitions } from "../../scripts/waiters.mjs";

describe("generated waiter definitions", () => {
  it("join x-waiter with the statuses of the x-async entries polling the same operation", () => {
    expect(vbsWaitForJob).toMatchObject({
      poll: "showJob",
      status: "status",
      success: ["SUCCESS"],
      failure: ["FAIL"],
      errorCode: "error_code",
      errorMessage: "fail_reason",
    });
    expect(vbsWaitForBackup).toMatchObject({
      poll: "showNativeBackup",
      result: "backup",
      success: ["available"],
      failure: ["error", "error_deleting", "error_restoring"],
    });
    expect(cbrWaitForBackup).toMatchObject({ poll: "showBackup", success: ["available"], failure: ["error"] });
    expect(cbrWaitForCheckpoint.failure).toEqual(["error-deleting", "deleted", "error"]);
    expect(cbrWaitForTask).toMatchObject({
      poll: "showOpLog",
      result: "operation_log",
      success: ["success", "skipped"],
      failure: ["failed", "timeout"],
    });
  });

  const poll = { operationId: "showThing", waiter: { name: "waitForThing", subject: "thing", idName: "thingId" } };
  const start = (async: object) => ({
    operationId: "startThing",
    async: { kind: "resource", poll: "showThing", id: "path:thing_id", ...async },
  });

  it("takes the status path from the x-async entries, and resolves to the object holding it", () => {
    const [w] = waiterDefinitions("cbr", {
      "GET /things/{thing_id}": poll,
      "POST /things/{thing_id}/go": start({ status: "thing.state", success: ["done"], failure: ["broken"] }),
    });
    expect(w).toEqual({
      name: "waitForThing",
      definition: {
        name: "waitForThing",
        subject: "thing",
        idName: "thingId",
        poll: "showThing",
        path: "/things/{thing_id}",
        status: "thing.state",
        result: "thing",
        pending: [],
        success: ["done"],
        failure: ["broken"],
      },
    });
  });

  it.each([
    ["no status anywhere", { "GET /things/{thing_id}": poll }, /needs status/],
    [
      "entries that disagree on the status path",
      {
        "GET /things/{thing_id}": poll,
        "POST /a/{thing_id}": start({ status: "a", success: ["ok"], failure: [] }),
        "POST /b/{thing_id}": start({ status: "b", success: ["ok"], failure: [] }),
      },
      /status differs between the x-async entries/,
    ],
    [
      "a status both success and failure",
      { "GET /things/{thing_id}": { ...poll, waiter: { ...poll.waiter, status: "s", success: ["x"], failure: ["x"] } } },
      /x as both success and failure/,
    ],
    [
      "no success status",
      { "GET /things/{thing_id}": { ...poll, waiter: { ...poll.waiter, status: "s", failure: ["x"] } } },
      /no success status/,
    ],
    [
      "an unknown key",
      { "GET /things/{thing_id}": { ...poll, waiter: { ...poll.waiter, status: "s", success: ["ok"], every: 5 } } },
      /unknown key every/,
    ],
    [
      "a waiter on a POST",
      { "POST /things/{thing_id}": { ...poll, waiter: { ...poll.waiter, status: "s", success: ["ok"] } } },
      /must sit on a GET operation/,
    ],
  ])("refuses %s", (_what, operations, message) => {
    expect(() => waiterDefinitions("cbr", operations as never)).toThrow(message);
  });
});
