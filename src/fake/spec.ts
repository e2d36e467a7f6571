// The bundled specs as the fake reads them at run time: every operation with its route, its
// parameters, its request schema and its documented responses. The JSON files ship in the
// package (generated/*.openapi.json), next to src/ in a checkout and next to dist/ when built.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type ServiceName = "cbr" | "vbs";
export type Json = any; // the specs are untyped JSON documents

export interface SpecOperation {
  service: ServiceName;
  operationId: string;
  method: string;
  /** The path template, e.g. `/v3/{project_id}/vaults/{vault_id}`. */
  path: string;
  op: Json;
  pathItem: Json;
  /** Literal segments first: `/backups/detail` wins over `/backups/{backup_id}`. */
  literalSegments: number;
  pattern: RegExp;
  paramNames: string[];
}

export interface LoadedSpec {
  service: ServiceName;
  doc: Json;
  byId: Map<string, SpecOperation>;
  operations: SpecOperation[];
  resolve(node: Json): Json;
}

const METHODS = ["get", "put", "post", "delete", "patch"];
const cache = new Map<ServiceName, LoadedSpec>();

function specFile(service: ServiceName): string {
  // src/fake/spec.ts → ../../generated; dist/src/fake/spec.js → ../../../generated
  for (const up of ["../../", "../../../"]) {
    const file = fileURLToPath(new URL(`${up}generated/${service}.openapi.json`, import.meta.url));
    if (existsSync(file)) return file;
  }
  throw new Error(`fake: the bundled ${service} spec (generated/${service}.openapi.json) is missing from the package`);
}

export function loadSpec(service: ServiceName): LoadedSpec {
  const cached = cache.get(service);
  if (cached) return cached;
  const doc = JSON.parse(readFileSync(specFile(service), "utf8"));
  const resolve = (node: Json): Json => {
    let current = node;
    for (let hops = 0; current && typeof current === "object" && typeof current.$ref === "string" && hops < 20; hops++) {
      current = current.$ref
        .replace(/^#\//, "")
        .split("/")
        .reduce((at: Json, part: string) => at?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
    }
    return current;
  };
  const operations: SpecOperation[] = [];
  for (const [path, pathItem] of Object.entries<Json>(doc.paths)) {
    for (const method of METHODS) {
      const op = pathItem[method];
      if (!op?.operationId) continue;
      const paramNames: string[] = [];
      const segments = path.split("/").filter(Boolean);
      const source = segments
        .map((segment) => {
          const m = /^\{(.+)\}$/.exec(segment);
          if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          paramNames.push(m[1]!);
          return "([^/]+)";
        })
        .join("/");
      operations.push({
        service,
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        op,
        pathItem,
        literalSegments: segments.filter((s) => !s.startsWith("{")).length,
        pattern: new RegExp(`^/${source}/?$`),
        paramNames,
      });
    }
  }
  operations.sort((a, b) => b.literalSegments - a.literalSegments);
  const loaded: LoadedSpec = { service, doc, byId: new Map(operations.map((o) => [o.operationId, o])), operations, resolve };
  cache.set(service, loaded);
  return loaded;
}

/** The operation a request names, or why none: "path" (no such path) or "method" (path exists, method does not). */
export function matchOperation(
  spec: LoadedSpec,
  method: string,
  pathname: string,
): { operation: SpecOperation; params: Record<string, string> } | "path" | "method" {
  let pathKnown = false;
  for (const operation of spec.operations) {
    const m = operation.pattern.exec(pathname);
    if (!m) continue;
    pathKnown = true;
    if (operation.method !== method) continue;
    const params: Record<string, string> = {};
    operation.paramNames.forEach((name, i) => {
      params[name] = safeDecode(m[i + 1]!);
    });
    return { operation, params };
  }
  return pathKnown ? "method" : "path";
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A deep copy of the operation's documented success example (the shape every answer starts from). */
export function successExample(spec: LoadedSpec, operationId: string): Json {
  const operation = spec.byId.get(operationId);
  if (!operation) throw new Error(`fake: no operation ${operationId} in the ${spec.service} spec`);
  const status = Object.keys(operation.op.responses).find((s) => s.startsWith("2"))!;
  const media = spec.resolve(operation.op.responses[status])?.content?.["application/json"];
  if (!media) return undefined;
  let example = media.example ?? Object.values<Json>(media.examples ?? {})[0];
  example = spec.resolve(example);
  if (example && typeof example === "object" && "value" in example && media.example === undefined) example = example.value;
  return structuredClone(example);
}
