// Calls by operation name: every operationId of both specs is a method of its client that sends
// exactly what the call by path sends, and answers the same way (project scoping, OtcApiError
// naming the operation, throwOnError, unwrap). A recording fetch stands in for the network. Also
// the generation-time check that keeps operationIds from shadowing the client's own members.
import { describe, expect, it } from "vitest";
import { createCbrClient, createVbsClient, OtcApiError, staticTokenAuth, unwrap } from "../../src/index.js";
import { cbrOperations, vbsOperations } from "../support/tables.js";
import { checkOperationNames, RESERVED_NAMES } from "../../scripts/operation-names.mjs";

const PROJECT = "0a1b2c3d4e5f";

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

function recorder(answer: () => Response = () => Response.json({ ok: true })) {
  const sent: Sent[] = [];
  const fetch = async (request: Request) => {
    request.signal.throwIfAborted(); // as fetch does
    const headers = Object.fromEntries([...request.headers].filter(([name]) => name !== "x-auth-token"));
    sent.push({ method: request.method, url: request.url, headers, body: await request.text() });
    return answer();
  };
  return { sent, fetch };
}

type Loose = Record<string, (init?: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>>;
type LoosePaths = Record<string, (path: string, init?: Record<string, unknown>) => Promise<unknown>>;

const services = [
  { name: "cbr", create: createCbrClient, operations: cbrOperations },
  { name: "vbs", create: createVbsClient, operations: vbsOperations },
] as const;

describe.each(services)("$name calls by name", ({ create, operations }) => {
  const entries = Object.entries(operations);

  it("has a method for every operationId, beside openapi-fetch's own members", () => {
    const client = create({ region: "eu-de", projectId: PROJECT, auth: staticTokenAuth("t") }) as unknown as Record<string, unknown>;
    const ids = entries.map(([, op]) => op.operationId);
    for (const id of ids) expect(typeof client[id], id).toBe("function");
    const own = Object.keys(client).filter((key) => !ids.includes(key));
    expect(own.sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE", "eject", "request", "use"]);
  });

  it.each(entries)("%s sends what the call by path sends", async (key, { operationId }) => {
    const [method, path] = key.split(" ") as [string, string];
    // A value for every path parameter but the project, one query parameter, one header, and a body where one is sent.
    const pathParams = Object.fromEntries(
      [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, `${name}-1`]).filter(([name]) => name !== "project_id"),
    );
    const params = { path: pathParams, query: { limit: 5 }, header: { "X-Trace": "t-1" } };
    const body = method === "POST" || method === "PUT" ? { any: ["thing"] } : undefined;
    const { sent, fetch } = recorder();
    const client = create({ endpoint: "https://api.example", projectId: PROJECT, auth: staticTokenAuth("t"), fetch, retry: false });

    await (client as unknown as LoosePaths)[method]!(path, { params, ...(body && { body }) });
    await (client as unknown as Loose)[operationId]!({ ...params, ...(body && { body }) });

    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[1]!.method).toBe(method);
    const url = new URL(sent[1]!.url);
    expect(url.pathname).toBe(path.replace(/\{(\w+)\}/g, (_, name: string) => (name === "project_id" ? PROJECT : `${name}-1`)));
    expect(url.searchParams.get("limit")).toBe("5");
    expect(sent[1]!.headers["x-trace"]).toBe("t-1");
    expect(sent[1]!.body).toBe(body ? JSON.stringify(body) : "");
  });
});

describe("results and errors of calls by name", () => {
  const notFound = () =>
    Response.json(
      { error_code: "BackupService.6105", error_msg: "The vault does not exist." },
      { status: 404, headers: { "X-Request-Id": "req-7" } },
    );

  it("resolve to the data, with nothing to pass when the operation needs nothing", async () => {
    const { sent, fetch } = recorder(() => Response.json({ vaults: [], count: 0 }));
    const cbr = createCbrClient({ endpoint: "https://api.example", projectId: PROJECT, auth: staticTokenAuth("t"), fetch });
    expect(unwrap(await cbr.listVault())).toEqual({ vaults: [], count: 0 });
    expect(sent[0]!.url).toBe(`https://api.example/v3/${PROJECT}/vaults`);
    const { data } = await cbr.listVault({ parseAs: "text" });
    expect(data).toBe(JSON.stringify({ vaults: [], count: 0 }));
  });

  it("keep an error answer as { error } with its OtcApiError for unwrap, naming the operation", async () => {
    const { fetch } = recorder(notFound);
    const cbr = createCbrClient({ endpoint: "https://api.example", projectId: PROJECT, auth: staticTokenAuth("t"), fetch });
    const result = await cbr.showVault({ path: { vault_id: "v-1" } });
    expect(result.error).toEqual({ error_code: "BackupService.6105", error_msg: "The vault does not exist." });
    expect(() => unwrap(result)).toThrow(OtcApiError);
    expect(() => unwrap(result)).toThrow(
      expect.objectContaining({ operationId: "showVault", status: 404, code: "BackupService.6105", requestId: "req-7", method: "GET" }),
    );
  });

  it("throw with throwOnError, per call or from the client, as calls by path do", async () => {
    const { fetch } = recorder(notFound);
    const cbr = createCbrClient({ endpoint: "https://api.example", projectId: PROJECT, auth: staticTokenAuth("t"), fetch });
    await expect(cbr.showVault({ path: { vault_id: "v-1" }, throwOnError: true })).rejects.toMatchObject({
      name: "OtcApiError",
      operationId: "showVault",
      status: 404,
    });
    const throwing = createCbrClient({
      endpoint: "https://api.example",
      projectId: PROJECT,
      auth: staticTokenAuth("t"),
      fetch,
      throwOnError: true,
    });
    await expect(throwing.deleteVault({ path: { vault_id: "v-1" } })).rejects.toMatchObject({
      operationId: "deleteVault",
      method: "DELETE",
    });
    await expect(throwing.showVault({ path: { vault_id: "v-1" }, throwOnError: false })).resolves.toHaveProperty("error");
  });

  it("refuse another project and unsafe path values before sending", async () => {
    const { sent, fetch } = recorder();
    const vbs = createVbsClient({ endpoint: "https://api.example", projectId: PROJECT, auth: staticTokenAuth("t"), fetch });
    await expect(vbs.showJob({ path: { job_id: "j", project_id: "other" } as { job_id: string } })).rejects.toThrow(
      /project_id is set by the client/,
    );
    await expect(vbs.showJob({ path: { job_id: ".." } })).rejects.toThrow(/job_id/);
    expect(sent).toEqual([]);
  });

  it("follow the caller's signal", async () => {
    const { fetch } = recorder();
    const cbr = createCbrClient({ endpoint: "https://api.example", projectId: PROJECT, auth: staticTokenAuth("t"), fetch });
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(cbr.listVault({ signal: controller.signal })).rejects.toThrow("stop");
  });
});

describe("operationIds that cannot be calls by name fail generation", () => {
  it("accepts both specs' operationIds", () => {
    expect(() => checkOperationNames("cbr", cbrOperations)).not.toThrow();
    expect(() => checkOperationNames("vbs", vbsOperations)).not.toThrow();
  });

  it("reserves every member a client has besides its calls by name", () => {
    const client = createCbrClient({ region: "eu-de", projectId: PROJECT, auth: staticTokenAuth("t") });
    const ids = new Set(Object.values(cbrOperations).map((op) => op.operationId as string));
    for (const key of Object.keys(client).filter((k) => !ids.has(k))) expect(RESERVED_NAMES.has(key), key).toBe(true);
    for (const name of ["then", "toString", "constructor", "hasOwnProperty", "__proto__"])
      expect(RESERVED_NAMES.has(name), name).toBe(true);
  });

  it.each([
    ["GET", /"GET" collides with the client's own member/],
    ["use", /"use" collides/],
    ["request", /"request" collides/],
    ["then", /"then" collides/],
    ["toString", /"toString" collides/],
    ["list-vaults", /"list-vaults" is not a JavaScript identifier/],
  ])("refuses %j", (operationId, message) => {
    const table = { "GET /v3/{project_id}/vaults": { operationId: "listVault" }, "POST /v3/{project_id}/vaults": { operationId } };
    expect(() => checkOperationNames("cbr", table)).toThrow(message);
  });

  it("refuses an operationId used twice, naming both operations", () => {
    const table = { "GET /a": { operationId: "listA" }, "GET /b": { operationId: "listA" } };
    expect(() => checkOperationNames("vbs", table)).toThrow(/vbs GET \/b: operationId "listA" is also the one of GET \/a/);
  });
});
