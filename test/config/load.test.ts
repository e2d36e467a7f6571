// clouds.yaml / secure.yaml loading through the Node entry, on fixture files.
import { inspect } from "node:util";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, loadAuth, loadClientOptions, loadCloudConfig } from "../../src/node.js";

const fixtures = (name: string) => fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));
const basic = { searchDirs: [fixtures("basic")], env: {} };
const SECRETS = [
  "secure-yaml-password-DoNotLeak",
  "cloud-level-secret-key-DoNotLeak",
  "agency-base-password-DoNotLeak",
  "MIIstatic-token-DoNotLeak",
  "inside-auth-secret-DoNotLeak",
  "inside-auth-security-token-DoNotLeak",
  "broken-yaml-password-DoNotLeak",
];

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const text = `${String(error)} ${JSON.stringify(error)} ${inspect(error)}`;
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("loadCloudConfig: clouds.yaml + secure.yaml", () => {
  it("selects OS_CLOUD, merges secure.yaml, fills {region_name}", () => {
    const config = loadCloudConfig({ ...basic, env: { OS_CLOUD: "otc" } });
    expect(config).toMatchObject({
      origin: { kind: "file", file: `${fixtures("basic")}/clouds.yaml`, cloud: "otc" },
      authUrl: "https://iam.eu-de.otc.t-systems.com:443/v3",
      region: "eu-de",
      username: "alice",
      password: "secure-yaml-password-DoNotLeak",
      userDomainName: "OTC00000000001000000001",
      projectName: "eu-de_backup",
      endpoints: { cbr: "https://cbr.example.test/v3/%(project_id)s" },
    });
  });

  it("hides secrets from JSON.stringify and util.inspect", () => {
    const config = loadCloudConfig({ ...basic, cloud: "otc" });
    const text = JSON.stringify(config) + inspect(config, { depth: 5 });
    expect(text).not.toContain("secure-yaml-password-DoNotLeak");
    expect(text).toContain("[redacted]");
    expect(text).toContain("alice");
  });

  it("reads AK/SK at cloud level and digit-only ids as strings", () => {
    expect(loadCloudConfig({ ...basic, cloud: "otc-aksk" })).toMatchObject({
      accessKey: "AKCLOUDLEVEL0000001",
      secretKey: "cloud-level-secret-key-DoNotLeak",
      projectId: "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0",
      region: "eu-nl",
    });
    expect(loadCloudConfig({ ...basic, cloud: "otc-token" }).projectId).toBe("12345678");
  });

  it("uses the only cloud of a file (clouds.yml), with AK/SK inside auth and the region from the project name", () => {
    const config = loadCloudConfig({ searchDirs: [fixtures("single")], env: {} });
    expect(config).toMatchObject({
      accessKey: "AKINSIDEAUTH0000001",
      securityToken: "inside-auth-security-token-DoNotLeak",
      region: "eu-nl",
    });
    expect(loadAuth({ searchDirs: [fixtures("single")], env: {} }).type).toBe("aksk-temporary");
  });

  it("searches cwd, then ~/.config/openstack; reads clouds.json", () => {
    const home = loadCloudConfig({ cwd: fixtures("empty"), home: fixtures("home"), env: {} });
    expect(home.origin).toMatchObject({ cloud: "home-cloud" });
    const first = loadCloudConfig({ cwd: fixtures("json"), home: fixtures("home"), env: {} });
    expect(first.origin).toMatchObject({ cloud: "from-json" });
    const order = loadCloudConfig({ searchDirs: [fixtures("empty"), fixtures("json"), fixtures("basic")], env: { OS_CLOUD: "from-json" } });
    expect(order.origin).toMatchObject({ file: `${fixtures("json")}/clouds.json` });
  });

  it("honours OS_CLIENT_CONFIG_FILE and OS_CLIENT_SECURE_FILE", () => {
    const config = loadCloudConfig({
      searchDirs: [fixtures("empty")],
      env: {
        OS_CLOUD: "otc",
        OS_CLIENT_CONFIG_FILE: `${fixtures("basic")}/clouds.yaml`,
        OS_CLIENT_SECURE_FILE: `${fixtures("basic")}/secure.yaml`,
      },
    });
    expect(config.password).toBe("secure-yaml-password-DoNotLeak");
    const e = configError(() =>
      loadCloudConfig({ searchDirs: [fixtures("empty")], env: { OS_CLIENT_CONFIG_FILE: "/nonexistent/clouds.yaml" } }),
    );
    expect(e.key).toBe("OS_CLIENT_CONFIG_FILE");
    expect(e.message).toContain("ENOENT");
  });

  it("names an unknown cloud and lists the known ones", () => {
    const e = configError(() => loadCloudConfig({ ...basic, env: { OS_CLOUD: "nope" } }));
    expect(e.key).toBe("OS_CLOUD");
    expect(e.message).toContain('"nope"');
    expect(e.message).toContain("otc, otc-aksk, otc-agency");
  });

  it("asks for OS_CLOUD when a file has several clouds", () => {
    const e = configError(() => loadCloudConfig(basic));
    expect(e.key).toBe("OS_CLOUD");
    expect(e.message).toMatch(/several clouds/);
  });

  it("says where it looked when nothing is configured", () => {
    const e = configError(() => loadCloudConfig({ searchDirs: [fixtures("empty")], env: {} }));
    expect(e.message).toContain(fixtures("empty"));
    expect(e.message).toContain("OS_ACCESS_KEY");
  });

  it("reports invalid YAML by position, never by quoting the line", () => {
    const e = configError(() => loadCloudConfig({ searchDirs: [fixtures("broken")], env: {} }));
    expect(e.message).toMatch(/not valid YAML .*line \d+/);
  });

  it("prefers the OS_* variables over a lone cloud when OS_CLOUD is not set", () => {
    const config = loadCloudConfig({ searchDirs: [fixtures("single")], env: { OS_AUTH_TOKEN: "env-token", OS_PROJECT_ID: "p" } });
    expect(config.origin.kind).toBe("env");
  });
});

describe("loadAuth / loadClientOptions: building strategies from files", () => {
  it("builds each kind of strategy", () => {
    expect(loadAuth({ ...basic, cloud: "otc" }).type).toBe("password");
    expect(loadAuth({ ...basic, cloud: "otc-aksk" }).type).toBe("aksk");
    expect(loadAuth({ ...basic, cloud: "otc-agency" }).type).toBe("agency");
    expect(loadAuth({ ...basic, cloud: "otc-token" }).type).toBe("token");
  });

  it("names the missing key in the file's vocabulary", () => {
    const e = configError(() => loadAuth({ ...basic, cloud: "otc-nopassword" }));
    expect(e.key).toBe("clouds.otc-nopassword.auth.password");
    expect(e.source).toBe(`${fixtures("basic")}/clouds.yaml`);
    expect(e.message).toContain("missing clouds.otc-nopassword.auth.password");
  });

  it("needs no IAM call when project and endpoint are configured (endpoint override wins)", async () => {
    const options = await loadClientOptions("cbr", { ...basic, cloud: "otc-token" });
    expect(options).toMatchObject({ projectId: "12345678", endpoint: "https://cbr.eu-de.otc.t-systems.com" });
    const aksk = await loadClientOptions("vbs", { ...basic, cloud: "otc-aksk" });
    expect(aksk).toMatchObject({ projectId: "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0", endpoint: "https://vbs.eu-nl.otc.t-systems.com" });
    expect(JSON.stringify(aksk) + inspect(aksk, { depth: 5 })).not.toContain("cloud-level-secret-key-DoNotLeak");
  });

  it("rejects (not throws) for configuration errors", async () => {
    await expect(loadClientOptions("cbr", { ...basic, cloud: "otc-nopassword" })).rejects.toBeInstanceOf(ConfigError);
  });
});
