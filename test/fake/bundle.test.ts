// The fake is a subpath of its own: an application that imports the client's root bundles none
// of it (nor node:http).
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { expect, test } from "vitest";
import { packageImports } from "../support/package-imports.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("the client's root entry bundles no module of the fake", async () => {
  const { metafile } = await build({
    entryPoints: [`${root}src/index.ts`],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "browser",
    logLevel: "silent",
    external: ["openapi-fetch"],
    plugins: [packageImports("browser")],
  });
  const inputs = Object.keys(metafile.inputs);
  expect(inputs.length).toBeGreaterThan(10);
  expect(inputs.filter((file) => file.includes("src/fake/") || file.includes("node:"))).toEqual([]);
});
