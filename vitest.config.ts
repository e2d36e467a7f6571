import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// package.json "imports" point at the build (dist/); the tests run the sources, so each `#name`
// resolves to the source of its Node target (./dist/src/x.js → ./src/x.ts).
const { imports } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  imports: Record<string, { node: string }>;
};
const alias = Object.entries(imports).map(([find, targets]) => ({
  find,
  replacement: fileURLToPath(new URL(targets.node.replace(/^\.\/dist\//, "./").replace(/\.js$/, ".ts"), import.meta.url)),
}));

// The suite by what it needs, so that the fast loop (`npm run test:fast`: the "fast" project)
// starts no mock server, no browser and no packing; `npm test` runs every project.
const FEATURES = [
  "auth",
  "pipeline",
  "client",
  "config",
  "options",
  "pagination",
  "retries",
  "security",
  "spec",
  "fidelity",
  "waiters",
  "validate",
  "check",
  "fake",
  "senders",
];

export default defineConfig({
  resolve: { alias },
  test: {
    // At least two test files at a time, also on a 2-core machine (vitest's default there is one):
    // the tests hold on a loaded machine, and the suite waits on sockets and child processes more
    // than it computes.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run turns into its "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    projects: [
      // Unit and loopback-server tests of each feature. `isolate: false`: the files of one worker
      // share one module graph, so the sources are imported once per worker instead of once per
      // file (imports were half of the project's CPU time). These tests mock no modules, stub no
      // globals and use no fake timers; a test that needs to should go into another project.
      {
        extends: true,
        test: { name: "fast", include: FEATURES.map((f) => `test/${f}/**/*.test.ts`), exclude: ["**/*.property.test.ts"], isolate: false },
      },
      // fast-check properties: thousands of runs each.
      { extends: true, test: { name: "properties", include: ["test/**/*.property.test.ts"] } },
      // Type tests (*.test-d.ts: expectTypeOf, @ts-expect-error) and the messages of type errors.
      {
        extends: true,
        test: {
          name: "types",
          include: ["test/types/**/*.test.ts"],
          typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
        },
      },
      // Contract tests against Prism mocks of the bundled specs, started once for the project.
      { extends: true, test: { name: "mock", include: ["test/contract/**/*.test.ts"], globalSetup: ["test/support/prism-setup.ts"] } },
      // The rendered API reference in headless Chromium, and the code samples of the docs.
      { extends: true, test: { name: "docs", include: ["test/docs/**/*.test.ts"] } },
      // The bin's commands (fake, mock) as child processes; the mock tests start Prism.
      { extends: true, test: { name: "cli", include: ["test/cli/**/*.test.ts"] } },
      // The packed tarball, the generators that read the bundled specs, the 3.0 form.
      { extends: true, test: { name: "package", include: ["test/package/**/*.test.ts"], globalSetup: ["test/support/build-setup.ts"] } },
    ],
  },
});
