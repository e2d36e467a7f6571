// Credentials travel over https only: `http://` is accepted for endpoints, IAM URLs and catalog
// URLs on this machine (localhost, 127.0.0.0/8, ::1: mocks and tests) and elsewhere only with
// the explicit `allowInsecureHttp: true`. Other schemes get a message that says what is accepted.
import { describe, expect, it } from "vitest";
import {
  agencyAuth,
  akskAuth,
  authFromCloudConfig,
  clientOptionsFromCatalog,
  clientOptionsFromCloudConfig,
  cloudConfigFromEnv,
  createCbrClient,
  createVbsClient,
  passwordAuth,
  staticTokenAuth,
  temporaryCredentialsAuth,
} from "../../src/index.js";
import { endpointFromCatalog, type CatalogService } from "../../src/advanced.js";
import { isLoopbackHost } from "../../src/endpoints.js";
import { DOMAIN, PASSWORD, PROJECT_ID, USER } from "../support/fake-iam.js";

const auth = staticTokenAuth("MIItoken");
const client = (endpoint: string, allowInsecureHttp?: boolean) =>
  createCbrClient({ endpoint, projectId: PROJECT_ID, auth, ...(allowInsecureHttp === undefined ? {} : { allowInsecureHttp }) });

describe("service endpoints", () => {
  it("https anywhere, http on this machine", () => {
    for (const endpoint of [
      "https://cbr.eu-de.otc.t-systems.com",
      "http://localhost:4010",
      "http://127.0.0.1:4010",
      "http://127.9.8.7",
      "http://[::1]:4010",
      "http://LOCALHOST:4010",
    ]) {
      expect(() => client(endpoint), endpoint).not.toThrow();
    }
  });

  it("http to any other host only with allowInsecureHttp", () => {
    for (const endpoint of [
      "http://cbr.eu-de.otc.t-systems.com",
      "http://10.0.0.1:8080",
      "http://128.0.0.1",
      "http://localhost.evil.example",
      "http://[::2]",
    ]) {
      expect(() => client(endpoint), endpoint).toThrow(
        /endpoint uses http:\/\/ for .*, which is not this machine.*allowInsecureHttp: true/,
      );
      expect(() => client(endpoint, true), endpoint).not.toThrow();
    }
    expect(() => createVbsClient({ endpoint: "http://vbs.example", projectId: PROJECT_ID, auth })).toThrow(/allowInsecureHttp/);
  });

  it("other schemes: a message that says what is accepted", () => {
    for (const [endpoint, scheme] of [
      ["ftp://cbr.example", "ftp:"],
      ["ws://localhost:1", "ws:"],
      ["file:///etc/passwd", "file:"],
      ["javascript:alert(1)", "javascript:"],
    ] as const) {
      expect(() => client(endpoint, true)).toThrow(`endpoint must be an https:// URL (or http:// to localhost), not ${scheme}`);
    }
    expect(() => client("cbr.example")).toThrow("endpoint is not an absolute URL");
  });

  it("no user info: it would be a credential sent to wherever the URL points", () => {
    expect(() => client("https://user:pa55@cbr.example")).toThrow("endpoint must not carry a user name or password");
    // The message never quotes the URL.
    expect(() => client("https://user:pa55@cbr.example")).not.toThrow(/pa55/);
  });

  it("loopback means localhost, 127.0.0.0/8 and ::1 only", () => {
    expect(["localhost", "127.0.0.1", "127.255.255.254", "[::1]"].every(isLoopbackHost)).toBe(true);
    expect(["localhost.example", "127.0.0.1.example", "0.0.0.0", "[::ffff:7f00:1]", "10.0.0.1"].some(isLoopbackHost)).toBe(false);
  });
});

describe("IAM URLs", () => {
  const remote = "http://iam.eu-de.otc.t-systems.com/v3";
  const strategies: Array<[string, (authUrl: string, allowInsecureHttp?: boolean) => unknown]> = [
    [
      "passwordAuth",
      (authUrl, allow) =>
        passwordAuth({ authUrl, user: USER, password: PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID, allowInsecureHttp: allow }),
    ],
    [
      "agencyAuth",
      (authUrl, allow) =>
        agencyAuth({ auth, authUrl, domainName: DOMAIN, agencyName: "ops", projectId: PROJECT_ID, allowInsecureHttp: allow }),
    ],
    ["temporaryCredentialsAuth", (authUrl, allow) => temporaryCredentialsAuth({ auth, authUrl, allowInsecureHttp: allow })],
    [
      "akskAuth",
      (authUrl, allow) => akskAuth({ accessKey: "AK", secretKey: "SK", projectName: "eu-de", authUrl, allowInsecureHttp: allow }),
    ],
  ];

  it.each(strategies)("%s: http only on this machine or with allowInsecureHttp; accurate messages", (name, build) => {
    expect(() => build(remote)).toThrow(
      new RegExp(`^${name}: authUrl uses http:// for iam.eu-de.otc.t-systems.com, which is not this machine`),
    );
    expect(() => build(remote, true)).not.toThrow();
    expect(() => build("http://127.0.0.1:5000/v3")).not.toThrow();
    expect(() => build("ftp://iam.example/v3")).toThrow(`${name}: authUrl must be an https:// URL (or http:// to localhost), not ftp:`);
  });

  it("from OS_* variables or clouds.yaml: the same rule, and the opt-in is passed on", async () => {
    const config = cloudConfigFromEnv({
      OS_AUTH_URL: remote,
      OS_USERNAME: USER,
      OS_PASSWORD: PASSWORD,
      OS_USER_DOMAIN_NAME: DOMAIN,
      OS_PROJECT_ID: PROJECT_ID,
    });
    expect(() => authFromCloudConfig(config)).toThrow(/authUrl uses http:\/\//);
    expect(() => authFromCloudConfig(config, { allowInsecureHttp: true })).not.toThrow();

    const token = cloudConfigFromEnv({
      OS_TOKEN: "MIItoken",
      OS_PROJECT_ID: PROJECT_ID,
      OS_CBR_ENDPOINT_OVERRIDE: "http://cbr.internal.example",
    });
    const options = await clientOptionsFromCloudConfig(token, "cbr", { allowInsecureHttp: true });
    expect(options.allowInsecureHttp).toBe(true);
    expect(() => createCbrClient(options)).not.toThrow();
    const refused = await clientOptionsFromCloudConfig(token, "cbr");
    expect(() => createCbrClient(refused)).toThrow(/allowInsecureHttp/);
  });
});

describe("catalog URLs", () => {
  const catalog: CatalogService[] = [
    { type: "cbr", endpoints: [{ interface: "public", region: "eu-de", url: `http://cbr.eu-de.example/v3/${PROJECT_ID}` }] },
  ];

  it("an http catalog entry on another host is not used (the region table is), unless allowed", async () => {
    expect(endpointFromCatalog(catalog, "cbr", { region: "eu-de" })).toBeUndefined();
    expect(endpointFromCatalog(catalog, "cbr", { region: "eu-de", allowInsecureHttp: true })).toBe("http://cbr.eu-de.example");
    const loopback: CatalogService[] = [{ type: "cbr", endpoints: [{ region: "eu-de", url: "http://127.0.0.1:9000/v3/x" }] }];
    expect(endpointFromCatalog(loopback, "cbr", { region: "eu-de" })).toBe("http://127.0.0.1:9000");

    // A token whose catalog names an http host: discovery falls back to the region table.
    const fetch = async () =>
      Response.json(
        { token: { expires_at: "2099-01-01T00:00:00Z", project: { id: PROJECT_ID, name: "eu-de" }, catalog } },
        { status: 201, headers: { "X-Subject-Token": "MIIfromIAM" } },
      );
    const password = (allowInsecureHttp?: boolean) =>
      passwordAuth({
        authUrl: "https://iam.eu-de.otc.t-systems.com/v3",
        user: USER,
        password: PASSWORD,
        domainName: DOMAIN,
        projectId: PROJECT_ID,
        fetch,
        allowInsecureHttp,
      });
    expect((await clientOptionsFromCatalog(password(), { service: "cbr" })).endpoint).toBe("https://cbr.eu-de.otc.t-systems.com");
    expect((await clientOptionsFromCatalog(password(true), { service: "cbr" })).endpoint).toBe("http://cbr.eu-de.example");
  });
});
