// Finding and reading clouds.yaml / secure.yaml (Node only: this is the one place that touches
// the file system, and the only user of the `yaml` package).
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { ConfigError } from "./errors.js";

export interface SearchOptions {
  /** Directory searched first (default: the current directory). */
  cwd?: string | undefined;
  /** Home directory for `~/.config/openstack` (default: os.homedir()). */
  home?: string | undefined;
  /** Replaces the whole search path (default: cwd, ~/.config/openstack, /etc/openstack). */
  searchDirs?: readonly string[] | undefined;
}

export function searchDirs(options: SearchOptions): string[] {
  if (options.searchDirs) return [...options.searchDirs];
  return [resolve(options.cwd ?? process.cwd()), join(options.home ?? homedir(), ".config", "openstack"), "/etc/openstack"];
}

/** The first existing `<base>.yaml|.yml|.json` along the search path, or undefined. */
export function findFile(base: "clouds" | "secure", dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    for (const ext of ["yaml", "yml", "json"]) {
      const candidate = join(dir, `${base}.${ext}`);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Reads a clouds/secure file and returns its `clouds` mapping. */
export function readCloudsFile(file: string, key: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unreadable";
    throw new ConfigError(`${file} cannot be read (${code})`, key, file);
  }
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: false });
  } catch (error) {
    // YAML errors quote the offending source line, which may hold a password: report the position only.
    const offset = (error as { pos?: number[] }).pos?.[0];
    const line = typeof offset === "number" ? text.slice(0, offset).split("\n").length : undefined;
    const code = (error as { code?: string }).code ?? "syntax error";
    throw new ConfigError(`${file} is not valid YAML (${code}${line ? ` near line ${line}` : ""})`, key, file);
  }
  if (doc === null || doc === undefined) return {};
  const clouds = (doc as { clouds?: unknown }).clouds;
  if (typeof doc !== "object" || clouds === null || typeof clouds !== "object" || Array.isArray(clouds)) {
    throw new ConfigError(`${file} has no \`clouds:\` mapping`, "clouds", file);
  }
  return clouds as Record<string, unknown>;
}

/** secure.yaml values over clouds.yaml values, mappings merged key by key. */
export function deepMerge(base: unknown, over: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = deepMerge(base[key], value);
  return merged;
}
