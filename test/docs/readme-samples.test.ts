// Every ```ts block of README.md, CONTRIBUTING.md and docs/**/*.md compiles as shown: each block
// is written to a file of its own and type-checked as a module, against this package's sources
// (imported by its public names) with the project's strict compiler options. A block can opt out
// only with a marker on its fence line that gives the reason:
//   ```ts no-typecheck: <why this block cannot compile on its own>
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { typecheckModules } from "./typecheck-modules.js";

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
let errorsByBlock = new Map<string, string[]>();

beforeAll(() => {
  errorsByBlock = typecheckModules(checked);
}, 120_000);

describe("TypeScript samples in the docs", () => {
  it("finds the README's samples", () => {
    expect(checked.length).toBeGreaterThan(10);
  });

  it("opt-outs name their reason on the fence line", () => {
    const bare = blocks.filter((b) => /no-typecheck/.test(b.marker) && !OPT_OUT.exec(b.marker)?.[1]?.trim());
    const unknown = blocks.filter((b) => b.marker && !OPT_OUT.test(b.marker));
    expect(
      bare.map((b) => b.where),
      "no-typecheck markers without a reason",
    ).toEqual([]);
    expect(
      unknown.map((b) => `${b.where}: ${b.marker}`),
      "fence lines with something other than a no-typecheck marker",
    ).toEqual([]);
  });

  it("nothing outside the samples fails to compile", () => {
    expect(errorsByBlock.get("(elsewhere)") ?? []).toEqual([]);
  });

  it.each(checked.map((b) => [b.where, b] as const))("%s compiles on its own", (where) => {
    expect(errorsByBlock.get(where) ?? []).toEqual([]);
  });
});

describe("the block extractor", () => {
  it("reads fences, languages and markers", () => {
    const text = [
      "```ts",
      "const a = 1;",
      "```",
      "",
      "```sh",
      "ls",
      "```",
      "  ```typescript no-typecheck: a fragment",
      "  let b;",
      "  ```",
    ].join("\n");
    expect(tsBlocks("x.md", text)).toEqual([
      { where: "x.md:1", code: "const a = 1;", marker: "" },
      { where: "x.md:8", code: "let b;", marker: "no-typecheck: a fragment" },
    ]);
  });
});
