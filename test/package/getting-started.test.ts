// README's "Getting started", followed as a new user follows it, in an empty folder for an ES
// module project and for a CommonJS one: the commands of its step 2 (read from README.md, with the
// packed tarball in place of the checkout's), its first TypeScript sample as index.ts, then step
// 5's `npx tsc && node index.js`, which must print the vault the README says, listed by a Prism
// mock of the bundled CBR spec. Packages come from npm's cache (`prefer-offline`).
// Then the table "TypeScript settings that work": each `module` setting it names compiles the
// sample in the kind of project it names, and what it compiles runs; the ones it rules out fail
// as it says.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrism, type RunningMock } from "../../scripts/mock-server.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const env = {
  ...process.env,
  NO_COLOR: "1",
  FORCE_COLOR: "0",
  NODE_PATH: "",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_prefer_offline: "true",
  npm_config_update_notifier: "false",
};
const MOCK_IN_README = "http://127.0.0.1:4010";
const TARBALL_IN_README = "../otc-backup-api/otc-backup-api-0.1.0.tgz";

const readme = readFileSync(join(root, "README.md"), "utf8");
const gettingStarted = /^## Getting started\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? "";

/** The fenced blocks of `lang` in a piece of markdown, in order. */
function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, "gm"))].map((m) => m[1]!);
}
/** A shell line without its trailing `# comment`. */
const command = (line: string) => line.replace(/\s+#.*$/, "").trim();

/** Step 2's commands for one kind of project, as README.md gives them (the folder is made by the test). */
function projectCommands(kind: "esm" | "cjs"): string[] {
  const step = blocks(gettingStarted, "sh").find((b) => b.includes("npm init -y"));
  if (!step) throw new Error("README.md's Getting started has no sh block with `npm init -y`");
  return step
    .split("\n")
    .filter((line) => line.trim() && !/^\s*(mkdir|cd)\b/.test(line))
    .flatMap((line) => {
      if (/leave this line out for CommonJS/.test(line)) return kind === "esm" ? [command(line)] : [];
      const alternative = /# CommonJS: (.*)$/.exec(line);
      return [kind === "cjs" && alternative ? alternative[1]!.trim() : command(line)];
    });
}

function sh(cwd: string, line: string) {
  const result = spawnSync("sh", ["-c", line], { cwd, env, encoding: "utf8", timeout: 180_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

let work = "";
let tarball = "";
let mock: RunningMock | undefined;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "otc-getting-started-"));
  // dist/ is built by the project's setup; the tarball is the one `npm pack` makes in a checkout.
  const packed = spawnSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: root, env, encoding: "utf8" });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  mock = await startPrism(join(root, "generated", "cbr.openapi.json"));
}, 120_000);

afterAll(async () => {
  await mock?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("README.md, Getting started", () => {
  it("names the tarball npm pack makes, the mock's address, and a listed vault as the result", () => {
    expect(tarball.endsWith(TARBALL_IN_README.split("/").pop()!)).toBe(true);
    expect(gettingStarted).toContain(`npm install ${TARBALL_IN_README}`);
    expect(blocks(readme, "ts")[0], "the first ts block of README.md is the one of Getting started").toBe(blocks(gettingStarted, "ts")[0]);
    expect(blocks(gettingStarted, "ts")[0]).toContain(MOCK_IN_README);
    expect(gettingStarted).toContain("npx otc-backup-api mock cbr --port 4010");
  });

  describe.each(["esm", "cjs"] as const)("in an empty folder, %s project", (kind) => {
    const project = () => join(work, kind, "vault-lister");

    it("npm init, install from the tarball, tsc --init, compile and run: the mock's vault is listed", () => {
      mkdirSync(project(), { recursive: true });
      for (const line of projectCommands(kind)) {
        const run = sh(project(), line.replace(TARBALL_IN_README, tarball));
        expect(run.status, `${line}\n${run.output}`).toBe(0);
      }
      const manifest = JSON.parse(readFileSync(join(project(), "package.json"), "utf8")) as { type?: string };
      expect(manifest.type ?? "commonjs").toBe(kind === "esm" ? "module" : "commonjs");

      const sample = blocks(gettingStarted, "ts")[0]!;
      writeFileSync(join(project(), "index.ts"), sample.replace(MOCK_IN_README, mock!.url));
      const step5 = blocks(gettingStarted, "sh").find((b) => b.includes("node index.js"))!;
      const expected = /#\s*(.*)$/.exec(step5.trim())![1]!.trim();
      const run = sh(project(), command(step5.trim()));
      expect(run.status, run.output).toBe(0);
      expect(run.stdout).toContain(expected);
    }, 300_000);
  });

  // The table's rows, with the project's TypeScript (5.9) and the one the README's install got.
  const SETTINGS: { kind: "esm" | "cjs"; module: string; moduleResolution?: string; error?: string }[] = [
    { kind: "esm", module: "nodenext" },
    { kind: "esm", module: "node16" },
    { kind: "esm", module: "preserve", moduleResolution: "bundler" },
    { kind: "cjs", module: "nodenext" },
    { kind: "cjs", module: "node20" },
    { kind: "cjs", module: "commonjs" },
    { kind: "cjs", module: "node16", error: "TS1479" },
  ];
  const SUBPATHS = [
    'import { loadClientOptions } from "otc-backup-api/node";',
    'import { signRequest } from "otc-backup-api/advanced";',
    "export const entries: Function[] = [loadClientOptions, signRequest];",
    "",
  ].join("\n");
  const compilers = {
    "the project's TypeScript": createRequire(import.meta.url).resolve("typescript/bin/tsc"),
    "the README's install of TypeScript": () => join(work, "esm", "vault-lister", "node_modules", "typescript", "bin", "tsc"),
  };

  describe.each(Object.entries(compilers))("TypeScript settings that work, with %s", (_, tscPath) => {
    it.each(SETTINGS)("$kind project, module $module", ({ kind, module, moduleResolution, error }) => {
      const tsc = typeof tscPath === "function" ? tscPath() : tscPath;
      const dir = join(work, kind, "vault-lister");
      const config = `tsconfig.${module}.json`;
      const outDir = `out-${module}-${tsc === compilers["the project's TypeScript"] ? "project" : "installed"}`;
      const compilerOptions = { module, moduleResolution, target: "es2022", strict: true, skipLibCheck: true, types: [], outDir };
      // The subpaths too: under `commonjs` TypeScript 5 resolves like Node 10 (no "exports"), and
      // finds them through "typesVersions".
      writeFileSync(join(dir, "subpaths.ts"), SUBPATHS);
      writeFileSync(join(dir, config), JSON.stringify({ compilerOptions, files: ["index.ts", "subpaths.ts"] }));
      const result = spawnSync(process.execPath, [tsc, "-p", config, "--pretty", "false"], { cwd: dir, env, encoding: "utf8" });
      const output = `${result.stdout}${result.stderr}`;
      if (error) return void expect(output).toContain(error);
      expect({ status: result.status, output }).toEqual({ status: 0, output: "" });
      // What it compiled runs, in the project's kind of module, and lists the mock's vault.
      const run = spawnSync(process.execPath, [join(outDir, "index.js")], { cwd: dir, env, encoding: "utf8" });
      // (Some Node versions warn on stderr that require() loaded an ES module; that is no failure.)
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("vault-8538");
    });
  });
});
