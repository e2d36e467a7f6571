// `otc-backup-api check` against loopback services: one that answers with the spec's own
// examples (every answer conforms), one with planted drift (every planted disagreement is found),
// and a scan of the report and the recordings for every identifying value the service sent.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { checkCommand } from "../../src/cli/check.js";
import { readOnlyCall } from "../../src/check/plan.js";
import type { CheckReport } from "../../src/check/report.js";
import { PROJECT_ID, TOKEN } from "../support/constants.js";
import { startExampleService } from "./example-server.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "otc-check-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function run(args: string[], env: Record<string, string>) {
  let out = "";
  let err = "";
  const status = await checkCommand(args, { out: (t) => (out += t), err: (t) => (err += t), env, isTTY: false });
  return { status, out, err };
}

const envFor = (service: "cbr" | "vbs", url: string) => ({
  OS_AUTH_TOKEN: TOKEN,
  OS_PROJECT_ID: PROJECT_ID,
  OS_REGION_NAME: "eu-de",
  [service === "cbr" ? "OS_CBR_ENDPOINT_OVERRIDE" : "OS_VBS_ENDPOINT_OVERRIDE"]: url,
});

// Identifying values the drifting service sends: they must never reach a report or a recording.
const SECRET = {
  vaultId: "4f1c2e7a-9b3d-4c8e-a1f2-6d5e4c3b2a19",
  vaultName: "payroll-prod-vault",
  description: "Nightly backups of the ACME payroll database",
  resourceId: "8e2d1c0b-7a6f-4e5d-9c8b-1a2b3c4d5e6f",
  resourceName: "payroll-db-01",
  tagKey: "cost-centre",
  tagValue: "finance-4711",
  userId: "a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2",
  address: "10.20.30.40",
  url: "https://intranet.acme.example/backup",
};

function driftingVault() {
  return {
    id: SECRET.vaultId,
    name: SECRET.vaultName,
    description: SECRET.description,
    // missing required: project_id
    provider_id: "0daac4c5-6707-4851-97ba-169e36266b66",
    user_id: SECRET.userId,
    resources: [
      {
        id: SECRET.resourceId,
        name: SECRET.resourceName,
        type: "OS::Nova::Teapot",
        protect_status: "available",
        size: 40,
        extra_info: null,
      },
    ],
    billing: {
      allocated: "40", // wrong type
      charging_mode: "post_paid",
      consistent_level: "crash_consistent",
      protect_type: "backup",
      size: null, // null where the spec allows none
      spec_code: "vault.backup.server.normal",
      status: "hibernating", // unknown value of an open enum: a notice
      used: 0,
    },
    tags: [{ key: SECRET.tagKey, value: SECRET.tagValue }],
    bind_rules: { tags: [{ key: SECRET.tagKey, value: SECRET.tagValue }] },
    colour: SECRET.address, // a property the spec does not declare: a notice
    smn_notify: true,
    created_at: "2025-03-22T01:00:00.000+00:00",
    links: [{ rel: "self", href: SECRET.url }],
  };
}

describe("check against a service that answers with the spec's examples", () => {
  for (const service of ["cbr", "vbs"] as const) {
    it(`${service}: every answer conforms, exit status 0`, async () => {
      const server = await startExampleService(service);
      try {
        const { status, out, err } = await run(["--service", service], envFor(service, server.url));
        expect(err).toBe("");
        expect(out).toMatch(/All \d+ answers conform to the spec/);
        expect(status).toBe(0);
        // Only reads: GETs, and POSTs only to the filters the spec marks x-read-only.
        const posts = server.requests.filter((r) => r.method !== "GET");
        expect(posts.map((r) => `${r.method} ${r.url.pathname.replace(PROJECT_ID, "{project_id}")}`)).toEqual([
          service === "cbr"
            ? "POST /v3/{project_id}/vault/resource_instances/action"
            : "POST /v2/{project_id}/backuppolicy/resource_instances/action",
        ]);
      } finally {
        await server.close();
      }
    });
  }
});

describe("check against a service with planted drift", () => {
  let server: Awaited<ReturnType<typeof startExampleService>>;
  afterEach(() => server?.close());

  it("finds every planted disagreement, and nothing identifying leaves in the report or the recordings", async () => {
    server = await startExampleService("cbr", {
      listVault: () => ({ status: 200, body: { vaults: [driftingVault()], count: 1 } }),
      showVault: () => ({ status: 201, body: { vault: driftingVault() } }), // a status the spec does not document
    });
    const dir = tempDir();
    const { status, out } = await run(
      ["--service", "cbr", "--report", join(dir, "report.json"), "--record", join(dir, "recorded")],
      envFor("cbr", server.url),
    );
    expect(status).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as CheckReport;
    const found = (operationId: string, pointer: string, keyword: string) =>
      report.disagreements.find((d) => d.operationId === operationId && d.pointer === pointer && d.keyword === keyword);

    expect(found("listVault", "/vaults/*/billing/allocated", "type")).toMatchObject({ expected: "integer", actual: "string" });
    expect(found("listVault", "/vaults/*/billing/size", "type")).toMatchObject({ expected: "integer", actual: "null" });
    expect(found("listVault", "/vaults/*/resources/*/type", "enum")).toMatchObject({ actual: "string", value: "OS::Nova::Teapot" });
    expect(found("listVault", "/vaults/*/billing/status", "x-open-enum")).toMatchObject({ value: "hibernating", notice: true });
    expect(found("listVault", "/vaults/*/project_id", "required")).toMatchObject({ actual: "missing" });
    expect(found("listVault", "/vaults/*/colour", "unevaluatedProperties")).toMatchObject({ actual: "string", notice: true });
    expect(found("listVault", "/vaults/*/colour", "unevaluatedProperties")?.value).toBeUndefined();
    expect(found("showVault", "", "status")).toMatchObject({ actual: "status 201", value: 201 });
    // Nothing else disagrees: the rest of the service answers with the spec's examples.
    expect(report.disagreements.filter((d) => d.operationId !== "listVault" && d.operationId !== "showVault")).toEqual([]);
    expect(out).toMatch(/listVault/);

    const texts = [
      readFileSync(join(dir, "report.json"), "utf8"),
      out,
      ...recordedFiles(join(dir, "recorded")).map((f) => readFileSync(f, "utf8")),
    ];
    const markdownDir = tempDir();
    await run(["--service", "cbr", "--report", join(markdownDir, "report.md")], envFor("cbr", server.url));
    texts.push(readFileSync(join(markdownDir, "report.md"), "utf8"));
    const sent = [...Object.values(SECRET), ...identifyingValues(server.served)];
    for (const text of texts) for (const value of sent) expect(text, `leaked ${value}`).not.toContain(value);
  });

  it("records answers in the evidence corpus format, with stand-ins that keep the IDs' shape", async () => {
    server = await startExampleService("cbr", { listVault: () => ({ status: 200, body: { vaults: [driftingVault()], count: 1 } }) });
    const dir = tempDir();
    await run(["--service", "cbr", "--record", dir], envFor("cbr", server.url));
    const index = JSON.parse(readFileSync(join(dir, "cbr", "index.json"), "utf8")) as {
      id: string;
      operationId: string;
      kind: string;
      status: number;
      source: { kind: string };
    }[];
    expect(index.length).toBeGreaterThan(5);
    const vaults = index.find((e) => e.operationId === "listVault")!;
    expect(vaults).toMatchObject({
      kind: "response",
      status: 200,
      source: { kind: "recorded", project: "otc-backup-api check" },
      verdict: "accepted",
    });
    const payload = JSON.parse(readFileSync(join(dir, "cbr", "payloads", `${vaults.id}.json`), "utf8"));
    expect(payload.vaults[0].id).toMatch(/^00000000-0000-4000-8000-[0-9a-f]{12}$/);
    expect(payload.vaults[0].user_id).toMatch(/^0+[0-9a-f]+$/);
    expect(payload.vaults[0].billing.status).toBe("hibernating");
    expect(payload.vaults[0].tags[0]).toEqual({
      key: expect.stringMatching(/^tag-value-\d+$|^tag-key-\d+$/),
      value: expect.stringMatching(/^tag-value-\d+$/),
    });
  });
});

describe("read-only plan", () => {
  it("refuses to plan an operation that writes", () => {
    expect(() => readOnlyCall("cbr", "createVault")).toThrow(/createVault \(POST \/v3\/\{project_id\}\/vaults\) is not read-only/);
    expect(() => readOnlyCall("vbs", "deleteBackupPolicy")).toThrow(/not read-only/);
    expect(readOnlyCall("cbr", "showVaultResourceInstances")).toEqual({
      method: "POST",
      path: "/v3/{project_id}/vault/resource_instances/action",
    });
  });
});

describe("usage", () => {
  it("--dry-run lists the read-only calls without credentials", async () => {
    const { status, out } = await run(["--dry-run"], {});
    expect(status).toBe(0);
    expect(out).toMatch(/GET \/v3\/\{project_id\}\/vaults\?limit=25 +\(listVault\)/);
    expect(out).toMatch(/POST \/v3\/\{project_id\}\/vault\/resource_instances\/action \{"action":"filter"/);
    expect(out).toMatch(/then showVault for the first 3 items/);
    expect(out).not.toMatch(/\b(PUT|DELETE|PATCH) /);
  });

  it("exit status 2 with a clear message: bad options, no credentials, refused credentials", async () => {
    expect((await run(["--service", "ebs"], {})).err).toMatch(/--service takes cbr or vbs, got "ebs"/);
    expect((await run(["--max-requests", "0"], {})).status).toBe(2);
    expect((await run(["--colour"], {})).status).toBe(2);
    const none = await run(["--service", "cbr"], {});
    expect(none).toMatchObject({ status: 2 });
    expect(none.err).toMatch(/no credentials found/);
    const server = await startExampleService("cbr", {
      listVersions: () => ({ status: 401, body: { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" } }),
    });
    try {
      const refused = await run(["--service", "cbr"], envFor("cbr", server.url));
      expect(refused.status).toBe(2);
      expect(refused.err).toMatch(/refused the credentials \(401/);
      expect(refused.err).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it("backs off on 429 through the client's retries and validates the answer that follows", async () => {
    let throttled = 0;
    const server = await startExampleService("cbr", {
      listVault: () =>
        throttled++ === 0
          ? {
              status: 429,
              body: { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached" },
              headers: { "Retry-After": "0" },
            }
          : undefined,
    });
    try {
      const { status, out } = await run(["--service", "cbr"], envFor("cbr", server.url));
      expect(server.requests.filter((r) => r.url.pathname.endsWith("/vaults")).length).toBe(2);
      expect(out).toMatch(/cbr listVault +1 +200×1 /);
      expect(status).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("stops at --max-requests and says so", async () => {
    const server = await startExampleService("cbr");
    try {
      const { status, out } = await run(["--service", "cbr", "--max-requests", "3"], envFor("cbr", server.url));
      expect(server.requests.length).toBe(3);
      expect(out).toMatch(/Stopped at --max-requests 3/);
      expect(status).toBe(0);
    } finally {
      await server.close();
    }
  });
});

function recordedFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Every ID, name, tag, description and address in what the service sent. */
function identifyingValues(bodies: unknown[]): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, key: string, inTags: boolean) => {
    if (typeof node === "string") {
      const identifying = inTags || /(^|_)(id|name|description|href|url|address|ip)$/i.test(key) || /^[0-9a-f-]{32,36}$/i.test(node);
      // The report's own vocabulary (JSON type names) is no leak even where a docs example uses it as a value.
      if (
        identifying &&
        node.length >= 4 &&
        !/^(default|true|false|string|integer|number|boolean|object|array|null|value|values|key)$/.test(node)
      )
        found.add(node);
      return;
    }
    if (Array.isArray(node)) return node.forEach((n) => visit(n, key, inTags));
    if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) visit(v, k, inTags || /tags|metadata/.test(k));
  };
  bodies.forEach((b) => visit(b, "", false));
  return [...found];
}
