// Every ```ts block of README.md, CONTRIBUTING.md and docs/**/*.md compiles as shown: each block
// is written to a file of its own and type-checked as a module, against this package's sources
// (imported by its public names) with the project's strict compiler options. A block can opt out
// only with a marker on its fence line that gives the reason:
//   ```ts no-typecheck: <why this block cannot compile on its own>
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const OPT_OUT = /^no-typecheck:(.*)$/;

interface Block {
  /** "README.md:42": the file and line of the opening fence. */
  where: string;
  code: string;
  /** The rest of the fence line after the language, e.g. "no-typecheck: reason". */
  marker: string;
}

function markdownFiles(): string[] {
  const files = ["README.md", "CONTRIBUTING.md"].map((f) => join(root, f)).filter((f) => existsSync(f));
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith(".md") ? [join(dir, entry.name)] : [],
    );
  if (existsSync(join(root, "docs"))) files.push(...walk(join(root, "docs")));
  return files;
}

/** The ```ts / ```typescript blocks of a markdown file (fences of three or more backticks or tildes). */
function tsBlocks(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\b(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, , rest] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence!)) body.push(lines[j++]!.slice(indent!.length));
    blocks.push({ where: `${file}:${i + 1}`, code: body.join("\n"), marker: rest!.trim() });
    i = j;
  }
  return blocks;
}

const blocks = markdownFiles().flatMap((file) => tsBlocks(relative(root, file), readFileSync(file, "utf8")));
const checked = blocks.filter((b) => !OPT_OUT.test(b.marker));
const errorsByBlock = new Map<string, string[]>();
let work = "";

beforeAll(() => {
  // Inside the repository, so that node_modules and the package's sources resolve as they do for
  // the project; test-results/ is not committed.
  mkdirSync(join(root, "test-results"), { recursive: true });
  work = mkdtempSync(join(root, "test-results", "readme-samples-"));
  const fileOf = new Map<string, Block>();
  checked.forEach((block, index) => {
    const name = `block-${String(index).padStart(2, "0")}.ts`;
    writeFileSync(join(work, name), `// ${block.where}\n${block.code}\n`);
    fileOf.set(name, block);
  });
  writeFileSync(
    join(work, "tsconfig.json"),
    JSON.stringify({
      extends: join(root, "tsconfig.json"),
      compilerOptions: {
        noEmit: true,
        moduleDetection: "force",
        // The package by its public names, as a user imports it.
        paths: {
          "otc-backup-api": [join(root, "src", "index.ts")],
          "otc-backup-api/node": [join(root, "src", "node.ts")],
          "otc-backup-api/*": [join(root, "generated", "*")],
        },
      },
      include: ["*.ts"],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(work, "tsconfig.json"), "--pretty", "false"], { cwd: work, encoding: "utf8" });
  for (const line of `${result.stdout}${result.stderr}`.split("\n").filter((l) => /error TS\d+/.test(l))) {
    const name = /^(block-\d+\.ts)\((\d+),/.exec(line);
    // Line numbers are shifted back by the header line to point into the markdown block.
    const key = name ? fileOf.get(name[1]!)!.where : "(outside the blocks)";
    const message = name ? line.replace(/^block-\d+\.ts\((\d+),(\d+)\)/, (_, l: string, c: string) => `line ${Number(l) - 1}:${c}`) : line;
    errorsByBlock.set(key, [...(errorsByBlock.get(key) ?? []), message]);
  }
  if (result.status !== 0 && errorsByBlock.size === 0) errorsByBlock.set("(tsc)", [`${result.stdout}${result.stderr}`]);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("TypeScript samples in the docs", () => {
  it("finds the README's samples", () => {
    expect(checked.length).toBeGreaterThan(10);
  });

  it("opt-outs name their reason on the fence line", () => {
    const bare = blocks.filter((b) => /no-typecheck/.test(b.marker) && !OPT_OUT.exec(b.marker)?.[1]?.trim());
    const unknown = blocks.filter((b) => b.marker && !OPT_OUT.test(b.marker));
    expect(bare.map((b) => b.where), "no-typecheck markers without a reason").toEqual([]);
    expect(unknown.map((b) => `${b.where}: ${b.marker}`), "fence lines with something other than a no-typecheck marker").toEqual([]);
  });

  it("nothing outside the samples fails to compile", () => {
    expect(errorsByBlock.get("(outside the blocks)") ?? errorsByBlock.get("(tsc)") ?? []).toEqual([]);
  });

  it.each(checked.map((b) => [b.where, b] as const))("%s compiles on its own", (where) => {
    expect(errorsByBlock.get(where) ?? []).toEqual([]);
  });
});

describe("the block extractor", () => {
  it("reads fences, languages and markers", () => {
    const text = ["```ts", "const a = 1;", "```", "", "```sh", "ls", "```", "  ```typescript no-typecheck: a fragment", "  let b;", "  ```"].join("\n");
    expect(tsBlocks("x.md", text)).toEqual([
      { where: "x.md:1", code: "const a = 1;", marker: "" },
      { where: "x.md:8", code: "let b;", marker: "no-typecheck: a fragment" },
    ]);
  });
});
