// The error a mistake produces names the mistake: common wrong calls are compiled with the
// TypeScript API (the project's own compiler options), and each diagnostic must sit on the wrong
// argument or property and say what is wrong with it, not "No overload matches this call".
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PRELUDE = `import { createCbrClient, createVbsClient, paginate, staticTokenAuth, waitFor, waitForBackup, waitForJob } from "../../src/index.js";
const cbr = createCbrClient({ region: "eu-de", projectId: "p", auth: staticTokenAuth("t") });
const vbs = createVbsClient({ region: "eu-de", projectId: "p", auth: staticTokenAuth("t") });
void vbs;
`;

/** Each mistake: the call, the text the diagnostic must sit on, and what its message must say. */
const MISTAKES = {
  queryValueOfWrongType: {
    code: `void paginate(cbr, "/v3/{project_id}/backups", { params: { query: { status: "available" } } }, { maxItems: 50 });`,
    at: "status",
    // BackupStatus is an open enum (x-open-enum), so the filter's items are typed string.
    says: [/^Type 'string' is not assignable to type 'string\[\]'/],
  },
  unknownQueryParameter: {
    code: `void paginate(cbr, "/v3/{project_id}/vaults", { params: { query: { nmae: "prod" } } });`,
    at: "nmae",
    says: [/'nmae' does not exist in type/],
  },
  numberAsString: {
    code: `void paginate(cbr, "/v3/{project_id}/vaults", { params: { query: { offset: "10" } } });`,
    at: "offset",
    says: [/Type 'string' is not assignable to type 'number'/],
  },
  notAListOperation: {
    code: `void paginate(cbr, "/v3/{project_id}/vaults/{vault_id}");`,
    at: `"/v3/{project_id}/vaults/{vault_id}"`,
    says: [
      /Argument of type '"\/v3\/\{project_id\}\/vaults\/\{vault_id\}"' is not assignable to parameter of type '.*"\/v3\/\{project_id\}\/vaults"/,
    ],
  },
  misspeltBodyValue: {
    code: `void paginate(cbr, "/v3/{project_id}/vault/resource_instances/action", { body: { action: "filtr" } });`,
    at: "action",
    says: [/Did you mean '"filter"'\?/],
  },
  operationWithoutAsyncWork: {
    code: `void waitFor(cbr, "GET /v3/{project_id}/vaults", {});`,
    at: `"GET /v3/{project_id}/vaults"`,
    says: [/is not assignable to parameter of type '.*"POST \/v3\/\{project_id\}\/checkpoints"/],
  },
  waiterResultField: {
    code: `void waitForBackup(cbr, "b").then((backup) => backup.satus);`,
    at: "satus",
    says: [/Property 'satus' does not exist on type .*Did you mean 'status'\?/],
  },
  jobIdOfWrongType: {
    code: `void waitForJob(vbs, 42);`,
    at: "42",
    says: [/Argument of type 'number' is not assignable to parameter of type 'string'/],
  },
  byNameMisspeltKey: {
    code: `void cbr.listBackups({ qurey: { vault_id: "v" } });`,
    at: "qurey",
    says: [/Did you mean to write 'query'\?/],
  },
  byNameUnknownQueryParameter: {
    code: `void cbr.listVault({ query: { nmae: "prod" } });`,
    at: "nmae",
    says: [/'nmae' does not exist in type/],
  },
  byNameMissingPathParameters: {
    code: `void cbr.showVault({ throwOnError: true });`,
    at: "{ throwOnError: true }",
    says: [/Property 'path' is missing in type '\{ throwOnError: true; \}'/],
  },
  byNameProjectId: {
    code: `void vbs.showJob({ path: { job_id: "j", project_id: "p" } });`,
    at: "project_id",
    says: [/'project_id' does not exist in type/],
  },
  byNameUnknownOperation: {
    code: `void cbr.listBackup();`,
    at: "listBackup",
    says: [/Property 'listBackup' does not exist on type 'CbrClient'\. Did you mean 'listBackups'\?/],
  },
} as const;

type Found = { text: string; message: string };
const found = new Map<string, Found[]>();

beforeAll(() => {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error("tsconfig.json could not be read");
  const files = new Map(
    Object.entries(MISTAKES).map(([name, m]) => [join(root, "test", "types", `__mistake_${name}.ts`), `${PRELUDE + m.code}\n`]),
  );
  const host = ts.createCompilerHost(config.options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files.get(name) ?? read(name);
  host.fileExists = (name) => files.has(name) || exists(name);
  host.getSourceFile = (name, version, ...rest) => {
    const text = files.get(name);
    return text === undefined ? getSourceFile(name, version, ...rest) : ts.createSourceFile(name, text, version);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options: { ...config.options, noEmit: true }, host });
  for (const [file, text] of files) {
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(file));
    const name = file.slice(file.indexOf("__mistake_") + 10, -3);
    found.set(
      name,
      diagnostics.map((d) => ({
        text: d.start === undefined ? "" : text.slice(d.start, d.start + (d.length ?? 0)),
        message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      })),
    );
  }
}, 120_000);

describe("type errors point at the mistake", () => {
  it.each(Object.keys(MISTAKES) as Array<keyof typeof MISTAKES>)("%s", (name) => {
    const mistake = MISTAKES[name];
    const diagnostics = found.get(name) ?? [];
    expect(diagnostics, JSON.stringify(diagnostics)).toHaveLength(1);
    const [diagnostic] = diagnostics;
    expect(diagnostic!.text).toBe(mistake.at);
    for (const pattern of mistake.says) expect(diagnostic!.message).toMatch(pattern);
    expect(diagnostic!.message).not.toMatch(/No overload matches this call|pagination/);
  });
});
