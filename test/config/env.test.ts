// The OS_* environment variables, and end to end from the environment to a
// working client against a loopback IAM.
import { inspect } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authFromCloudConfig, clientOptionsFromCloudConfig, cloudConfigFromEnv, ConfigError, createCbrClient } from "../../src/index.js";
import { loadClientOptions } from "../../src/node.js";
import { DOMAIN, PASSWORD, PROJECT_ID, USER, useFakeIam } from "../support/fake-iam.js";

const noFiles = { searchDirs: [fileURLToPath(new URL("../fixtures/config/empty", import.meta.url))] };

const iam = useFakeIam();

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("cloudConfigFromEnv", () => {
  it("maps the OS_* names and their aliases, first one winning", () => {
    const config = cloudConfigFromEnv({
      OS_AUTH_URL: "https://iam.eu-nl.otc.t-systems.com/v3",
      OS_USERID: "uid",
      OS_PASSWORD: "pw-DoNotLeak",
      OS_DOMAIN_NAME: "OTC-ACCOUNT",
      OS_TENANT_NAME: "eu-nl_sub",
      OS_ACCESS_KEY_ID: "AK2",
      OS_AK: "AK3",
      OS_SK: "sk-DoNotLeak",
      OS_ST: "st-DoNotLeak",
      OS_AUTH_TOKEN: "tok-DoNotLeak",
      OS_CBR_ENDPOINT_OVERRIDE: "https://cbr.example",
      OS_VOLUME_BACKUP_ENDPOINT_OVERRIDE: "https://vbs.example/v2/%(project_id)s",
    });
    expect(config).toMatchObject({
      origin: { kind: "env" },
      authUrl: "https://iam.eu-nl.otc.t-systems.com/v3",
      userId: "uid",
      password: "pw-DoNotLeak",
      userDomainName: "OTC-ACCOUNT",
      projectName: "eu-nl_sub",
      region: "eu-nl",
      accessKey: "AK2",
      secretKey: "sk-DoNotLeak",
      securityToken: "st-DoNotLeak",
      token: "tok-DoNotLeak",
      endpoints: { cbr: "https://cbr.example", vbs: "https://vbs.example/v2/%(project_id)s" },
    });
    expect(JSON.stringify(config) + inspect(config)).not.toMatch(/DoNotLeak/);
  });

  it("derives the region from the IAM host when nothing else names it", () => {
    expect(cloudConfigFromEnv({ OS_AUTH_URL: "https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3" }).region).toBe("eu-ch2");
    expect(cloudConfigFromEnv({ OS_REGION_NAME: "eu-de", OS_PROJECT_NAME: "eu-nl" }).region).toBe("eu-de");
  });

  it("infers the strategy: AK/SK, then token, then password; agency wraps it", () => {
    expect(authFromCloudConfig(cloudConfigFromEnv({ OS_ACCESS_KEY: "AK", OS_SECRET_KEY: "SK", OS_TOKEN: "t" })).type).toBe("aksk");
    expect(authFromCloudConfig(cloudConfigFromEnv({ OS_TOKEN: "t", OS_PASSWORD: "p" })).type).toBe("token");
    expect(
      authFromCloudConfig(
        cloudConfigFromEnv({
          OS_AUTH_TYPE: "password",
          OS_ACCESS_KEY: "AK",
          OS_USERNAME: "u",
          OS_PASSWORD: "p",
          OS_USER_DOMAIN_NAME: "d",
          OS_REGION_NAME: "eu-de",
        }),
      ).type,
    ).toBe("password");
    const agency = cloudConfigFromEnv({
      OS_ACCESS_KEY: "AK",
      OS_SECRET_KEY: "SK",
      OS_AGENCY_NAME: "ops",
      OS_TARGET_DOMAIN_NAME: "OTC-TARGET",
      OS_DELEGATED_PROJECT: "eu-de_target",
    });
    expect(authFromCloudConfig(agency).type).toBe("agency");
  });

  it("names the missing variable, never a value", () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ OS_ACCESS_KEY: "AK" }, "OS_SECRET_KEY"],
      [{ OS_USERNAME: "u", OS_AUTH_URL: "https://iam.eu-de.otc.t-systems.com/v3", OS_USER_DOMAIN_NAME: "d" }, "OS_PASSWORD"],
      [{ OS_PASSWORD: "pw-DoNotLeak", OS_REGION_NAME: "eu-de" }, "OS_USERNAME"],
      [{ OS_USERNAME: "u", OS_PASSWORD: "pw-DoNotLeak", OS_REGION_NAME: "eu-de" }, "OS_USER_DOMAIN_NAME"],
      [{ OS_USERNAME: "u", OS_PASSWORD: "pw-DoNotLeak", OS_USER_DOMAIN_NAME: "d" }, "OS_AUTH_URL"],
      [{ OS_AUTH_TYPE: "agency", OS_TOKEN: "tok-DoNotLeak", OS_REGION_NAME: "eu-de" }, "OS_AGENCY_NAME"],
      [{ OS_AGENCY_NAME: "ops", OS_TOKEN: "tok-DoNotLeak", OS_REGION_NAME: "eu-de" }, "OS_AGENCY_DOMAIN_NAME"],
      [{ OS_AUTH_TYPE: "kerberos" }, "OS_AUTH_TYPE"],
    ];
    for (const [env, key] of cases) {
      const e = thrown(() => authFromCloudConfig(cloudConfigFromEnv(env)));
      expect(e.key).toBe(key);
      expect(e.source).toBe("environment");
      expect(`${e.message} ${JSON.stringify(e)} ${inspect(e)}`).not.toMatch(/DoNotLeak/);
    }
  });

  it("a static token needs OS_PROJECT_ID and a region or endpoint", async () => {
    await expect(clientOptionsFromCloudConfig(cloudConfigFromEnv({ OS_TOKEN: "t", OS_REGION_NAME: "eu-de" }), "cbr")).rejects.toMatchObject(
      { key: "OS_PROJECT_ID" },
    );
    await expect(clientOptionsFromCloudConfig(cloudConfigFromEnv({ OS_TOKEN: "t", OS_PROJECT_ID: "p" }), "cbr")).rejects.toMatchObject({
      key: "OS_REGION_NAME",
    });
    const ok = await clientOptionsFromCloudConfig(
      cloudConfigFromEnv({ OS_TOKEN: "t", OS_PROJECT_ID: "p", OS_CBR_ENDPOINT_OVERRIDE: "http://127.0.0.1:1" }),
      "cbr",
    );
    expect(ok).toMatchObject({ projectId: "p", endpoint: "http://127.0.0.1:1" });
  });
});

describe("from the environment to a working client", () => {
  const env = () => ({
    OS_AUTH_URL: iam().authUrl,
    OS_USERNAME: USER,
    OS_PASSWORD: PASSWORD,
    OS_USER_DOMAIN_NAME: DOMAIN,
    OS_PROJECT_NAME: "eu-de_backup",
  });

  it("takes project and endpoint from the token's catalog", async () => {
    const options = await loadClientOptions("cbr", { ...noFiles, env: env() });
    expect(options.projectId).toBe(PROJECT_ID);
    expect(options.endpoint).toBe(iam().origin);
    const { response } = await createCbrClient({ ...options, retry: false }).GET("/v3/{project_id}/vaults");
    expect(response.status).toBe(200);
    expect(iam().tokenRequests).toHaveLength(1); // discovery's token is the one the calls use
  });

  it("an endpoint override wins over the catalog", async () => {
    const options = await loadClientOptions("cbr", {
      ...noFiles,
      env: { ...env(), OS_CBR_ENDPOINT_OVERRIDE: "https://cbr.example.test/v3/%(project_id)s" },
    });
    expect(options.endpoint).toBe("https://cbr.example.test/v3/%(project_id)s");
    expect(createCbrClient(options)).toBeTruthy(); // the client strips the version/project tail
  });

  it("wrong credentials fail while loading, with IAM's answer and without the password", async () => {
    const error = await loadClientOptions("cbr", { ...noFiles, env: { ...env(), OS_PASSWORD: "wrong-DoNotLeak" } }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "AuthenticationError", status: 401 });
    expect(`${String(error)} ${JSON.stringify(error)} ${inspect(error)}`).not.toMatch(/DoNotLeak/);
  });
});
