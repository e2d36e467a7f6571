// Configuration values are read exactly as written and checked before they are used: a
// credential YAML would read as something else than its text is refused (quote it), every other
// value keeps its text; values that end up in URLs cannot move the URL; files are capped in size.
// Every refusal names the key, never the value.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { cloudConfigFromEntry } from "../../src/advanced.js";
import { cloudConfigFromEnv } from "../../src/index.js";
import { ConfigError, loadCloudConfig } from "../../src/node.js";

const dir = mkdtempSync(join(tmpdir(), "otc-config-values-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Writes `text` as a clouds file and loads cloud "otc" from it. */
function load(text: string, ext = "yaml") {
  const cloudsFile = join(dir, `clouds-${++files}.${ext}`);
  writeFileSync(cloudsFile, text);
  return loadCloudConfig({ cloudsFile, cloud: "otc", env: {}, searchDirs: [] });
}

function refusal(fn: () => unknown, ...values: string[]): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const printed = `${String(error)} ${JSON.stringify(error)} ${inspect(error)}`;
    for (const value of values) expect(printed).not.toContain(value);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

const cloud = (auth: string, extra = "") =>
  `clouds:\n  otc:\n    region_name: eu-de\n${extra}    auth:\n      auth_url: https://iam.eu-de.otc.t-systems.com/v3\n${auth}`;

describe("credentials must be text", () => {
  // What YAML 1.2 (this package) or YAML 1.1 (PyYAML, the OpenStack tools) reads as no text.
  const unquoted: Array<[string, string]> = [
    ["leading zero", "0123456789"],
    ["octal-looking", "012"],
    ["exponent", "1e5"],
    ["hex", "0x1A"],
    ["YAML 1.1 underscore number", "1_000"],
    ["boolean", "true"],
    ["YAML 1.1 boolean", "yes"],
    ["YAML 1.1 boolean", "off"],
    ["YAML 1.1 date", "2001-12-14"],
    ["infinity", ".inf"],
  ];
  for (const key of ["password", "token", "ak", "sk", "security_token"]) {
    it.each(unquoted)(`${key}: refuses an unquoted %s, naming the key and saying to quote it`, (_, written) => {
      const error = refusal(() => load(cloud(`      ${key}: ${written}\n      username: alice\n`)), written);
      expect(error.key).toBe(`clouds.otc.auth.${key}`);
      expect(error.message).toContain(`clouds.otc.auth.${key}`);
      expect(error.message).toMatch(/quotes/);
    });
  }

  it("accepts the same values quoted, exactly as written", () => {
    for (const [, written] of unquoted) {
      expect(load(cloud(`      password: '${written}'\n      username: alice\n`)).password).toBe(written);
      expect(load(cloud(`      password: "${written}"\n      username: alice\n`)).password).toBe(written);
    }
  });

  it("refuses them in secure.yaml too, naming the key", () => {
    const cloudsFile = join(dir, "with-secure-clouds.yaml");
    const secureFile = join(dir, "with-secure-secure.yaml");
    writeFileSync(cloudsFile, cloud("      username: alice\n"));
    writeFileSync(secureFile, "clouds:\n  otc:\n    auth:\n      password: 0x1A\n");
    const error = refusal(() => loadCloudConfig({ cloudsFile, secureFile, cloud: "otc", env: {}, searchDirs: [] }), "0x1A");
    expect(error.key).toBe("clouds.otc.auth.password");
  });

  it("refuses a number in JSON, and a list or mapping anywhere", () => {
    const json = JSON.stringify({ clouds: { otc: { region_name: "eu-de", auth: { password: 4711, username: "alice" } } } });
    expect(refusal(() => load(json, "json")).key).toBe("clouds.otc.auth.password");
    expect(refusal(() => load(cloud("      password: [a, b]\n"))).message).toMatch(/must be text, not a list/);
    expect(refusal(() => load(cloud("      username: { a: b }\n"))).message).toMatch(/must be text, not a mapping/);
  });

  it("refuses numbers from an entry parsed elsewhere (no source text to keep)", () => {
    expect(refusal(() => cloudConfigFromEntry({ auth: { password: 12 } }, "mine.yaml", "otc")).key).toBe("clouds.otc.auth.password");
    expect(refusal(() => cloudConfigFromEntry({ auth: { project_id: 12 } }, "mine.yaml", "otc")).key).toBe("clouds.otc.auth.project_id");
  });
});

describe("every other value keeps the text as written", () => {
  it.each([
    ["project_id", "0123456789", "projectId"],
    ["project_id", "12345678901234567890123456789012", "projectId"],
    ["user_domain_id", "1e5", "userDomainId"],
    ["username", "0x1A", "username"],
    ["project_name", "eu-de_007", "projectName"],
    ["user_domain_name", "true", "userDomainName"],
  ])("%s: %s", (key, written, field) => {
    expect(load(cloud(`      ${key}: ${written}\n`))).toMatchObject({ [field]: written });
  });

  it("keeps an unquoted id in JSON as its digits", () => {
    const json = `{"clouds": {"otc": {"auth": {"project_id": 12345678901234567890123, "token": "t"}}}}`;
    expect(load(json, "json").projectId).toBe("12345678901234567890123");
  });

  it("follows YAML merge keys, as the OpenStack tools do", () => {
    const text =
      "base: &base\n  auth_url: https://iam.eu-de.otc.t-systems.com/v3\n  project_id: 0123\nclouds:\n  otc:\n    auth:\n      <<: *base\n      token: 't'\n";
    expect(load(text)).toMatchObject({ authUrl: "https://iam.eu-de.otc.t-systems.com/v3", projectId: "0123", region: "eu-de" });
  });
});

describe("values that end up in URLs are checked before they are put there", () => {
  const badSegments = ["b0b0/../admin", "b0b0?x=1", "b0b0#x", "me@evil.example", "..", "b0 b0", "b0%2Fb0", "b0b0\t"];
  it.each(badSegments)("project_id %j is refused, naming the key", (value) => {
    const error = refusal(() => load(cloud(`      project_id: ${JSON.stringify(value)}\n      token: t\n`)));
    expect(error.key).toBe("clouds.otc.auth.project_id");
    expect(error.message).toMatch(/`clouds\.otc\.auth\.project_id` must not contain/);
  });

  it.each(["evil.example#", "eu-de/x", "eu-de@evil.example", "eu-de.evil.example", "EU-DE", "eu de", "x"])(
    "region %j is refused before {region_name} is filled in",
    (region) => {
      const text = `clouds:\n  otc:\n    region_name: ${JSON.stringify(region)}\n    auth:\n      auth_url: https://iam.{region_name}.otc.t-systems.com/v3\n      token: t\n`;
      expect(refusal(() => load(text)).key).toBe("clouds.otc.region_name");
      expect(
        refusal(() =>
          cloudConfigFromEnv({ OS_AUTH_URL: "https://iam.{region_name}.otc.t-systems.com/v3", OS_REGION_NAME: region, OS_TOKEN: "t" }),
        ).key,
      ).toBe("OS_REGION_NAME");
    },
  );

  it("fills {region_name} in only with a region name, and refuses the placeholder without a region", () => {
    const config = cloudConfigFromEnv({
      OS_AUTH_URL: "https://iam.{region_name}.otc.t-systems.com/v3",
      OS_REGION_NAME: "eu-nl",
      OS_TOKEN: "t",
    });
    expect(new URL(config.authUrl!).host).toBe("iam.eu-nl.otc.t-systems.com");
    expect(
      refusal(() => cloudConfigFromEnv({ OS_AUTH_URL: "https://iam.{region_name}.otc.t-systems.com/v3", OS_TOKEN: "t" })).message,
    ).toMatch(/OS_AUTH_URL contains \{region_name\}, but no region is set/);
  });

  it.each([
    ["user info", "https://user:pw-DoNotLeak@iam.eu-de.otc.t-systems.com/v3", /user name or password/],
    ["a query", "https://iam.eu-de.otc.t-systems.com/v3?x=1", /query or fragment/],
    ["a fragment", "https://iam.eu-de.otc.t-systems.com/v3#x", /query or fragment/],
    ["a tab the URL parser would drop", "https://iam.eu-de\t.otc.t-systems.com/v3", /whitespace/],
    ["another scheme", "file:///etc/passwd", /https:\/\//],
    ["no URL", "iam.eu-de.otc.t-systems.com", /absolute URL/],
  ])("auth_url with %s is refused", (_, url, why) => {
    const error = refusal(() => cloudConfigFromEnv({ OS_AUTH_URL: url, OS_TOKEN: "t" }), "pw-DoNotLeak");
    expect(error.key).toBe("OS_AUTH_URL");
    expect(error.message).toMatch(why);
  });

  it("checks endpoint overrides the same way, and keeps their %(project_id)s", () => {
    expect(refusal(() => cloudConfigFromEnv({ OS_CBR_ENDPOINT_OVERRIDE: "https://cbr.example/v3?x=1", OS_TOKEN: "t" })).key).toBe(
      "OS_CBR_ENDPOINT_OVERRIDE",
    );
    expect(refusal(() => load(cloud("      token: t\n", "    vbs_endpoint_override: 'https://a@vbs.example'\n"))).key).toBe(
      "clouds.otc.vbs_endpoint_override",
    );
    expect(cloudConfigFromEnv({ OS_CBR_ENDPOINT_OVERRIDE: "https://cbr.example/v3/%(project_id)s", OS_TOKEN: "t" }).endpoints.cbr).toBe(
      "https://cbr.example/v3/%(project_id)s",
    );
  });

  it("refuses control characters in any OS_* value, naming the variable and not the value", () => {
    for (const [name, value] of [
      ["OS_USERNAME", "alice\0"],
      ["OS_PASSWORD", "pw-DoNotLeak\n"],
      ["OS_PROJECT_ID", "b0b0\r"],
      ["OS_USER_DOMAIN_NAME", "OTC\u0085"],
    ] as const) {
      const error = refusal(
        () => cloudConfigFromEnv({ OS_AUTH_URL: "https://iam.eu-de.otc.t-systems.com/v3", [name]: value }),
        "pw-DoNotLeak",
      );
      expect(error.key).toBe(name);
    }
  });

  it("keeps passwords as written, spaces included", () => {
    expect(cloudConfigFromEnv({ OS_PASSWORD: " pass word ", OS_USERNAME: "alice" }).password).toBe(" pass word ");
  });
});

describe("configuration files are capped in size", () => {
  it("refuses a file over 1 MiB, naming the file", () => {
    const big = join(dir, "clouds-big.yaml");
    writeFileSync(big, `${cloud("      token: t\n")}# ${"x".repeat(1024 * 1024)}\n`);
    const error = refusal(() => loadCloudConfig({ cloudsFile: big, cloud: "otc", env: {}, searchDirs: [] }));
    expect(error.message).toBe(
      `${big} is larger than 1 MiB (${1024 * 1024 + cloud("      token: t\n").length + 3} bytes): a clouds.yaml or secure.yaml is a few kilobytes`,
    );
    expect(error.source).toBe(big);
  });

  it("reads a file of exactly 1 MiB", () => {
    const text = cloud("      token: t\n      project_id: b0b0\n");
    const exact = join(dir, "clouds-exact.yaml");
    writeFileSync(exact, text + "#".padEnd(1024 * 1024 - text.length - 1, "x") + "\n");
    expect(loadCloudConfig({ cloudsFile: exact, cloud: "otc", env: {}, searchDirs: [] }).projectId).toBe("b0b0");
  });
});
