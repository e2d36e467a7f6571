// Which sender `#sender` (package.json "imports") resolves to, asked of the real resolvers with the
// real package.json: Node, esbuild (browsers, Deno, Bun, Node) and TypeScript. The targets are in
// dist/, which the tests do not build, so the resolvers run in a scratch package with the same
// "imports" and a stub at every target that names itself; each target's source is then checked.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type BuildOptions } from "esbuild";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageImportsMap, scratchImportsPackage, sourceOfTarget } from "../support/package-imports.js";

const targets = packageImportsMap["#sender"]!;
const NODE = "./dist/src/pipeline/senders/node.js";
const FETCH = "./dist/src/pipeline/senders/fetch.js";
const sourceOf = sourceOfTarget;

let scratch = "";
beforeAll(() => {
  scratch = scratchImportsPackage("#sender");
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("#sender", () => {
  it("names the node sender under `node` and the fetch sender under every other condition", async () => {
    expect(Object.keys(targets).at(-1)).toBe("default");
    for (const [condition, target] of Object.entries(targets)) {
      const module = (await import(pathToFileURL(sourceOf(target)).href)) as Record<string, unknown>;
      expect(typeof module.defaultSender, `${condition} → ${target}`).toBe("function"); // a Sender
      expect(Object.keys(module), `${condition} → ${target}`).toContain(condition === "node" ? "nodeSender" : "fetchSender");
    }
  });

  it("resolves in Node to the node sender (and to the fetch sender with --conditions=browser)", () => {
    const node = (...args: string[]) => {
      const script = `import { target } from ${JSON.stringify(pathToFileURL(join(scratch, "entry.js")).href)}; console.log(target);`;
      const result = spawnSync(process.execPath, [...args, "--input-type=module", "-e", script], { encoding: "utf8" });
      expect(result.stderr).toBe("");
      return result.stdout.trim();
    };
    expect(node()).toBe(NODE);
    expect(node("--conditions=browser")).toBe(FETCH);
  });

  it.each([
    ["a browser bundle", { platform: "browser" }, FETCH],
    ["a platform-neutral bundle", { platform: "neutral" }, FETCH],
    ["a Node bundle", { platform: "node" }, NODE],
    ["Deno (conditions deno, node)", { platform: "node", conditions: ["deno"] }, FETCH],
    ["Bun (conditions bun, node)", { platform: "node", conditions: ["bun"] }, FETCH],
  ] as Array<[string, BuildOptions, string]>)("resolves in %s by esbuild", async (_, options, expected) => {
    const result = await build({
      ...options,
      entryPoints: [join(scratch, "entry.js")],
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      logLevel: "silent",
    });
    const picked = Object.keys(result.metafile.inputs).filter((file) => file.includes("dist/"));
    expect(picked.map((file) => `./${relative(scratch, join(process.cwd(), file))}`)).toEqual([expected]);
  });

  it("resolves for TypeScript with NodeNext to the node sender's types", () => {
    const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
    const { resolvedModule } = ts.resolveModuleName("#sender", join(scratch, "entry.ts"), options, ts.sys);
    expect(resolvedModule && `./${relative(scratch, resolvedModule.resolvedFileName)}`).toBe(NODE.replace(/\.js$/, ".d.ts"));
  });

  it("leaves the fetch sender's sources free of Node built-ins", async () => {
    const result = await build({
      entryPoints: [sourceOf(FETCH)],
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "browser",
      logLevel: "silent",
    });
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((path) => path.startsWith("node:"))).toEqual([]);
  });
});
