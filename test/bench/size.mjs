// Figure (d): min+gzip size of what an application bundles from the package root
// (dist/src/index.js), with its runtime dependency openapi-fetch, by esbuild for the browser
// (`#crypto` is then the Web Crypto implementation), gzip -9, for three selections: the whole
// root, a typical application, and the smallest useful import. Each with its largest inputs
// (esbuild's metafile: minified bytes per module). Also openapi-fetch alone and
// otc-backup-api/advanced. kB = 1,000 bytes.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { join, relative } from "node:path";
import { distDir } from "./lib.mjs";

const SELECTIONS = [
  { name: "whole root", contents: `export * from "./index.js";`, target: 15_000 },
  {
    name: "typical app",
    what: "createCbrClient, passwordAuth, paginate, waitForBackup, OtcApiError",
    contents: `export { createCbrClient, passwordAuth, paginate, waitForBackup, OtcApiError } from "./index.js";`,
    target: 10_000,
  },
  {
    name: "client + token",
    what: "createCbrClient, staticTokenAuth",
    contents: `export { createCbrClient, staticTokenAuth } from "./index.js";`,
    target: 6_000,
  },
];

/** Bundles `contents` (an entry module inside dist/src); its sizes and largest inputs. */
async function bundle(contents, largest = 5) {
  const result = await build({
    stdin: { contents, resolveDir: join(distDir, "src"), sourcefile: "bench-entry.js", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
    .map(([file, { bytesInOutput }]) => ({
      file: file.includes("node_modules/")
        ? file.replace(/.*node_modules\/([^/]+)\/.*/, "$1")
        : relative(distDir, join(process.cwd(), file)),
      bytes: bytesInOutput,
    }))
    .filter(({ bytes }) => bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, largest: inputs.slice(0, largest) };
}

export async function measure() {
  const values = [];
  for (const selection of SELECTIONS) {
    const sizes = await bundle(selection.contents);
    values.push({
      name: selection.name,
      value: sizes.gzip,
      target: selection.target,
      pass: sizes.gzip <= selection.target,
      detail: { ...sizes, what: selection.what },
    });
  }
  const openapiFetch = await bundle(`export { default } from "openapi-fetch";`, 0);
  const advanced = await bundle(`export * from "./advanced.js";`, 0);
  return { values, detail: { openapiFetch, advanced } };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await measure(), null, 2));
