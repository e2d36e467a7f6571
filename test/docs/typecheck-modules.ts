// Type-checks snippets of TypeScript, each as a module of its own, against this package's
// sources imported by its public names ("otc-backup-api", "otc-backup-api/node", the specs), with
// the project's strict compiler options. One tsc run for all of them; errors come back by snippet.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Snippet {
  /** Where the snippet comes from ("README.md:42", "cbr listVault"): the key of its errors. */
  where: string;
  code: string;
}

/**
 * Errors by snippet (`line:column: error TSxxxx: …`, lines counted within the snippet); errors
 * in no snippet are under "(elsewhere)".
 */
export function typecheckModules(snippets: Snippet[]): Map<string, string[]> {
  // Inside the repository, so that node_modules and the sources resolve as they do for the
  // project; test-results/ is not committed.
  mkdirSync(join(root, "test-results"), { recursive: true });
  const work = mkdtempSync(join(root, "test-results", "typecheck-"));
  try {
    const byFile = new Map<string, Snippet>();
    snippets.forEach((snippet, index) => {
      const name = `snippet-${String(index).padStart(3, "0")}.ts`;
      writeFileSync(join(work, name), `// ${snippet.where}\n${snippet.code}\n`);
      byFile.set(name, snippet);
    });
    writeFileSync(
      join(work, "tsconfig.json"),
      JSON.stringify({
        extends: join(root, "tsconfig.json"),
        compilerOptions: {
          noEmit: true,
          moduleDetection: "force",
          paths: {
            "otc-backup-api": [join(root, "src", "index.ts")],
            "otc-backup-api/node": [join(root, "src", "node.ts")],
            "otc-backup-api/fake": [join(root, "src", "fake", "index.ts")],
            "otc-backup-api/validate": [join(root, "src", "validate", "index.ts")],
            "otc-backup-api/*": [join(root, "generated", "*")],
          },
        },
        include: ["*.ts"],
      }),
    );
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", join(work, "tsconfig.json"), "--pretty", "false"], {
      cwd: work,
      encoding: "utf8",
    });
    const errors = new Map<string, string[]>();
    const add = (key: string, message: string) => errors.set(key, [...(errors.get(key) ?? []), message]);
    for (const line of `${result.stdout}${result.stderr}`.split("\n").filter((l) => /error TS\d+/.test(l))) {
      const match = /^(snippet-\d+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
      // Line numbers less the header line point into the snippet.
      if (match && byFile.has(match[1]!)) add(byFile.get(match[1]!)!.where, `${Number(match[2]) - 1}:${match[3]}: ${match[4]}`);
      else add("(elsewhere)", line);
    }
    if (result.status !== 0 && errors.size === 0) add("(elsewhere)", `${result.stdout}${result.stderr}`);
    return errors;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
