// Checks a request against its operation in the spec: path and query parameters, required
// headers, and the JSON body against the request schema (the JSON Schema keywords the specs use).
// The first problem found is reported as "<where>: <what is wrong>", which the fake puts in the
// service's own 400 body.
import type { Json, LoadedSpec, SpecOperation } from "./spec.js";

export interface RequestParts {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; undefined when none was sent. */
  body: unknown;
}

/** The first way the request breaks the spec, or undefined. */
export function checkRequest(spec: LoadedSpec, operation: SpecOperation, parts: RequestParts): string | undefined {
  const parameters = [...(operation.pathItem.parameters ?? []), ...(operation.op.parameters ?? [])].map(spec.resolve);
  for (const parameter of parameters) {
    const { name } = parameter;
    let raw: string | string[] | undefined;
    if (parameter.in === "path") raw = parts.params[name];
    else if (parameter.in === "query") {
      const all = parts.query.getAll(name);
      raw = all.length === 0 ? undefined : all.length === 1 ? all[0] : all;
    } else if (parameter.in === "header") raw = parts.headers[name.toLowerCase()];
    else continue;
    const where = `${parameter.in} parameter ${name}`;
    if (raw === undefined || raw === "") {
      if (parameter.required && parameter.in !== "header") return `${where} is required`;
      continue;
    }
    const schema = spec.resolve(parameter.schema ?? {});
    const problem = checkValue(spec, schema, coerce(spec, raw, schema), where);
    if (problem) return problem;
  }
  const media = spec.resolve(operation.op.requestBody)?.content?.["application/json"];
  if (media?.schema) {
    if (parts.body === undefined) return operation.op.requestBody.required === false ? undefined : "the request body is required";
    return checkValue(spec, spec.resolve(media.schema), parts.body, "body");
  }
  return undefined;
}

/** Wire strings to the JSON types the parameter's schema declares. */
function coerce(spec: LoadedSpec, raw: string | string[], schema: Json): unknown {
  const types = typesOf(schema);
  if (types.includes("array")) return (Array.isArray(raw) ? raw : raw.split(",")).map((v) => coerce(spec, v, spec.resolve(schema.items ?? {})));
  if (Array.isArray(raw)) return raw;
  if (!types.includes("string") && (types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (!types.includes("string") && types.includes("boolean") && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

function typesOf(schema: Json): string[] {
  return Array.isArray(schema?.type) ? schema.type : schema?.type ? [schema.type] : [];
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The first problem of `value` against `schema`, at `where` (a readable pointer). */
export function checkValue(spec: LoadedSpec, rawSchema: Json, value: unknown, where: string): string | undefined {
  const schema = spec.resolve(rawSchema);
  if (!schema || typeof schema !== "object") return undefined;
  for (const part of schema.allOf ?? []) {
    const problem = checkValue(spec, part, value, where);
    if (problem) return problem;
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const problems = alternatives.map((alt: Json) => checkValue(spec, alt, value, where));
    if (!problems.includes(undefined)) return problems[0];
  }
  const types = typesOf(schema);
  const actual = typeOf(value);
  if (types.length > 0 && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
    return `${where} must be ${types.join(" or ")}, not ${actual}`;
  }
  if ("const" in schema && value !== schema.const) return `${where} must be ${JSON.stringify(schema.const)}`;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return `${where} must be one of ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(", ")}, not ${JSON.stringify(value)}`;
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) return `${where} must have at least ${schema.minLength} characters`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${where} must have at most ${schema.maxLength} characters`;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) return `${where} must match ${schema.pattern}`;
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) return `${where} must be ≥ ${schema.minimum}, not ${value}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${where} must be ≤ ${schema.maximum}, not ${value}`;
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return `${where} must be > ${schema.exclusiveMinimum}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${where} must have at least ${schema.minItems} items`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${where} must have at most ${schema.maxItems} items`;
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        const problem = checkValue(spec, schema.items, value[i], `${where}[${i}]`);
        if (problem) return problem;
      }
    }
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (object[name] === undefined) return `${where}.${name} is required`;
    for (const [name, propertyValue] of Object.entries(object)) {
      const propertySchema = schema.properties?.[name];
      if (propertySchema) {
        const problem = checkValue(spec, propertySchema, propertyValue, `${where}.${name}`);
        if (problem) return problem;
      } else if (schema.additionalProperties === false) {
        return `${where}.${name} is not a known property`;
      } else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
        const problem = checkValue(spec, schema.additionalProperties, propertyValue, `${where}.${name}`);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}
