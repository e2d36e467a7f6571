// The package as users install it: dist/ is built once here, then
//   - scripts/check-package.mjs (pack contents, browser-safe entry, publint, attw, installed smoke test);
//   - the bin: `otc-backup-api mock cbr --port N` answers a request with the documented example,
//     and its usage errors.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/mock-server.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli.js");
const PROJECT_ID = "2a1b9f7e5c3d4e6f8a0b1c2d3e4f5a6b";
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };

function otcBackupApi(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, env, encoding: "utf8", timeout: 30_000 });
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, env, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}, 120_000);

describe("npm package", () => {
  it("passes scripts/check-package.mjs (contents, browser-safe entry, publint, attw, install)", () => {
    const result = spawnSync(process.execPath, [join(root, "scripts", "check-package.mjs"), "--no-build"], { cwd: root, env, encoding: "utf8" });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }, 180_000);
});

describe("otc-backup-api mock", () => {
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("serves the packaged CBR spec on localhost and answers with the documented example", async () => {
    const port = await freePort();
    child = spawn(process.execPath, [cli, "mock", "cbr", "--port", String(port)], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the mock did not start within 30 s:\n${log}`)), 30_000);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("Prism is listening")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child!.stdout!.on("data", onData);
      child!.stderr!.on("data", onData);
      child!.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the mock exited with ${code}:\n${log}`));
      });
    });
    expect(log).toContain(`http://127.0.0.1:${port}`);

    const spec = JSON.parse(readFileSync(join(root, "generated", "cbr.openapi.json"), "utf8"));
    const ok = spec.paths["/v3/{project_id}/vaults"].get.responses["200"].content["application/json"];
    const documented = ok.example ?? (Object.values(ok.examples ?? {})[0] as { value: unknown } | undefined)?.value;
    expect(documented, "listVaults documents a 200 example").toBeDefined();

    const response = await fetch(`http://127.0.0.1:${port}/v3/${PROJECT_ID}/vaults?limit=10`, { headers: { "X-Auth-Token": "test-token" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("sl-violations")).toBeNull();
    expect(await response.json()).toEqual(documented);

    const unauthorized = await fetch(`http://127.0.0.1:${port}/v3/${PROJECT_ID}/vaults`);
    expect(unauthorized.status).toBe(401);

    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }, 60_000);

  it.each([
    [[], /missing command/],
    [["frob"], /unknown command "frob"/],
    [["mock"], /needs a service: vbs or cbr/],
    [["mock", "ecs"], /unknown service "ecs"/],
    [["mock", "cbr", "--port"], /--port needs a value/],
    [["mock", "cbr", "--port", "abc"], /--port takes a number from 1 to 65535/],
    [["mock", "cbr", "--port", "70000"], /--port takes a number from 1 to 65535/],
    [["mock", "vbs", "--verbose"], /unknown option "--verbose"/],
  ])("usage error: %j", (args, message) => {
    const result = otcBackupApi(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("usage: otc-backup-api mock <vbs|cbr>");
    expect(result.stdout).toBe("");
  });

  it("--help and --version", () => {
    const help = otcBackupApi("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("usage: otc-backup-api mock <vbs|cbr> [--port N]");
    expect(help.stdout).toContain("@stoplight/prism-cli@");
    expect(otcBackupApi("mock", "--help").stdout).toBe(help.stdout);
    const version = otcBackupApi("--version");
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
  });
});
