// An esbuild plugin that resolves the package's own `#name` imports (package.json "imports") to
// the sources of one runtime's target, as vitest.config.ts does for the tests: `node` for the
// Node build of the bin, `browser` for what a browser bundle holds.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";

type Imports = Record<string, Record<string, string>>;
const root = new URL("../../", import.meta.url);
const { imports } = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { imports: Imports };

export function packageImports(condition: "node" | "browser"): Plugin {
  return {
    name: "package-imports",
    setup(build) {
      build.onResolve({ filter: /^#/ }, ({ path }) => {
        const target = imports[path]?.[condition] ?? imports[path]?.default;
        if (!target) return undefined;
        return { path: fileURLToPath(new URL(target.replace(/^\.\/dist\//, "./").replace(/\.js$/, ".ts"), root)) };
      });
    },
  };
}
