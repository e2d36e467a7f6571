// Code samples for the API reference pages (`x-codeSamples`, which Redoc shows beside each
// operation), built from the spec alone: the operation's path, its path and required
// parameters with the values of the spec's examples, and its first request example as the body.
// One builder per language in SAMPLE_BUILDERS; each takes an operation's facts (see facts()).

const CLIENT_FACTORY = { vbs: "createVbsClient", cbr: "createCbrClient" };
const REGION = "eu-de";

/** The samples of one operation, in the order of SAMPLE_BUILDERS. */
export function codeSamples(doc, service, path, method, operation) {
  const operationFacts = facts(doc, service, path, method, operation);
  return SAMPLE_BUILDERS.map((build) => build(operationFacts));
}

const SAMPLE_BUILDERS = [typescriptByPath, typescriptByName, curl];

/**
 * What the builders need: the service ("vbs"), METHOD and path, the parameters to send (path
 * parameters, and required query and header parameters) with example values, and the body.
 */
function facts(doc, service, path, method, operation) {
  const item = doc.paths[path];
  const declared = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolve(doc, p));
  // An operation's own parameter overrides the path item's of the same name and location.
  const byKey = new Map(declared.map((p) => [`${p.in}:${p.name}`, p]));
  const parameters = { path: {}, query: {}, header: {} };
  for (const p of byKey.values()) {
    if (!(p.in in parameters) || !(p.in === "path" || p.required)) continue;
    parameters[p.in][p.name] = exampleOf(doc, p);
  }
  const media = resolve(doc, operation.requestBody ?? {}).content?.["application/json"];
  return {
    service,
    method: method.toUpperCase(),
    path,
    operationId: operation.operationId,
    parameters,
    body: media ? (firstExample(doc, media) ?? {}) : undefined,
    server: doc.servers?.[0]?.url.replace("{region}", REGION) ?? "",
  };
}

/** The call through this package's client, by path (project_id comes from the client). */
function typescriptByPath({ service, method, path, parameters, body }) {
  const params = parameterEntries(parameters);
  const init = [
    ...(params.length ? [`params: { ${params.map(([where, values]) => `${where}: ${inline(values)}`).join(", ")} }`] : []),
    ...(body !== undefined ? [`body: ${indent(tsLiteral(body), "  ")}`] : []),
  ];
  return typescript(
    "TypeScript",
    service,
    `${service}.${method}(${JSON.stringify(path)}${init.length ? `, {\n  ${init.join(",\n  ")},\n}` : ""})`,
  );
}

/** The same call by the operation's name, its parameters side by side with the body. */
function typescriptByName({ service, operationId, parameters, body }) {
  const init = [
    ...parameterEntries(parameters).map(([where, values]) => `${where}: ${inline(values)}`),
    ...(body !== undefined ? [`body: ${indent(tsLiteral(body), "  ")}`] : []),
  ];
  return typescript("TypeScript (by name)", service, `${service}.${operationId}(${init.length ? `{\n  ${init.join(",\n  ")},\n}` : ""})`);
}

/** The path (without project_id), query and header parameters that have values. */
function parameterEntries(parameters) {
  const { project_id: _, ...pathParams } = parameters.path;
  return Object.entries({ path: pathParams, query: parameters.query, header: parameters.header }).filter(([, v]) => Object.keys(v).length);
}

/** A TypeScript sample: the client's creation, then `call`. */
function typescript(label, service, call) {
  const factory = CLIENT_FACTORY[service];
  return {
    lang: "TypeScript",
    label,
    source: [
      `import { ${factory}, staticTokenAuth } from "otc-backup-api";`,
      ``,
      `const ${service} = ${factory}({`,
      `  region: "${REGION}",`,
      `  projectId: process.env.OS_PROJECT_ID!,`,
      `  auth: staticTokenAuth(process.env.OS_TOKEN!),`,
      `});`,
      ``,
      `const { data, error } = await ${call};`,
    ].join("\n"),
  };
}

/** The same request with curl, against the eu-de endpoint, token and project from the environment. */
function curl({ method, path, parameters, body, server }) {
  const url =
    server +
    path.replace(/\{([^}]+)\}/g, (_, name) =>
      name === "project_id" ? "$OS_PROJECT_ID" : encodeURIComponent(String(parameters.path[name] ?? `{${name}}`)),
    ) +
    query(parameters.query);
  const lines = [`curl${method === "GET" ? "" : ` -X ${method}`} "${url}"`, `-H "X-Auth-Token: $OS_TOKEN"`];
  for (const [name, value] of Object.entries(parameters.header)) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (body !== undefined) lines.push(`-H "Content-Type: application/json"`, `-d ${shellQuote(JSON.stringify(body, null, 2))}`);
  return { lang: "curl", label: "curl", source: lines.join(" \\\n  ") };
}

const query = (values) => {
  const search = new URLSearchParams(Object.entries(values).map(([k, v]) => [k, String(v)])).toString();
  return search ? `?${search}` : "";
};
const shellQuote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;
const indent = (text, by) => text.replaceAll("\n", `\n${by}`);
const propertyName = (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));
/** `{ vault_id: "…" }` on one line. */
const inline = (values) =>
  `{ ${Object.entries(values)
    .map(([k, v]) => `${propertyName(k)}: ${JSON.stringify(v)}`)
    .join(", ")} }`;
/** A JSON value as a TypeScript literal, two-space indented, keys bare where they are identifiers. */
function tsLiteral(value, depth = 0) {
  const pad = "  ".repeat(depth + 1);
  const close = "  ".repeat(depth);
  if (Array.isArray(value))
    return value.length ? `[\n${value.map((v) => `${pad}${tsLiteral(v, depth + 1)},`).join("\n")}\n${close}]` : "[]";
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length
      ? `{\n${entries.map(([k, v]) => `${pad}${propertyName(k)}: ${tsLiteral(v, depth + 1)},`).join("\n")}\n${close}}`
      : "{}";
  }
  return JSON.stringify(value);
}

/** Follows a local `$ref` (the bundles have no other kind). */
function resolve(doc, node) {
  let current = node;
  for (let hops = 0; current?.$ref && hops < 20; hops++) {
    current = current.$ref
      .replace(/^#\//, "")
      .split("/")
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((target, key) => target?.[key], doc);
  }
  return current ?? {};
}

/** A media type's first example (`example`, else the first of `examples`, else the schema's). */
function firstExample(doc, media) {
  if (media.example !== undefined) return media.example;
  const [first] = Object.values(media.examples ?? {});
  if (first) return resolve(doc, first).value;
  return schemaExample(doc, media.schema);
}

/** A parameter's example value, else its schema's example, default or first enum value. */
function exampleOf(doc, parameter) {
  if (parameter.example !== undefined) return parameter.example;
  const [first] = Object.values(parameter.examples ?? {});
  if (first) return resolve(doc, first).value;
  return schemaExample(doc, parameter.schema) ?? `{${parameter.name}}`;
}

function schemaExample(doc, schemaOrRef) {
  const schema = resolve(doc, schemaOrRef);
  return schema.example ?? schema.examples?.[0] ?? schema.default ?? schema.enum?.[0];
}
