// Figure (e): wall time of `npm run generate` (bundle both specs to JSON and YAML with Redocly,
// openapi-typescript types, operation metadata), written to a temporary directory so that the
// committed generated/ is not touched. No target; median of a few runs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt, median, now, root } from "./lib.mjs";

export async function measure({ runs = 3, log = () => {} } = {}) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const times = [];
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), "otc-bench-generate-"));
    try {
      const start = now();
      execFileSync(npm, ["run", "--silent", "generate", "--", "--out", out], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
      times.push(now() - start);
      const files = readdirSync(out).length;
      if (files < 8) throw new Error(`npm run generate wrote ${files} files`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    log(`  run ${i + 1}: ${fmt(times.at(-1) / 1000, 2)} s`);
  }
  return { value: median(times) / 1000, pass: undefined, detail: { runsS: times.map((t) => t / 1000) } };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measure({ log: console.log }));
