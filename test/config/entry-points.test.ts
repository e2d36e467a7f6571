// The package root must run in browsers, Deno and Bun: nothing it imports may use node:* modules,
// Node globals or the `yaml` package. Only the Node entry (src/node.ts) may.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../src/", import.meta.url));

/** Every src/ module reachable from `entry` through relative imports (type-only imports included). */
function reachable(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, "utf8");
    seen.set(file, text);
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
      if (spec!.startsWith(".") && !spec!.includes("/generated/")) visit(resolve(dirname(file), spec!.replace(/\.js$/, ".ts")));
    }
  };
  visit(resolve(src, entry));
  return seen;
}

describe("entry points", () => {
  it("the package root uses Web APIs only", () => {
    const modules = reachable("index.ts");
    expect(modules.size).toBeGreaterThan(10);
    for (const [file, text] of modules) {
      const code = text.replace(/\/\/.*$/gm, "");
      expect(code, file).not.toMatch(/from\s+["']node:|from\s+["']yaml["']|\bBuffer\b|\bprocess\.|\brequire\(/);
    }
  });

  it("the Node entry adds the file loader", () => {
    const modules = [...reachable("node.ts").keys()].map((f) => f.slice(src.length));
    expect(modules).toEqual(expect.arrayContaining(["index.ts", "config/load.ts", "config/files.ts"]));
  });
});
