// A request against its operation: path, query and header parameters (wire strings, read as the
// types their schemas declare) and the JSON body.
import { operationValidators, run } from "./compiled.js";
import { jsonType, toIssues } from "./issues.js";
import type { SchemaIssue, ServiceName } from "./types.js";

export interface RequestParts {
  path?: Record<string, string>;
  query?: URLSearchParams | Record<string, unknown>;
  headers?: Headers;
  body?: unknown;
}

/** Checks one request of `operationId`; returns the disagreements (empty when it conforms). */
export function validateRequest(service: ServiceName, operationId: string, parts: RequestParts): SchemaIssue[] {
  const op = operationValidators(service, operationId, "validateRequest");
  const issues: SchemaIssue[] = [];
  const query = queryValues(parts.query);
  const declaredQuery = new Set<string>();
  for (const [where, name, required, index, kind] of op.request.parameters) {
    if (where === "query") declaredQuery.add(name);
    const raw =
      where === "path"
        ? parts.path?.[name]
        : where === "query"
          ? query.get(name)
          : where === "header"
            ? (parts.headers?.get(name) ?? undefined)
            : undefined;
    if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
      // Headers are checked only when given: the client sets its own (X-Auth-Token…) later.
      if (required && (where !== "header" || parts.headers))
        issues.push({ pointer: `${where}:${name}`, keyword: "required", expected: "a required parameter", actual: "missing" });
      continue;
    }
    const value = fromWire(raw, kind);
    issues.push(...toIssues(run(service, index, value), value, `${where}:${name}`));
  }
  for (const name of query.keys()) {
    if (!declaredQuery.has(name))
      issues.push({ pointer: `query:${name}`, keyword: "parameter", expected: "a declared query parameter", actual: "string" });
  }
  if (op.request.body) {
    const [index, required] = op.request.body;
    if (parts.body === undefined) {
      if (required) issues.push({ pointer: "", keyword: "body", expected: "a JSON body", actual: "missing" });
    } else issues.push(...toIssues(run(service, index, parts.body), parts.body));
  } else if (parts.body !== undefined && parts.body !== null) {
    issues.push({ pointer: "", keyword: "body", expected: "no body", actual: jsonType(parts.body) });
  }
  return issues;
}

function queryValues(query: RequestParts["query"]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!query) return out;
  if (query instanceof URLSearchParams) {
    for (const name of new Set(query.keys())) {
      const all = query.getAll(name);
      out.set(name, all.length === 1 ? all[0] : all);
    }
    return out;
  }
  for (const [name, value] of Object.entries(query)) if (value !== undefined) out.set(name, value);
  return out;
}

/** A wire string (or strings) as the JSON value its schema describes; typed values pass as they are. */
function fromWire(raw: unknown, kind: string): unknown {
  if (kind.startsWith("array:")) {
    const item = kind.slice(6);
    return (Array.isArray(raw) ? raw : [raw]).map((v) => fromWire(v, item));
  }
  if (Array.isArray(raw)) return raw.length === 1 ? fromWire(raw[0], kind) : raw;
  if (typeof raw !== "string") return raw;
  if (kind === "number" && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (kind === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}
