import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// package.json "imports" point at the build (dist/); the tests run the sources, so each `#name`
// resolves to the source of its Node target (./dist/src/x.js → ./src/x.ts).
const { imports } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { imports: Record<string, { node: string }> };
const alias = Object.entries(imports).map(([find, targets]) => ({
  find,
  replacement: fileURLToPath(new URL(targets.node.replace(/^\.\/dist\//, "./").replace(/\.js$/, ".ts"), import.meta.url)),
}));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["test/**/*.test.ts"],
    // Type tests (*.test-d.ts: expectTypeOf, @ts-expect-error) run with every `vitest run`.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run turns into its "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
  },
});
