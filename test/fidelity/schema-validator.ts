// Validates payloads against the bundled specs with a JSON Schema 2020-12 validator (OpenAPI 3.1's
// schema dialect): request bodies, response bodies by status, and query strings by parameter.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import formats from "ajv-formats";

export type Service = "vbs" | "cbr";

interface Operation {
  method: string;
  path: string;
  op: Record<string, any>;
  pathItem: Record<string, any>;
}

export interface Verdict {
  valid: boolean;
  /** One line per problem: the JSON pointer in the payload and what is wrong there. */
  problems: string[];
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

/** One validator per bundled spec, compiling each schema once. */
export class SpecValidator {
  readonly spec: Record<string, any>;
  readonly #ajv: Ajv2020;
  readonly #id: string;
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #operations = new Map<string, Operation>();

  /**
   * `closed: true` validates against a copy of the spec in which every object schema that says
   * nothing about other properties refuses them (`unevaluatedProperties: false`), so that a
   * payload carrying a field the spec lacks is reported instead of passing unnoticed.
   */
  constructor(service: Service, options: { closed?: boolean } = {}) {
    const file = fileURLToPath(new URL(`../../generated/${service}.openapi.json`, import.meta.url));
    const spec = JSON.parse(readFileSync(file, "utf8"));
    this.spec = options.closed ? closeObjects(spec) : spec;
    this.#id = `https://otc-backup-api.invalid/${service}${options.closed ? "-closed" : ""}.json`;
    // strict: false lets OpenAPI's own keywords (example, discriminator, xml…) through.
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    // ajv-formats is CommonJS: its plugin is the default export of the default export.
    (formats as unknown as { default: (ajv: Ajv2020) => void }).default(this.#ajv);
    this.#ajv.addSchema({ ...this.spec, $id: this.#id });
    for (const [path, pathItem] of Object.entries<Record<string, any>>(this.spec.paths)) {
      for (const method of METHODS) {
        const op = pathItem[method];
        if (op?.operationId) this.#operations.set(op.operationId, { method, path, op, pathItem });
      }
    }
  }

  hasOperation(operationId: string): boolean {
    return this.#operations.has(operationId);
  }

  #operation(operationId: string): Operation {
    const found = this.#operations.get(operationId);
    if (!found) throw new Error(`no operation ${operationId}`);
    return found;
  }

  #validate(pointer: string, value: unknown): Verdict {
    const validate = this.#compiled.get(pointer) ?? this.#ajv.compile({ $ref: `${this.#id}#${pointer}` });
    this.#compiled.set(pointer, validate);
    const valid = validate(value) as boolean;
    return { valid, problems: valid ? [] : describe(validate.errors ?? []) };
  }

  /** The request body of an operation. */
  request(operationId: string, body: unknown): Verdict {
    const { method, path, op } = this.#operation(operationId);
    if (!op.requestBody?.content?.["application/json"]?.schema) return { valid: false, problems: [`${operationId} takes no JSON body`] };
    return this.#validate(`/paths/${escape(path)}/${method}/requestBody/content/application~1json/schema`, body);
  }

  /** A response body for one status. */
  response(operationId: string, status: number, body: unknown): Verdict {
    const { method, path, op } = this.#operation(operationId);
    const response = op.responses?.[String(status)];
    if (!response) return { valid: false, problems: [`${operationId} documents no ${status} response`] };
    const resolved = response.$ref ? resolveRef(this.spec, response.$ref) : response;
    if (!resolved.content?.["application/json"]?.schema) return { valid: false, problems: [`${operationId} ${status} has no JSON body`] };
    const pointer = response.$ref
      ? `${response.$ref.slice(1)}/content/application~1json/schema`
      : `/paths/${escape(path)}/${method}/responses/${status}/content/application~1json/schema`;
    return this.#validate(pointer, body);
  }

  /**
   * A query string given as an object (`{ name: value | [values] }`, values as sent on the wire,
   * i.e. strings): every name must be a declared query parameter, and every value must match its
   * schema after the usual coercion of numbers and booleans.
   */
  query(operationId: string, query: Record<string, string | string[]>): Verdict {
    const { method, path, op, pathItem } = this.#operation(operationId);
    const declared = new Map<string, { pointer: string; schema: Record<string, any> }>();
    const collect = (list: unknown[] | undefined, base: string) =>
      (list ?? []).forEach((entry, i) => {
        const ref = (entry as { $ref?: string }).$ref;
        const parameter = ref ? resolveRef(this.spec, ref) : (entry as Record<string, any>);
        const pointer = ref ? `${ref.slice(1)}/schema` : `${base}/${i}/schema`;
        if (parameter.in === "query") declared.set(parameter.name, { pointer, schema: parameter.schema });
      });
    collect(pathItem.parameters, `/paths/${escape(path)}/parameters`);
    collect(op.parameters, `/paths/${escape(path)}/${method}/parameters`);
    const problems: string[] = [];
    for (const [name, raw] of Object.entries(query)) {
      const parameter = declared.get(name);
      if (!parameter) {
        problems.push(`?${name}: not a query parameter of ${operationId}`);
        continue;
      }
      const value = coerce(raw, parameter.schema, (ref) => resolveRef(this.spec, ref));
      const verdict = this.#validate(parameter.pointer, value);
      problems.push(...verdict.problems.map((p) => `?${name}${p}`));
    }
    return { valid: problems.length === 0, problems };
  }
}

/** Adds `unevaluatedProperties: false` to every schema with `properties` and no rule of its own for others. */
function closeObjects(node: unknown): any {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, closeObjects(v)]));
  // A schema declares (or implies) type object; a `properties` map that merely has a property
  // called "properties" has no such `type` string.
  const objectType = out.type === undefined || out.type === "object" || (Array.isArray(out.type) && out.type.includes("object"));
  const isSchema = objectType && typeof out.properties === "object" && out.properties !== null && !("in" in out);
  if (isSchema && !("additionalProperties" in out) && !("unevaluatedProperties" in out)) out.unevaluatedProperties = false;
  return out;
}

function escape(path: string): string {
  return path.replace(/~/g, "~0").replace(/\//g, "~1");
}

function resolveRef(spec: Record<string, any>, ref: string): Record<string, any> {
  let current: any = spec;
  for (const part of ref.replace(/^#\//, "").split("/")) current = current?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  if (current === undefined) throw new Error(`unresolvable ${ref}`);
  return current.$ref ? resolveRef(spec, current.$ref) : current;
}

/** Turns wire strings into the JSON types the parameter's schema declares. */
function coerce(raw: string | string[], schema: Record<string, any>, resolve: (ref: string) => Record<string, any>): unknown {
  const s = schema.$ref ? resolve(schema.$ref) : schema;
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.includes("array")) {
    const values = Array.isArray(raw) ? raw : [raw];
    return values.map((v) => coerce(v, s.items ?? {}, resolve));
  }
  if (Array.isArray(raw)) return raw;
  if ((types.includes("integer") || types.includes("number")) && !types.includes("string") && /^-?\d+(\.\d+)?$/.test(raw))
    return Number(raw);
  if (types.includes("boolean") && !types.includes("string") && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

function describe(errors: ErrorObject[]): string[] {
  const seen = new Set<string>();
  for (const e of errors) {
    const extra =
      e.keyword === "additionalProperties"
        ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
        : e.keyword === "enum"
          ? ` (${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)})`
          : "";
    seen.add(`${e.instancePath || "/"} ${e.message ?? e.keyword}${extra}`);
  }
  return [...seen];
}
