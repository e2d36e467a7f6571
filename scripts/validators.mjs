// Compiles the response and request validators of one bundled spec into a self-contained ES module
// (generated/<service>.validators.js): Ajv's standalone code for JSON Schema 2020-12, bundled with
// its few runtime helpers by esbuild, so that validating needs neither Ajv nor `eval` at run time.
//
// What is compiled is a slimmed copy of the spec: only schemas, without descriptions and examples
// (Ajv would embed them as constants), with two changes that make the validators report what
// `otc-backup-api check` needs without failing applications on additive changes:
// - objects are closed (`unevaluatedProperties: false` where the spec says nothing about other
//   properties), and the runtime reports an undeclared property as a notice, not an error;
// - `x-open-enum` enums are replaced by a keyword that never fails and records the value as a
//   notice (spec/EXTENSIONS.md: the service may add values to an open enum).
import { Ajv2020 } from "ajv/dist/2020.js";
import { _, or, stringify, strConcat } from "ajv/dist/compile/codegen/index.js";
import N from "ajv/dist/compile/names.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormats from "ajv-formats";
import { build } from "esbuild";
import { root } from "./project.mjs";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
/** Keywords that hold one schema, a list of schemas, or a map of schemas. */
const ONE = [
  "items",
  "additionalProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
];
const LIST = ["allOf", "anyOf", "oneOf", "prefixItems"];
const MAP = ["properties", "patternProperties", "$defs", "dependentSchemas"];
/** Single-schema keywords whose schema adds to its parent's rather than describing a value. */
const ADDING = new Set(["not", "if", "then", "else", "contains", "propertyNames"]);
/** Annotations only: dropped from the compiled copy. */
const ANNOTATIONS = new Set([
  "description",
  "title",
  "examples",
  "example",
  "externalDocs",
  "xml",
  "discriminator",
  "deprecated",
  "readOnly",
  "writeOnly",
  "default",
  "$comment",
]);
export const OPEN_ENUM_KEYWORD = "x-open-enum-values";

/**
 * The module text of one service's validators and the table that maps operations to them:
 * `{ [operationId]: { responses: { [status]: { body?: i, headers?: [[name, required, i]] } },
 *   request: { body?: [i, required], parameters: [[in, name, required, i, kind]] } } }`.
 */
export async function validatorsModule(service, spec) {
  const $id = `https://otc-backup-api.invalid/${service}-validators.json`;
  const defs = {};
  // Identical schemas (every response's X-Request-Id, the shared parameters) compile once.
  const seen = new Map();
  const add = (schema) => {
    const slimmed = slim(resolveRefs(spec, schema));
    const text = JSON.stringify(slimmed);
    if (!seen.has(text)) {
      seen.set(text, seen.size);
      defs[`s${seen.size - 1}`] = slimmed;
    }
    return seen.get(text);
  };
  const table = {};
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op?.operationId) continue;
      const responses = {};
      for (const [status, raw] of Object.entries(op.responses ?? {})) {
        const response = deref(spec, raw);
        const entry = {};
        const schema = response.content?.["application/json"]?.schema;
        if (schema) entry.body = add(schema);
        const headers = Object.entries(response.headers ?? {}).map(([name, h]) => {
          const header = deref(spec, h);
          return [name.toLowerCase(), header.required === true, add(header.schema ?? {})];
        });
        if (headers.length) entry.headers = headers;
        responses[status] = entry;
      }
      const request = { parameters: [] };
      const body = deref(spec, op.requestBody ?? {});
      const bodySchema = body.content?.["application/json"]?.schema;
      if (bodySchema) request.body = [add(bodySchema), body.required === true];
      const byName = new Map();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => deref(spec, p))) byName.set(`${p.in} ${p.name}`, p);
      for (const p of byName.values()) {
        const schema = deref(spec, p.schema ?? {});
        request.parameters.push([
          p.in,
          p.in === "header" ? p.name.toLowerCase() : p.name,
          p.required === true,
          add(p.schema ?? {}),
          wireKind(spec, schema),
        ]);
      }
      table[op.operationId] = { method, path, responses, request, ...(op["x-read-only"] === true ? { readOnly: true } : {}) };
    }
  }
  const components = { schemas: Object.fromEntries(Object.entries(spec.components?.schemas ?? {}).map(([k, v]) => [k, slim(v)])) };

  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    passContext: true,
    inlineRefs: false,
    messages: false,
    code: { source: true, esm: true, lines: false },
  });
  (addFormats.default ?? addFormats)(ajv);
  ajv.addKeyword({ keyword: OPEN_ENUM_KEYWORD, schemaType: "array", code: openEnumCode });
  ajv.addSchema({ $id, components, $defs: defs });
  const exports = Object.fromEntries(Object.keys(defs).map((key) => [key, `${$id}#/$defs/${key}`]));
  const standalone = standaloneCode.default ?? standaloneCode;
  // Nothing reads an error's schemaPath (issues name the place in the data): about a tenth of the code.
  const code = standalone(ajv, exports).replace(/schemaPath:"(?:[^"\\]|\\.)*",/g, "");
  const bundled = await build({
    stdin: { contents: code, resolveDir: root, sourcefile: `${service}.validators.js` },
    bundle: true,
    format: "esm",
    platform: "neutral",
    minify: true,
    legalComments: "none",
    write: false,
  });
  const count = Object.keys(defs).length;
  const body = bundled.outputFiles[0].text;
  return [
    `// Generated by scripts/generate.mjs from spec/${service} (Ajv standalone code, bundled); do not edit.`,
    body.replace(/export\s*\{[^}]*\};?\s*$/, ""),
    `export const validators = [${Array.from({ length: count }, (_, i) => exportedName(body, `s${i}`)).join(",")}];`,
    `export const operations = ${JSON.stringify(table)};`,
    ``,
  ].join("\n");
}

/** The local name esbuild gave the export `name` (minified bundles rename). */
function exportedName(code, name) {
  const block = code.match(/export\s*\{([^}]*)\}/)?.[1] ?? "";
  for (const part of block.split(",")) {
    const [local, exported] = part.trim().split(/\s+as\s+/);
    if ((exported ?? local) === name) return local;
  }
  throw new Error(`no export ${name} in the bundled validators`);
}

/** How a parameter travels, for turning wire strings into JSON values before validating. */
function wireKind(spec, schema) {
  const types = new Set([schema.type].flat().filter(Boolean));
  if (types.has("array")) return `array:${wireKind(spec, deref(spec, schema.items ?? {}))}`;
  if (types.has("string")) return "string";
  if (types.has("integer") || types.has("number")) return "number";
  if (types.has("boolean")) return "boolean";
  return "string";
}

function deref(spec, node) {
  let current = node;
  while (current?.$ref) {
    current = current.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce((at, part) => at?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
  }
  return current ?? {};
}

/** Operation-level schemas may point anywhere in the spec; inline everything but component schemas. */
function resolveRefs(spec, schema) {
  if (schema?.$ref && !schema.$ref.startsWith("#/components/schemas/")) return resolveRefs(spec, deref(spec, schema));
  return schema;
}

/**
 * A copy of a schema without annotations, with open enums relaxed and objects closed.
 * `closable`: whether this schema describes a value on its own (a property, an item, a component,
 * an alternative of anyOf/oneOf under a parent without properties). Subschemas that only add to
 * their parent (allOf branches, if/then/else, not, dependentSchemas) are never closed: they see
 * only their own properties, so closing them would refuse the parent's.
 */
function slim(schema, closable = true) {
  if (schema === true || schema === false || schema === null || typeof schema !== "object") return schema;
  const out = {};
  const ownProperties = typeof schema.properties === "object" && schema.properties !== null;
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || (key.startsWith("x-") && key !== "x-open-enum")) continue;
    if (ONE.includes(key)) out[key] = slim(value, !ADDING.has(key));
    else if (LIST.includes(key)) out[key] = value.map((branch) => slim(branch, key !== "allOf" && !ownProperties));
    else if (MAP.includes(key))
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, slim(v, key !== "dependentSchemas")]));
    else out[key] = value;
  }
  if (out["x-open-enum"] === true && Array.isArray(out.enum)) {
    out[OPEN_ENUM_KEYWORD] = out.enum.filter((v) => v !== null);
    // A nullable open enum keeps `null` through its type; the listed values become a notice.
    delete out.enum;
  }
  delete out["x-open-enum"];
  const objectType = out.type === undefined || out.type === "object" || (Array.isArray(out.type) && out.type.includes("object"));
  const describesProperties = ownProperties || Array.isArray(out.allOf);
  if (closable && objectType && describesProperties && !("additionalProperties" in out) && !("unevaluatedProperties" in out))
    out.unevaluatedProperties = false;
  return out;
}

/**
 * Never fails: a string outside the listed values is pushed onto `this.notices` (the validation
 * context passed by the runtime), with where it was found.
 */
function openEnumCode(cxt) {
  const { gen, data, schema, it } = cxt;
  const listed = gen.const("listed", stringify(schema));
  const notices = _`this && this.notices`;
  gen.if(_`typeof ${data} == "string" && !${listed}.includes(${data}) && ${notices}`, () =>
    gen.code(
      _`this.notices.push({instancePath: ${strConcat(N.default?.instancePath ?? N.instancePath, it.errorPath)}, listed: ${listed}, value: ${data}})`,
    ),
  );
  void or;
}

/** The declarations of a generated validators module (the same for both services). */
export function validatorsDeclarations(service) {
  return `// Generated by scripts/generate.mjs from spec/${service}; do not edit.
/** One compiled schema: Ajv's standalone validator. Call it with a context holding \`notices\`. */
export interface CompiledValidator {
  (this: { notices: OpenEnumNotice[] }, data: unknown): boolean;
  errors?: CompiledError[] | null;
}
/** A value of an open enum (x-open-enum) that the spec does not list. */
export interface OpenEnumNotice { instancePath: string; listed: readonly string[]; value: string }
/** Ajv's error object (without messages). */
export interface CompiledError { instancePath: string; keyword: string; params: Record<string, unknown> }
/** [header name in lower case, required, validator index] */
export type HeaderEntry = readonly [string, boolean, number];
/** [in, name (headers in lower case), required, validator index, how the wire string is read] */
export type ParameterEntry = readonly ["path" | "query" | "header" | "cookie", string, boolean, number, string];
export interface OperationValidators {
  method: string;
  path: string;
  responses: Record<string, { body?: number; headers?: readonly HeaderEntry[] }>;
  request: { body?: readonly [number, boolean]; parameters: readonly ParameterEntry[] };
  /** x-read-only: a POST that only reads (spec/EXTENSIONS.md). */
  readOnly?: true;
}
export declare const validators: readonly CompiledValidator[];
export declare const operations: Record<string, OperationValidators>;
`;
}
