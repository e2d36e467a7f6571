// The package as users install it (dist/ is built once for the project: test/support/build-setup.ts):
//   - scripts/check-package.mjs (pack contents, browser-safe entry, publint, attw, installed smoke test);
//   - the bin: `otc-backup-api mock cbr --port N` answers a request with the documented example,
//     and its usage errors;
//   - the mock command of README.md and docs/mock.md in an empty folder that only installed the packed tarball: Prism
//     is not installed there, so the bin runs the pinned one through npx (from npm's cache, which
//     `npm ci` filled), and Ctrl-C stops all of it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/mock-server.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli.js");
const PROJECT_ID = "2a1b9f7e5c3d4e6f8a0b1c2d3e4f5a6b";
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** The documented 200 example of listVault, which the mock must answer with. */
function documentedVaultList(): unknown {
  const spec = JSON.parse(readFileSync(join(root, "generated", "cbr.openapi.json"), "utf8"));
  const ok = spec.paths["/v3/{project_id}/vaults"].get.responses["200"].content["application/json"];
  return ok.example ?? (Object.values(ok.examples ?? {})[0] as { value: unknown } | undefined)?.value;
}

/** Resolves with everything the child printed once `text` appears; rejects if it exits first or after `ms`. */
function waitForOutput(child: ChildProcess, text: string, ms: number): Promise<string> {
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`"${text}" did not appear within ${ms} ms:\n${log}`)), ms);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(text)) {
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve(log);
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before "${text}":\n${log}`));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

function otcBackupApi(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, env, encoding: "utf8", timeout: 30_000 });
}

describe("npm package", () => {
  it("passes scripts/check-package.mjs (contents, browser-safe entry, publint, attw, install)", () => {
    const result = spawnSync(process.execPath, [join(root, "scripts", "check-package.mjs"), "--no-build"], {
      cwd: root,
      env,
      encoding: "utf8",
    });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }, 180_000);
});

describe("npm start", () => {
  // The README's first command: generate, build (done above), then this demo against the fake.
  it("ends with a demo that backs up through the built client against the fake, every backup available", () => {
    const demo = spawnSync(process.execPath, [join(root, "scripts", "demo.mjs")], { cwd: root, env, encoding: "utf8", timeout: 90_000 });
    expect(demo.status, `${demo.stdout}${demo.stderr}`).toBe(0);
    const [cbr, vbs] = demo.stdout.split(/^VBS backups/m);
    const backupLine = /^ {2}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} {2}(\S+)/gm;
    expect(cbr).toMatch(/^CBR backups of vault demo \(fake at http:\/\/127\.0\.0\.1:\d+\/cbr\/eu-de\):/m);
    const statuses = (text: string | undefined) => [...(text ?? "").matchAll(backupLine)].map((m) => m[1]);
    expect(statuses(cbr), demo.stdout).toEqual(["available", "available"]);
    expect(statuses(vbs), demo.stdout).toEqual(["available"]);
  }, 120_000);
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
    const log = await waitForOutput(child, "Prism is listening", 30_000);
    expect(log).toContain(`http://127.0.0.1:${port}`);
    expect(log, "Prism installed next to the package is used as it is").not.toContain("through npx");

    const documented = documentedVaultList();
    expect(documented, "listVault documents a 200 example").toBeDefined();
    const response = await fetch(`http://127.0.0.1:${port}/v3/${PROJECT_ID}/vaults?limit=10`, {
      headers: { "X-Auth-Token": "test-token" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("sl-violations")).toBeNull();
    expect(await response.json()).toEqual(documented);

    const unauthorized = await fetch(`http://127.0.0.1:${port}/v3/${PROJECT_ID}/vaults`);
    expect(unauthorized.status).toBe(401);

    // SIGTERM to the bin is passed on to Prism, which frees the port.
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
    expect(await listening(port)).toBe(false);
  }, 60_000);

  it.each([
    [[], /missing command/, "usage: otc-backup-api <mock|fake|check>"],
    [["frob"], /unknown command "frob"/, "usage: otc-backup-api <mock|fake|check>"],
  ])("usage error: %j", (args, message, usage) => {
    const result = otcBackupApi(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(usage);
  });

  it.each([
    [["mock"], /needs a service: vbs or cbr/],
    [["mock", "ecs"], /unknown service "ecs"/],
    [["mock", "cbr", "--port"], /--port needs a value/],
    [["mock", "cbr", "--port", "abc"], /--port takes a number from 1 to 65535/],
    [["mock", "cbr", "--port", "70000"], /--port takes a number from 1 to 65535/],
    [["mock", "vbs", "--verbose"], /unknown option "--verbose"/],
    [["mock", "vbs", "extra"], /unexpected argument "extra"/],
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
    expect(help.stdout).toContain("otc-backup-api mock <vbs|cbr> [--port N]");
    expect(help.stdout).toContain("otc-backup-api fake [--port N]");
    const mockHelp = otcBackupApi("mock", "--help");
    expect(mockHelp.stdout).toContain("usage: otc-backup-api mock <vbs|cbr> [--port N]");
    expect(mockHelp.stdout).toContain("@stoplight/prism-cli@5.14.2 through npx");
    const version = otcBackupApi("--version");
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
  });
});

describe("npx otc-backup-api mock, in an empty folder after npm install of the packed tarball", () => {
  let work = "";
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      process.kill(-child.pid, "SIGKILL");
      await exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs Prism through npx, answers with the documented example, fails clearly without npx, passes Prism's exit status on, and stops on Ctrl-C", async () => {
    work = mkdtempSync(join(tmpdir(), "otc-fresh-install-"));
    const app = join(work, "app");
    mkdirSync(app);
    // Only the package's own dependencies come from npm's cache (or the registry); no Prism.
    const npmEnv = {
      ...env,
      NODE_PATH: "",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_prefer_offline: "true",
      npm_config_update_notifier: "false",
    };
    const [packed] = JSON.parse(
      spawnSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: root, env: npmEnv, encoding: "utf8" })
        .stdout,
    ) as { filename: string }[];
    const install = spawnSync(npm, ["install", join(work, packed!.filename)], { cwd: app, env: npmEnv, encoding: "utf8" });
    expect(install.status, `${install.stdout}${install.stderr}`).toBe(0);
    expect(
      spawnSync(process.execPath, ["-e", "require.resolve('@stoplight/prism-cli/package.json')"], { cwd: app, env: npmEnv }).status,
      "Prism must not be installed here",
    ).not.toBe(0);

    // npx cannot provide Prism (offline, nothing cached): a clear failure that says what to install.
    const emptyCache = join(work, "empty-npm-cache");
    mkdirSync(emptyCache);
    const offline = spawnSync(process.execPath, [join(app, "node_modules", ".bin", "otc-backup-api"), "mock", "cbr"], {
      cwd: app,
      env: { ...npmEnv, npm_config_cache: emptyCache, npm_config_offline: "true" },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(offline.stderr).toContain("npx could not provide @stoplight/prism-cli@5.14.2");
    expect(offline.stderr).toContain("npm install --save-dev @stoplight/prism-cli@5.14.2");
    expect(offline.status).toBe(1);

    // A port that is taken: Prism's failure (exit 1) is the command's.
    const taken = await freePort();
    const blocker = (await import("node:net")).createServer().listen(taken, "127.0.0.1");
    await once(blocker, "listening");
    const busy = spawnSync(npm, ["exec", "--", "otc-backup-api", "mock", "cbr", "--port", String(taken)], {
      cwd: app,
      env: npmEnv,
      encoding: "utf8",
      timeout: 180_000,
    });
    blocker.close();
    expect(busy.stderr).toContain("running @stoplight/prism-cli@5.14.2 through npx");
    expect(`${busy.stdout}${busy.stderr}`).toContain("EADDRINUSE");
    expect(busy.status).toBe(1);

    // The README's mock command, in its own process group as a terminal would run it.
    const port = await freePort();
    child = spawn(npm, ["exec", "--", "otc-backup-api", "mock", "cbr", "--port", String(port)], {
      cwd: app,
      env: npmEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    await waitForOutput(child, "Prism is listening", 180_000);
    const response = await fetch(`http://127.0.0.1:${port}/v3/${PROJECT_ID}/vaults?limit=10`, {
      headers: { "X-Auth-Token": "test-token" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(documentedVaultList());

    // Ctrl-C: SIGINT to the whole process group. Everything in it exits, and the port is free.
    const exited = once(child, "exit");
    process.kill(-child.pid!, "SIGINT");
    await exited;
    expect(await listening(port)).toBe(false);
    let leftover = true;
    try {
      process.kill(-child.pid!, 0);
    } catch {
      leftover = false;
    }
    expect(leftover, "no process of the mock's group is left").toBe(false);
  }, 400_000);
});
