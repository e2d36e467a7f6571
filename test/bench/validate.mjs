// Figure (i): the cost of `otc-backup-api/validate`. A loopback call (the client's
// GET /v3/{project_id}/backups/{backup_id} against server.mjs, as in figure a) against
// validateResponse on the body it returns (≤ 5 % of the call, the typical body), in rounds; then
// the time per body of the largest bodies the specs allow: a listBackups page of 1,000 backups
// (the page limit) and a listVault page of 100 vaults with 50 resources each, built from the
// spec's own examples; and the subpath's size as an application bundles it (esbuild, minified,
// gzip level 9).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { distDir, distUrl, fmt, inRounds, median, now, root, spread, startServer, timeSequential } from "./lib.mjs";
import { BACKUP_ID, PROJECT } from "./requests.mjs";

export const TARGET = 0.05;

export async function measure({ rounds = 8, perRound = 2_000, warmup = 1_000, log = () => {} } = {}) {
  const { createCbrClient, staticTokenAuth } = await import(distUrl("src/index.js"));
  const { validateResponse } = await import(distUrl("src/validate/index.js"));
  const server = await startServer();
  try {
    const cbr = createCbrClient({
      endpoint: server.origin,
      projectId: PROJECT,
      auth: staticTokenAuth("MIIbenchTOKEN-not-a-real-token"),
      throwOnError: true,
    });
    const call = async () => (await cbr.GET("/v3/{project_id}/backups/{backup_id}", { params: { path: { backup_id: BACKUP_ID } } })).data;
    const body = await call();
    const validate = () => validateResponse("cbr", "showBackup", 200, body);
    await timeSequential(call, warmup);
    for (let i = 0; i < warmup * 10; i++) validate();
    const runs = await inRounds(
      {
        call: () => () => timeSequential(call, perRound),
        validate: () => () => {
          for (let i = 0; i < perRound; i++) validate();
        },
      },
      rounds,
      (round) => log(`  (i) round ${round + 1}/${rounds}`),
    );
    const ratios = runs.call.map((c, i) => runs.validate[i].ms / c.ms);
    const callUs = (median(runs.call.map((r) => r.ms)) / perRound) * 1000;
    const validateUs = (median(runs.validate.map((r) => r.ms)) / perRound) * 1000;
    const large = largestBodies(validateResponse);
    const size = await bundleSize();
    return {
      value: median(ratios),
      pass: median(ratios) <= TARGET,
      detail: {
        callUs,
        validateUs,
        bodyBytes: JSON.stringify(body).length,
        issues: validate().length,
        spread: spread(ratios),
        rounds,
        perRound,
        large,
        size,
      },
    };
  } finally {
    await server.stop();
  }
}

/** Time per body of the largest pages, from the spec's examples multiplied. */
function largestBodies(validateResponse) {
  const spec = JSON.parse(readFileSync(join(root, "generated", "cbr.openapi.json"), "utf8"));
  const example = (path, name) =>
    Object.values(spec.paths[path].get.responses["200"].content["application/json"].examples)[0].value[name][0];
  const backup = example("/v3/{project_id}/backups", "backups");
  const vault = example("/v3/{project_id}/vaults", "vaults");
  const resource = {
    id: "23a320a5-3efd-4568-b1aa-8dd9183cc64c",
    name: "ecs-1",
    type: "OS::Nova::Server",
    protect_status: "available",
    size: 40,
    backup_size: 0,
    backup_count: 0,
  };
  const bodies = {
    "listBackups, 1,000 backups": ["listBackups", { backups: Array.from({ length: 1000 }, () => backup), count: 1000 }],
    "listVault, 100 vaults × 50 resources": [
      "listVault",
      { vaults: Array.from({ length: 100 }, () => ({ ...vault, resources: Array.from({ length: 50 }, () => resource) })), count: 100 },
    ],
  };
  return Object.entries(bodies).map(([name, [operationId, body]]) => {
    const issues = validateResponse("cbr", operationId, 200, body).length;
    for (let i = 0; i < 5; i++) validateResponse("cbr", operationId, 200, body);
    const n = 20;
    const start = now();
    for (let i = 0; i < n; i++) validateResponse("cbr", operationId, 200, body);
    return { name, bytes: JSON.stringify(body).length, ms: (now() - start) / n, issues };
  });
}

/** `otc-backup-api/validate` as an application bundles it (openapi-fetch external: the client brings it). */
async function bundleSize() {
  const { outputFiles } = await build({
    entryPoints: [join(distDir, "src", "validate", "index.js")],
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "browser",
    external: ["openapi-fetch"],
    logLevel: "silent",
  });
  const bytes = outputFiles[0].contents;
  return { minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

export const describeResult = (r) =>
  `validateResponse on the call's ${r.detail.bodyBytes}-byte body ${fmt(r.detail.validateUs, 1)} µs (${r.detail.issues} issues), the client's loopback GET ${fmt(r.detail.callUs, 1)} µs ` +
  `(median of ${r.detail.rounds} rounds × ${r.detail.perRound.toLocaleString("en")}; round ratios ${r.detail.spread}); largest bodies: ` +
  r.detail.large.map((l) => `${l.name} (${fmt(l.bytes / 1000, 0)} kB) ${fmt(l.ms, 2)} ms per body, ${l.issues} issues`).join("; ") +
  `; otc-backup-api/validate bundled: ${fmt(r.detail.size.minified / 1000, 1)} kB minified, ${fmt(r.detail.size.gzip / 1000, 1)} kB gzip (both specs)`;
