// The OpenAPI 3.0 form of a bundled 3.1 spec, for the gateways and generators that read only 3.0.
// @apiture/openapi-down-convert does the bulk (`openapi: 3.0.3`, `type: [x, "null"]` ->
// `nullable`, `examples` -> `example`, `const` -> one-value `enum`, `$ref` with siblings ->
// `allOf`, `license.identifier` dropped). What it leaves that 3.0 cannot express is rewritten or
// dropped here, so that the result is valid 3.0. docs/specs.md ("OpenAPI 3.0 bundles") lists what is lost.
import { Converter } from "@apiture/openapi-down-convert";

// JSON Schema keywords newer than OpenAPI 3.0's schema object: dropped (they only narrow what is
// valid, so a 3.0 reader accepts a little more than the service does).
const NEWER_KEYWORDS = [
  "if",
  "then",
  "else",
  "dependentRequired",
  "dependentSchemas",
  "prefixItems",
  "contains",
  "minContains",
  "maxContains",
  "propertyNames",
  "patternProperties",
  "unevaluatedItems",
  "$defs",
  "contentSchema",
];

/** Returns the 3.0.3 form of `doc` (an OpenAPI 3.1 document without external references). */
export function toOpenApi30(doc) {
  // Through JSON: the converter leaves a marker property on some arrays (invisible in JSON).
  const converted = JSON.parse(JSON.stringify(new Converter(structuredClone(doc), { allOfTransform: true }).convert()));
  const { summary: _summary, ...info } = converted.info; // info.summary is 3.1-only
  if (doc.info.license?.identifier && !info.license?.url) {
    info.license = { ...info.license, url: `https://spdx.org/licenses/${doc.info.license.identifier}.html` };
  }
  // 3.0 ignores `nullable` without `type` (validators reject it), so a nullable reference also
  // states its target's type.
  const schemas = converted.components?.schemas ?? {};
  const typeOfRef = (ref) => schemas[ref.replace("#/components/schemas/", "")]?.type;
  const visit = (node) => visitSchemas(node, typeOfRef);
  return {
    ...converted,
    info,
    ...(converted.components ? { components: visit(converted.components) } : {}),
    paths: visit(converted.paths),
  };
}

// Values that are data (examples, defaults, enum values) or vendor extensions are kept as written.
const DATA_KEYS = new Set(["example", "examples", "default", "enum", "const"]);

/**
 * Rewrites the schemas in `node`. `names` marks a map from property names to schemas
 * (`properties`), whose keys are not keywords even when one is called `if`.
 */
function visitSchemas(node, typeOfRef, names = false) {
  if (Array.isArray(node)) return node.map((item) => visitSchemas(item, typeOfRef));
  if (node === null || typeof node !== "object") return node;
  let out = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      names || !(DATA_KEYS.has(key) || key.startsWith("x-")) ? visitSchemas(value, typeOfRef, !names && key === "properties") : value,
    ]),
  );
  if (names) return out;
  for (const keyword of NEWER_KEYWORDS) delete out[keyword];
  if (Array.isArray(out.type)) out = multiType(out);
  for (const key of ["anyOf", "oneOf"]) if (out[key]?.some(isNullBranch)) out = nullableAlternatives(out, key, typeOfRef);
  return out;
}

/**
 * `type: [integer, string]` (and with "null", which the converter leaves when there are two other
 * types) -> `anyOf` of one schema per type, each nullable when null was allowed.
 */
function multiType(schema) {
  const { type: types, ...rest } = schema;
  const nullable = types.includes("null");
  const others = types.filter((t) => t !== "null");
  if (others.length === 1) return { ...rest, type: others[0], ...(nullable ? { nullable: true } : {}) };
  return { ...rest, anyOf: others.map((type) => ({ type, ...(nullable ? { nullable: true } : {}) })) };
}

/** `{ type: "null" }`: the branch of an `anyOf`/`oneOf` that allows null (3.0 has no null type). */
const isNullBranch = (branch) => branch?.type === "null" && Object.keys(branch).every((k) => ["type", "title", "description"].includes(k));

/**
 * `anyOf: [X, { type: "null" }]` -> X with `nullable: true` (a `$ref` is wrapped in `allOf`, the
 * form 3.0 generators read as "nullable reference"); with several other branches, each becomes
 * nullable.
 */
function nullableAlternatives(schema, key, typeOfRef) {
  const { [key]: branches, ...rest } = schema;
  const typed = (ref) => (typeof typeOfRef(ref) === "string" ? { type: typeOfRef(ref) } : {});
  const nullable = (branch) => (branch.$ref ? { allOf: [branch], ...typed(branch.$ref), nullable: true } : { ...branch, nullable: true });
  const others = branches.filter((b) => !isNullBranch(b));
  if (others.length > 1) return { ...rest, [key]: others.map(nullable) };
  const [only] = others;
  if (only.$ref) return { ...rest, allOf: [...(rest.allOf ?? []), only], ...typed(only.$ref), nullable: true };
  return { ...only, ...rest, nullable: true };
}
