// Turns the compiled validators' errors into SchemaIssues: where, what the spec says, what came.
import type { CompiledError, OpenEnumNotice, RunResult } from "./compiled.js";
import type { SchemaIssue } from "./types.js";

/** The JSON type of a value, as JSON Schema names it. */
export function jsonType(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

export function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === "") return data;
  let current: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const escapeToken = (token: string) => token.replace(/~/g, "~0").replace(/\//g, "~1");
const isScalar = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);
const list = (values: unknown) => (Array.isArray(values) ? values : [values]).map((v) => JSON.stringify(v)).join(", ");

/** Every error and notice of one validation, with pointers prefixed by `prefix`. */
export function toIssues(result: RunResult, data: unknown, prefix = ""): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  // An `if` that held reports "must match then" beside the `then` branch's own errors, which say it.
  for (const error of collapseAlternatives(result.errors.filter((e) => e.keyword !== "if"))) issues.push(fromError(error, data, prefix));
  for (const notice of result.notices) issues.push(fromNotice(notice, prefix));
  return dedupe(issues);
}

function fromError(error: CompiledError & { alternatives?: string[] }, data: unknown, prefix: string): SchemaIssue {
  const p = error.params;
  let pointer = error.instancePath;
  let expected: string;
  let notice = false;
  switch (error.keyword) {
    case "required":
      pointer += `/${escapeToken(String(p.missingProperty))}`;
      expected = "a required property";
      break;
    case "unevaluatedProperties":
    case "additionalProperties":
      pointer += `/${escapeToken(String(p.unevaluatedProperty ?? p.additionalProperty))}`;
      expected = "no such property";
      // Closed by the generator (not by the spec): an addition the service may make.
      notice = error.keyword === "unevaluatedProperties";
      break;
    case "type":
      expected = [p.type].flat().join(" or ");
      break;
    case "enum":
      expected = `one of ${list(p.allowedValues)}`;
      break;
    case "const":
      expected = JSON.stringify(p.allowedValue);
      break;
    case "format":
      expected = `format ${String(p.format)}`;
      break;
    case "pattern":
      expected = `pattern ${String(p.pattern)}`;
      break;
    case "anyOf":
    case "oneOf":
      expected = error.alternatives?.length
        ? error.alternatives.join(" or ")
        : `${error.keyword === "oneOf" ? "exactly one" : "one"} of the alternatives`;
      break;
    default:
      expected = `${error.keyword}${p.limit !== undefined ? ` ${String(p.limit)}` : ""}`;
  }
  const value = valueAt(data, pointer);
  const issue: SchemaIssue = { pointer: prefix + pointer, keyword: error.keyword, expected, actual: jsonType(value) };
  if (value !== undefined && isScalar(value)) issue.value = value;
  if (notice) issue.notice = true;
  return issue;
}

function fromNotice(notice: OpenEnumNotice, prefix: string): SchemaIssue {
  return {
    pointer: prefix + notice.instancePath,
    keyword: "x-open-enum",
    expected: `one of ${list(notice.listed)} (open enum)`,
    actual: "string",
    value: notice.value,
    notice: true,
  };
}

/**
 * An alternative (anyOf/oneOf) that failed reports each branch's error at the same place, then
 * its own: one issue per place reads better, naming what the branches expected.
 */
function collapseAlternatives(errors: CompiledError[]): (CompiledError & { alternatives?: string[] })[] {
  const places = new Set(errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.instancePath));
  if (places.size === 0) return errors;
  const alternatives = new Map<string, string[]>();
  const kept: (CompiledError & { alternatives?: string[] })[] = [];
  for (const e of errors) {
    if (
      places.has(e.instancePath) &&
      e.keyword !== "anyOf" &&
      e.keyword !== "oneOf" &&
      e.keyword !== "required" &&
      e.keyword !== "unevaluatedProperties"
    ) {
      const found = alternatives.get(e.instancePath) ?? [];
      const said =
        e.keyword === "type"
          ? [e.params.type].flat().join(" or ")
          : e.keyword === "enum"
            ? `one of ${list(e.params.allowedValues)}`
            : e.keyword === "const"
              ? JSON.stringify(e.params.allowedValue)
              : `${e.keyword}`;
      if (!found.includes(said)) found.push(said);
      alternatives.set(e.instancePath, found);
      continue;
    }
    kept.push(e);
  }
  return kept.map((e) =>
    e.keyword === "anyOf" || e.keyword === "oneOf" ? { ...e, alternatives: alternatives.get(e.instancePath) ?? [] } : e,
  );
}

function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.pointer}\u0000${i.keyword}\u0000${i.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
