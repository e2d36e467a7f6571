// Which hashing implementation `#crypto` (package.json "imports") resolves to, asked of the real
// resolvers with the real package.json: Node, esbuild (for browsers, Node, Deno and Bun) and
// TypeScript. The targets are in dist/, which the tests do not build, so the resolvers run in a
// scratch package with the same "imports" and a stub at every target that names itself; each
// target is then mapped to its source, whose implementation is checked.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageImportsMap, scratchImportsPackage, sourceOfTarget } from "../support/package-imports.js";

const root = join(import.meta.dirname, "..", "..");
const targets = packageImportsMap["#crypto"]!;
const NODE = "./dist/src/auth/crypto-node.js";
const WEB = "./dist/src/auth/crypto-web.js";
const sourceOf = sourceOfTarget;

let scratch = "";
beforeAll(() => {
  scratch = scratchImportsPackage("#crypto");
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("#crypto targets", () => {
  it("name node:crypto under `node` and Web Crypto under every other condition", async () => {
    expect(Object.keys(targets).at(-1)).toBe("default");
    for (const [condition, target] of Object.entries(targets)) {
      const { signingCrypto } = (await import(pathToFileURL(sourceOf(target)).href)) as typeof import("../../src/auth/crypto-node.js");
      expect(signingCrypto.name, `${condition} → ${target}`).toBe(condition === "node" ? "node:crypto" : "web-crypto");
    }
  });
});

describe("#crypto resolves", () => {
  function node(...args: string[]) {
    const script = `import { target } from ${JSON.stringify(pathToFileURL(join(scratch, "entry.js")).href)}; console.log(target);`;
    const result = spawnSync(process.execPath, [...args, "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    return result.stdout.trim();
  }

  it("in Node to node:crypto (and to Web Crypto with --conditions=browser)", () => {
    expect(node()).toBe(NODE);
    expect(node("--conditions=browser")).toBe(WEB);
  });

  // What esbuild picks for the scratch entry, under the options of a bundle.
  async function esbuildPicks(options: BuildOptions): Promise<string> {
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
    expect(picked).toHaveLength(1);
    return `./${relative(scratch, join(process.cwd(), picked[0]!))}`;
  }

  it.each([
    ["a browser bundle", { platform: "browser" }, WEB],
    ["a platform-neutral bundle", { platform: "neutral" }, WEB],
    ["a Node bundle", { platform: "node" }, NODE],
    ["Deno (conditions deno, node)", { platform: "node", conditions: ["deno"] }, WEB],
    ["Bun (conditions bun, node)", { platform: "node", conditions: ["bun"] }, WEB],
  ] as Array<[string, BuildOptions, string]>)("in %s by esbuild", async (_, options, expected) => {
    expect(await esbuildPicks(options)).toBe(expected);
  });

  it.each([
    ["NodeNext", { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }, NODE],
    ["Bundler", { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }, WEB],
  ] as Array<[string, ts.CompilerOptions, string]>)("for TypeScript with moduleResolution %s", (_, options, expected) => {
    const { resolvedModule } = ts.resolveModuleName("#crypto", join(scratch, "entry.ts"), options, ts.sys);
    expect(resolvedModule && `./${relative(scratch, resolvedModule.resolvedFileName)}`).toBe(expected.replace(/\.js$/, ".d.ts"));
  });

  it.each([
    ["index.ts", "browser", WEB, "crypto-node.ts"],
    ["index.ts", "node", NODE, "crypto-web.ts"],
    ["node.ts", "node", NODE, "crypto-web.ts"],
  ] as const)("so that esbuild's bundle of src/%s for %s holds only its own implementation", async (entry, platform, expected, other) => {
    // The real entry (`.` or `./node`), with each `#` import (#crypto, #sender) answered by the
    // source of the target esbuild picks in the scratch package.
    let picked = "";
    const fromScratch: Plugin = {
      name: "imports-from-scratch",
      setup(b) {
        b.onResolve({ filter: /^#/ }, async (args) => {
          if (args.pluginData === "scratch") return undefined; // esbuild's own resolution, below
          const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: scratch, pluginData: "scratch" });
          const target = `./${relative(scratch, resolved.path)}`;
          if (args.path === "#crypto") picked = target;
          return { path: sourceOf(target) };
        });
      },
    };
    const result = await build({
      entryPoints: [join(root, "src", entry)],
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform,
      packages: "external",
      plugins: [fromScratch],
      logLevel: "silent",
    });
    expect(picked).toBe(expected);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((file) => file.endsWith(sourceOf(expected).slice(root.length + 1)))).toBe(true);
    expect(inputs.some((file) => file.endsWith(other))).toBe(false);
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    if (platform === "browser") expect(imports.filter((path) => path.startsWith("node:"))).toEqual([]);
    else expect(imports).toContain("node:crypto");
  });
});
