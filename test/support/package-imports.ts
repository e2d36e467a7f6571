// An esbuild plugin that resolves the package's own `#name` imports (package.json "imports") to
// the sources of one runtime's target, as vitest.config.ts does for the tests: `node` for the
// Node build of the bin, `browser` for what a browser bundle holds.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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

/** ./dist/src/x.js → src/x.ts, as tsconfig (rootDir/outDir) and vitest.config.ts map it. */
export function sourceOfTarget(target: string): string {
  return fileURLToPath(new URL(target.replace(/^\.\/dist\//, "./").replace(/\.js$/, ".ts"), root));
}

/** The package's "imports" map, by `#name` and condition. */
export const packageImportsMap: Imports = imports;

/**
 * A scratch package with the same "imports" and a stub at every target that names itself (with a
 * declaration), and `entry.js` re-exporting `#name`'s target: resolvers (Node, esbuild,
 * TypeScript) run against it without a build. Returns its folder.
 */
export function scratchImportsPackage(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `otc-${name.replace(/^#/, "")}-conditions-`));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "scratch", type: "module", imports }));
  for (const target of new Set(Object.values(imports).flatMap((t) => Object.values(t)))) {
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    writeFileSync(join(dir, target), `export const target = ${JSON.stringify(target)};\n`);
    writeFileSync(join(dir, target.replace(/\.js$/, ".d.ts")), `export declare const target: ${JSON.stringify(target)};\n`);
  }
  writeFileSync(join(dir, "entry.js"), `export { target } from ${JSON.stringify(name)};\n`);
  return dir;
}
