// Finding and reading clouds.yaml / secure.yaml (Node only: this is the one place that touches
// the file system, and the only user of the `yaml` package).
import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parse, type DocumentOptions, type ParseOptions, type ScalarTag, type SchemaOptions, type ToJSOptions } from "yaml";
import { ConfigError } from "./errors.js";
import { UnquotedScalar } from "./scalar.js";

/** A clouds.yaml is a few kilobytes; anything over this is the wrong file, or an attack on the parser. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

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

/** The file's text, refused when larger than MAX_CONFIG_FILE_BYTES (read at most one byte more). */
function readCapped(file: string, key: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(size, MAX_CONFIG_FILE_BYTES) + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (size > MAX_CONFIG_FILE_BYTES || length > MAX_CONFIG_FILE_BYTES) {
      throw new ConfigError(
        `${file} is larger than 1 MiB (${Math.max(size, length)} bytes): a clouds.yaml or secure.yaml is a few kilobytes`,
        key,
        file,
      );
    }
    return buffer.toString("utf8", 0, length);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as { code?: string }).code ?? "unreadable";
    throw new ConfigError(`${file} cannot be read (${code})`, key, file);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions;

/** Options under which every unquoted number, boolean or date is kept as an UnquotedScalar. */
function keepingSource(version: "1.1" | "1.2"): YamlOptions {
  return {
    prettyErrors: false,
    version,
    merge: true,
    customTags: (tags) =>
      tags.map((tag): (typeof tags)[number] => {
        if (typeof tag !== "object" || !("test" in tag) || tag.test === undefined) return tag;
        const scalarTag = tag as ScalarTag;
        const readAs = /:(int|float)$/.test(tag.tag)
          ? "number"
          : /:bool$/.test(tag.tag)
            ? "boolean"
            : /:timestamp$/.test(tag.tag)
              ? "date"
              : undefined;
        return readAs ? { ...scalarTag, resolve: (source: string) => new UnquotedScalar(source, readAs) } : tag;
      }),
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;

/** The YAML 1.2 reading, with the text YAML 1.1 would read as a number, boolean or date marked too. */
function markYaml11(v12: unknown, v11: unknown): unknown {
  if (typeof v12 === "string" && v11 instanceof UnquotedScalar) return v11;
  if (Array.isArray(v12) && Array.isArray(v11)) return v12.map((item, i) => markYaml11(item, v11[i]));
  if (isPlainObject(v12) && isPlainObject(v11)) {
    for (const key of Object.keys(v12)) v12[key] = markYaml11(v12[key], v11[key]);
  }
  return v12;
}

/** Reads a clouds/secure file and returns its `clouds` mapping, unquoted numbers and booleans kept as written. */
export function readCloudsFile(file: string, key: string): Record<string, unknown> {
  const text = readCapped(file, key);
  let doc: unknown;
  try {
    doc = parse(text, keepingSource("1.2"));
  } catch (error) {
    // YAML errors quote the offending source line, which may hold a password: report the position only.
    const offset = (error as { pos?: number[] }).pos?.[0];
    const line = typeof offset === "number" ? text.slice(0, offset).split("\n").length : undefined;
    const code = (error as { code?: string }).code ?? "syntax error";
    throw new ConfigError(`${file} is not valid YAML (${code}${line ? ` near line ${line}` : ""})`, key, file);
  }
  try {
    doc = markYaml11(doc, parse(text, keepingSource("1.1")));
  } catch {
    // what YAML 1.1 cannot read at all, the OpenStack tools refuse themselves
  }
  if (doc === null || doc === undefined) return {};
  const clouds = (doc as { clouds?: unknown }).clouds;
  if (typeof doc !== "object" || !isPlainObject(clouds)) {
    throw new ConfigError(`${file} has no \`clouds:\` mapping`, "clouds", file);
  }
  return clouds;
}

/** secure.yaml values over clouds.yaml values, mappings merged key by key. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = deepMerge(base[key], value);
  return merged;
}
