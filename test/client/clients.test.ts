// The client factories: validation at construction, endpoint resolution, project scoping and
// safe path serialization. A recording fetch stands in for the network.
import { describe, expect, it } from "vitest";
import { createCbrClient, createVbsClient, staticTokenAuth } from "../../src/index.js";

const PROJECT = "0a1b2c3d4e5f";
const auth = staticTokenAuth("tok-123");

function recorder() {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return new Response(JSON.stringify({ count: 0 }), { status: 200, headers: { "Content-Type": "application/json" } });
  };
  return { requests, fetch };
}

describe("createVbsClient / createCbrClient", () => {
  it("maps a region to the service host and fills in project_id", async () => {
    const { requests, fetch } = recorder();
    const vbs = createVbsClient({ region: "eu-de", projectId: PROJECT, auth, fetch });
    await vbs.GET("/v2/{project_id}/os-vendor-backup-sharing/count");
    const cbr = createCbrClient({ region: "eu-nl", projectId: PROJECT, auth, fetch });
    await cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "v-1" } } });
    expect(requests.map((r) => r.url)).toEqual([
      `https://vbs.eu-de.otc.t-systems.com/v2/${PROJECT}/os-vendor-backup-sharing/count`,
      `https://cbr.eu-nl.otc.t-systems.com/v3/${PROJECT}/vaults/v-1`,
    ]);
    expect(requests[0]?.headers.get("X-Auth-Token")).toBe("tok-123");
  });

  it("lets an explicit endpoint win over the region and strips catalog suffixes", async () => {
    const { requests, fetch } = recorder();
    const cbr = createCbrClient({ region: "eu-de", endpoint: `https://proxy.example/cbr/v3/${PROJECT}/`, projectId: PROJECT, auth, fetch });
    await cbr.GET("/v3/{project_id}/vaults");
    expect(requests[0]?.url).toBe(`https://proxy.example/cbr/v3/${PROJECT}/vaults`);
  });

  it.each([
    [{ region: "ap-southeast-1" }, /no known endpoint for region "ap-southeast-1"/],
    [{ region: "EU DE" }, /not a region name/],
    [{}, /pass either `region`/],
    [{ endpoint: "ftp://x" }, /https/],
    [{ endpoint: "not a url" }, /absolute URL/],
  ])("refuses bad endpoint options %o", (endpointOptions, message) => {
    expect(() => createCbrClient({ ...endpointOptions, projectId: PROJECT, auth })).toThrow(message);
  });

  it.each([
    ["", /non-empty/],
    ["  ", /non-empty/],
    ["../x", /only letters/],
  ])("refuses project id %j", (projectId, message) => {
    expect(() => createVbsClient({ region: "eu-de", projectId, auth })).toThrow(message);
  });

  it("refuses a fetch option that is not a function, before anything is sent", () => {
    expect(() => createCbrClient({ region: "eu-de", projectId: PROJECT, auth, fetch: "https://proxy.example" as never })).toThrow(
      "cbr: `fetch` must be a function",
    );
  });

  it("refuses a missing auth strategy and an empty token", () => {
    expect(() => createVbsClient({ region: "eu-de", projectId: PROJECT, auth: undefined as never })).toThrow(/auth must be/);
    expect(() => staticTokenAuth("")).toThrow(/non-empty/);
  });

  it("refuses path values that would address another resource, and encodes the rest", async () => {
    const { requests, fetch } = recorder();
    const cbr = createCbrClient({ region: "eu-de", projectId: PROJECT, auth, fetch });
    for (const bad of ["", ".", ".."]) {
      await expect(cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: bad } } })).rejects.toThrow(/vault_id/);
    }
    await cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "a/../b?c#d%e" } } });
    expect(requests).toHaveLength(1);
    expect(new URL(requests[0]!.url).pathname).toBe(`/v3/${PROJECT}/vaults/a%2F..%2Fb%3Fc%23d%25e`);
  });

  it("refuses a call that names another project", async () => {
    const { fetch } = recorder();
    const cbr = createCbrClient({ region: "eu-de", projectId: PROJECT, auth, fetch });
    // The types do not offer project_id; a caller who forces it in is refused at run time.
    await expect(
      cbr.GET("/v3/{project_id}/vaults/{vault_id}", { params: { path: { vault_id: "v", project_id: "other" } as { vault_id: string } } }),
    ).rejects.toThrow(/project_id is set by the client/);
  });

  it("never shows the token when the strategy is serialized", () => {
    expect(JSON.stringify(auth)).not.toContain("tok-123");
    expect(String((auth as unknown as Record<symbol, () => string>)[Symbol.for("nodejs.util.inspect.custom")]!())).not.toContain("tok-123");
  });
});
