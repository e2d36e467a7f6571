// Endpoint resolution from IAM catalogs and clientOptionsFromCatalog's order:
// explicit endpoint, then catalog, then the region table.
import { describe, expect, it } from "vitest";
import { akskAuth, clientOptionsFromCatalog, staticTokenAuth, type AuthStrategy } from "../../src/index.js";
import { endpointFromCatalog, type CatalogService } from "../../src/advanced.js";
import { localExpiry, parseUtc } from "../../src/auth/iam.js";
import { renewable } from "../../src/auth/renewable.js";
import { PROJECT_ID as PID } from "../support/constants.js";

const entry = (type: string, region: string, url: string, iface = "public"): CatalogService => ({
  type,
  endpoints: [{ interface: iface, region, url }],
});

describe("endpointFromCatalog", () => {
  it("takes CBR's public endpoint in the region, origin only", () => {
    const catalog = [
      entry("cbr", "eu-nl", "https://cbr.eu-nl.otc.t-systems.com/v3/$(tenant_id)s"),
      entry("cbr", "eu-de", "https://cbr-internal.example/v3/x", "internal"),
      entry("cbr", "eu-de", `https://cbr.eu-de.otc.t-systems.com/v3/${PID}`),
    ];
    expect(endpointFromCatalog(catalog, "cbr", { region: "eu-de", projectId: PID })).toBe("https://cbr.eu-de.otc.t-systems.com");
    expect(endpointFromCatalog(catalog, "cbr", { region: "eu-nl", projectId: PID })).toBe("https://cbr.eu-nl.otc.t-systems.com");
    expect(endpointFromCatalog(catalog, "cbr", { region: "eu-ch2" })).toBeUndefined();
    expect(endpointFromCatalog(catalog, "vbs", { region: "eu-de" })).toBeUndefined();
  });

  it("prefers vbsv2, then vbs, then volume-backup for VBS", () => {
    const catalog = [
      entry("volume-backup", "eu-de", "https://vb.example/v2/"),
      entry("vbs", "eu-de", "https://vbs-plain.example/v2/%(project_id)s"),
      entry("vbsv2", "eu-de", "https://vbs.eu-de.otc.t-systems.com/v2/$(tenant_id)s"),
    ];
    expect(endpointFromCatalog(catalog, "vbs", { region: "eu-de", projectId: PID })).toBe("https://vbs.eu-de.otc.t-systems.com");
    expect(endpointFromCatalog(catalog.slice(0, 2), "vbs", { region: "eu-de" })).toBe("https://vbs-plain.example");
    expect(endpointFromCatalog(catalog.slice(0, 1), "vbs", { region: "eu-de" })).toBe("https://vb.example");
  });

  it("derives VBS from the EVS (volumev2) endpoint as gophertelekomcloud does", () => {
    const catalog = [entry("volumev2", "eu-nl", `https://evs.eu-nl.otc.t-systems.com/v2/${PID}`)];
    expect(endpointFromCatalog(catalog, "vbs", { region: "eu-nl" })).toBe("https://vbs.eu-nl.otc.t-systems.com");
  });

  it("keeps a path prefix and region_id matches", () => {
    const catalog: CatalogService[] = [
      { type: "cbr", endpoints: [{ interface: "public", region_id: "eu-de", url: "https://proxy.example/cbr/v3/{project_id}" }] },
    ];
    expect(endpointFromCatalog(catalog, "cbr", { region: "eu-de" })).toBe("https://proxy.example/cbr");
  });

  it("ignores malformed catalogs", () => {
    expect(endpointFromCatalog(undefined, "cbr")).toBeUndefined();
    expect(endpointFromCatalog([{ type: "cbr", endpoints: [{ url: "not a url" }] }], "cbr")).toBeUndefined();
    expect(endpointFromCatalog([{ type: "cbr" } as never], "cbr")).toBeUndefined();
  });
});

describe("clientOptionsFromCatalog", () => {
  const discovering = (found: Awaited<ReturnType<NonNullable<AuthStrategy["discover"]>>>): AuthStrategy => ({
    type: "test",
    authenticate: async (r) => r,
    discover: async () => found,
  });

  it("uses the catalog, then the region table; an explicit endpoint always wins", async () => {
    const auth = discovering({ projectId: PID, region: "eu-de", endpoints: { cbr: "https://from-catalog.example" } });
    expect(await clientOptionsFromCatalog(auth, { service: "cbr" })).toEqual({
      auth,
      projectId: PID,
      endpoint: "https://from-catalog.example",
    });
    expect((await clientOptionsFromCatalog(auth, { service: "vbs" })).endpoint).toBe("https://vbs.eu-de.otc.t-systems.com");
    expect((await clientOptionsFromCatalog(auth, { service: "cbr", endpoint: "http://127.0.0.1:4010" })).endpoint).toBe(
      "http://127.0.0.1:4010",
    );
  });

  it("works for AK/SK with a configured project and region", async () => {
    const auth = akskAuth({ accessKey: "AK", secretKey: "SK", projectId: PID, region: "eu-nl" });
    expect(await clientOptionsFromCatalog(auth, { service: "cbr" })).toMatchObject({
      projectId: PID,
      endpoint: "https://cbr.eu-nl.otc.t-systems.com",
    });
  });

  it("says what is missing when nothing names a project or region", async () => {
    await expect(clientOptionsFromCatalog(staticTokenAuth("t"), { service: "cbr", region: "eu-de" })).rejects.toThrow(/projectId/);
    await expect(clientOptionsFromCatalog(staticTokenAuth("t"), { service: "cbr", projectId: PID })).rejects.toThrow(/region/);
    await expect(
      clientOptionsFromCatalog(discovering({ projectId: PID, region: "eu-ch2", endpoints: {} }), { service: "cbr" }),
    ).rejects.toThrow(/no known endpoint/);
  });
});

describe("token expiry", () => {
  it("counts IAM's lifetime from the local clock", () => {
    expect(localExpiry("2015-11-09T01:42:57.527363Z", "2015-11-08T01:42:57.527363Z", 1_000)).toBe(1_000 + 24 * 3600_000);
    expect(localExpiry("2015-11-09T01:42:57.527000Z", undefined, 0)).toBe(Date.UTC(2015, 10, 9, 1, 42, 57, 527));
    expect(localExpiry(undefined, undefined, 0)).toBe(3600_000);
  });

  it("reads zoneless IAM timestamps as UTC", () => {
    expect(parseUtc("2016-11-06T15:32:17.000000")).toBe(Date.UTC(2016, 10, 6, 15, 32, 17));
  });

  it("caps the margin at half the lifetime so short-lived values are not renewed on every call", async () => {
    let t = 0;
    let n = 0;
    const r = renewable(async () => ({ value: ++n, expiresAt: t + 60_000 }), { marginMs: 5 * 60_000, now: () => t });
    expect(await r.get()).toBe(1);
    t = 29_000;
    expect(await r.get()).toBe(1);
    t = 31_000;
    expect(await r.get()).toBe(2);
  });
});

describe("IAM URLs", () => {
  it("derives IAM from the region and normalises an explicit authUrl", async () => {
    const { authUrlForRegion } = await import("../../src/advanced.js");
    const { resolveAuthUrl } = await import("../../src/auth/iam.js");
    expect(authUrlForRegion("eu-de")).toBe("https://iam.eu-de.otc.t-systems.com/v3");
    expect(authUrlForRegion("eu-ch2")).toBe("https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3");
    expect(resolveAuthUrl("t", "https://iam.eu-de.otc.t-systems.com:443/v3/", undefined)).toBe("https://iam.eu-de.otc.t-systems.com/v3");
    expect(resolveAuthUrl("t", "https://iam.eu-nl.otc.t-systems.com", undefined)).toBe("https://iam.eu-nl.otc.t-systems.com/v3");
    expect(() => resolveAuthUrl("t", "ftp://x/v3", undefined)).toThrow(/https/);
    expect(() => authUrlForRegion("EU DE")).toThrow(/region/);
  });
});
