// Malformed answers: an HTML error page, truncated JSON, an empty 200, a wrong content
// type, a connection that closes mid-body. Each ends as a typed error (OtcApiError, or the
// helpers' PaginationError), through plain calls, unwrap, paginate (also with requests in flight)
// and a waiter, and none leaves an unhandled rejection behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCbrClient,
  isOtcApiError,
  OtcApiError,
  paginate,
  PaginationError,
  staticTokenAuth,
  unwrap,
  waitForBackup,
  WaitTimeoutError,
  type CbrClient,
} from "../../src/index.js";
import { PROJECT_ID, TOKEN, startLoopback, type Loopback } from "../support/loopback.js";
import { unhandledRejectionsDuring } from "../support/reliability.js";

/** Each case: status, content type, body (`cut` sends a Content-Length longer than the body, then closes). */
const CASES: Record<string, { status: number; type?: string; body: string; cut?: boolean }> = {
  htmlError: {
    status: 502,
    type: "text/html",
    body: "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
  },
  htmlOk: { status: 200, type: "text/html; charset=utf-8", body: "<!DOCTYPE html><html><body>Please log in</body></html>" },
  truncated: { status: 200, type: "application/json", body: '{"backup":{"id":"b-1","name":"nig' },
  truncatedError: { status: 500, type: "application/json", body: '{"error_code":"BackupService.65' },
  cutMidBody: { status: 200, type: "application/json", body: '{"backup":{"id":"b-1",', cut: true },
  emptyOk: { status: 200, type: "application/json", body: "" },
  emptyError: { status: 503, type: "application/json", body: "" },
  xml: { status: 200, type: "application/xml", body: "<backup><id>b-1</id></backup>" },
  plainText: { status: 200, type: "text/plain", body: "OK" },
  jsonTypeHtmlBody: { status: 200, type: "application/json", body: "<html><body>maintenance</body></html>" },
  noType: { status: 200, body: "maintenance" },
  // A JSON body under a wrong content type is read: services do send text/plain for JSON.
  jsonAsText: { status: 200, type: "text/plain;charset=UTF-8", body: '{"backup":{"id":"b-1","status":"available"}}' },
};

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback((req, res, raw) => {
    // /v3/{project}/backups/{case} answers the case; /v3/{project}/backups?name={case} pages it.
    const parts = req.url.pathname.split("/");
    const name = parts[4] ?? req.url.searchParams.get("name") ?? "";
    const offset = Number(req.url.searchParams.get("offset") ?? 0);
    if (parts.length === 4 && offset === 0) {
      // The first page of a list is always good, so that later pages run concurrently.
      const body = JSON.stringify({ backups: Array.from({ length: 10 }, (_, i) => ({ id: `b-${i}` })), count: 100 });
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const c = CASES[name];
    if (!c) {
      res.writeHead(404, { "Content-Type": "application/json" }).end('{"error_code":"T.404","error_msg":"no case"}');
      return;
    }
    const headers: Record<string, string | number> = { "Content-Length": Buffer.byteLength(c.body) + (c.cut ? 100 : 0) };
    if (c.type) headers["Content-Type"] = c.type;
    res.writeHead(c.status, headers);
    if (c.cut) {
      res.write(c.body);
      setTimeout(() => raw.socket.destroy(), 5);
    } else {
      res.end(c.body);
    }
  });
});
afterAll(() => server.close());

function client(throwOnError = false): CbrClient {
  return createCbrClient({
    endpoint: server.url,
    projectId: PROJECT_ID,
    auth: staticTokenAuth(TOKEN),
    retry: false,
    timeoutMs: 5_000,
    throwOnError,
  });
}

const get = (c: CbrClient, name: string) => c.GET("/v3/{project_id}/backups/{backup_id}", { params: { path: { backup_id: name } } });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("malformed answers become typed errors", () => {
  const malformedOk = ["htmlOk", "truncated", "xml", "plainText", "jsonTypeHtmlBody", "noType"] as const;

  it.each(malformedOk)("%s: a 200 whose body is not JSON is an OtcApiError of kind malformed-response", async (name) => {
    const rejections = await unhandledRejectionsDuring(async () => {
      for (const throwOnError of [false, true]) {
        const error = await rejection(get(client(throwOnError), name));
        expect(error).toBeInstanceOf(OtcApiError);
        expect(error).toMatchObject({ kind: "malformed-response", status: 200, operationId: "showBackup", body: CASES[name]!.body });
        expect((error as Error).message).toMatch(/^showBackup: HTTP 200 but the body is (not JSON|truncated or malformed JSON)/);
      }
    });
    expect(rejections).toEqual([]);
  });

  it.each(["htmlError", "truncatedError", "emptyError"] as const)(
    "%s: an error status with an unreadable body is an OtcApiError of kind http",
    async (name) => {
      const rejections = await unhandledRejectionsDuring(async () => {
        const thrown = await rejection(get(client(true), name));
        expect(thrown).toBeInstanceOf(OtcApiError);
        expect(thrown).toMatchObject({ kind: "http", status: CASES[name]!.status, operationId: "showBackup" });
        // Without throwOnError the same error comes from unwrap().
        const result = await get(client(false), name);
        expect(result.response.status).toBe(CASES[name]!.status);
        const unwrapped = (() => {
          try {
            unwrap(result);
          } catch (error) {
            return error;
          }
          return undefined;
        })();
        expect(unwrapped).toBeInstanceOf(OtcApiError);
        expect(unwrapped).toMatchObject({ kind: "http", status: CASES[name]!.status });
      });
      expect(rejections).toEqual([]);
    },
  );

  it("an HTML error page says what it is, briefly", async () => {
    const error = (await rejection(get(client(true), "htmlError"))) as OtcApiError;
    expect(error.message).toMatch(/^showBackup: HTTP 502 Bad Gateway; the error body is not JSON \(text\/html\): <!DOCTYPE html>/);
    expect(error.message.length).toBeLessThan(400);
  });

  it("a connection closed in the middle of the body is an OtcApiError of kind incomplete-response, which says the answer arrived", async () => {
    const rejections = await unhandledRejectionsDuring(async () => {
      const error = await rejection(get(client(true), "cutMidBody"));
      expect(isOtcApiError(error), String(error)).toBe(true);
      expect(error).toMatchObject({ kind: "incomplete-response", status: 200, operationId: "showBackup" });
      expect((error as Error).message).toMatch(/^showBackup: HTTP 200 arrived, but the connection broke while its body was read/);
    });
    expect(rejections).toEqual([]);
  });

  it("a JSON body under a wrong content type is read (lenient by design)", async () => {
    const { data } = await get(client(true), "jsonAsText");
    expect(data).toEqual({ backup: { id: "b-1", status: "available" } });
  });

  // Every GET of both specs declares a JSON body, so an empty 200 to a GET is malformed.
  it("an empty 200 to a GET is an OtcApiError of kind malformed-response", async () => {
    const error = await rejection(get(client(true), "emptyOk"));
    expect(error).toMatchObject({ kind: "malformed-response", status: 200 });
  });
});

describe("malformed pages while paging", () => {
  it.each(["htmlOk", "truncated", "emptyOk", "cutMidBody", "htmlError", "xml"] as const)(
    "%s on a later page ends paginate with a typed error while other pages are in flight, and nothing is left unhandled",
    async (name) => {
      const rejections = await unhandledRejectionsDuring(async () => {
        const seen: unknown[] = [];
        const error = await rejection(
          (async () => {
            for await (const item of paginate(
              client(),
              "/v3/{project_id}/backups",
              { params: { query: { name } } },
              { pageSize: 10, concurrency: 4 },
            )) {
              seen.push(item);
            }
          })(),
        );
        expect(isOtcApiError(error) || error instanceof PaginationError, String(error)).toBe(true);
        expect(seen).toHaveLength(10); // the good first page, then the error
      });
      expect(rejections).toEqual([]);
    },
  );
});

describe("malformed answers while waiting", () => {
  /** A clock whose waits pass at once and move its time on. */
  const advancing = () => {
    let now = 0;
    return { now: () => now, sleep: async (ms: number) => void (now += ms) };
  };

  it.each(["htmlOk", "truncated"] as const)("%s ends waitForBackup with an OtcApiError", async (name) => {
    const rejections = await unhandledRejectionsDuring(async () => {
      const error = await rejection(waitForBackup(client(), name, { clock: advancing() }));
      expect(isOtcApiError(error), String(error)).toBe(true);
      expect(error).toMatchObject({ kind: "malformed-response" });
    });
    expect(rejections).toEqual([]);
  });

  it("a proxy's 502 page is a passing failure: the waiter polls again until its deadline", async () => {
    const rejections = await unhandledRejectionsDuring(async () => {
      const error = await rejection(waitForBackup(client(), "htmlError", { clock: advancing(), intervalMs: 1_000, maxWaitMs: 5_000 }));
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect(error).toMatchObject({ lastStatus: undefined, polls: 4 });
    });
    expect(rejections).toEqual([]);
  });
});
