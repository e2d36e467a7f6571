// Figure (d): min+gzip size of the browser entry (dist/src/index.js: the clients, auth, pagination,
// waiters, errors, retries, config from an environment object; no types), bundled with its
// runtime dependency openapi-fetch by esbuild for the browser, gzip -9. Also: the same without
// pagination and waiters, and the smallest useful import (one client, one auth strategy).
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { distDir } from "./lib.mjs";

export const TARGET_BYTES = 8 * 1024;

async function bundle(contents) {
  const result = await build({
    stdin: { contents, resolveDir: join(distDir, "src"), sourcefile: "bench-entry.js", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/** The names index.js exports, read from its export statements. */
function exportedNames() {
  const source = readFileSync(join(distDir, "src", "index.js"), "utf8");
  const names = [];
  for (const m of source.matchAll(/export\s*\{([^}]*)\}\s*from/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) names.push(name);
    }
  }
  return names;
}

export async function measure() {
  const full = await bundle(`export * from "./index.js";`);
  const helpers = /^(paginate|paginatePages|waitFor\w*)$/;
  const rest = exportedNames().filter((n) => !helpers.test(n));
  const noHelpers = await bundle(`export { ${rest.join(", ")} } from "./index.js";`);
  const minimal = await bundle(`export { createCbrClient, staticTokenAuth } from "./index.js";`);
  const clientHelpers = await bundle(
    `export { createCbrClient, createVbsClient, staticTokenAuth, paginate, paginatePages, waitFor, waitForJob, waitForBackup, waitForCheckpoint, waitForVaultResources, waitForTask, OtcApiError, isOtcApiError, unwrap, retryPolicy } from "./index.js";`,
  );
  const fetchOnly = await bundle(`export { default } from "openapi-fetch";`);
  return {
    value: full.gzip,
    pass: full.gzip <= TARGET_BYTES,
    detail: { full, noHelpers, minimal, clientHelpers, openapiFetch: fetchOnly },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measure());
