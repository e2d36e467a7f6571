// The README's main example runs offline against the fake: password auth against the fake's IAM,
// the endpoint from the catalog, paginate, a call by name and a waiter. The only changes to the
// code as printed: the package name points at the sources, IAM's URL is the fake's, and the
// vault id is one the fake has.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, expect, test, vi } from "vitest";
import { createCbrClient, clientOptionsFromCatalog, passwordAuth, unwrap } from "../../src/index.js";
import { SERVER, serverVault, useFake } from "./support.js";

// Work settles at the first poll, so the example's waiter (on the real clock) never sleeps.
const fakeOf = useFake({ speed: 0, durations: { backupMs: 0 } });
const root = new URL("../../", import.meta.url);

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.OS_PASSWORD;
});

function readmeMainExample(): string {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const section = readme.slice(readme.indexOf("## Automating backups"));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error("the README's main example is missing");
  return code;
}

test("the README's main example runs against the fake", async () => {
  const { fake } = fakeOf();
  const code = readmeMainExample();
  const documentedVault = /vault_id: "([0-9a-f-]{36})"/.exec(code)![1]!;
  const setup = createCbrClient(await clientOptionsFromCatalog(passwordAuth(fake.credentials.password), { service: "cbr" }));
  const { vault } = unwrap(await setup.createVault({ body: serverVault("readme", [SERVER]) }));

  const runnable = code
    .replace(/from "otc-backup-api"/g, `from ${JSON.stringify(pathToFileURL(fileURLToPath(new URL("src/index.ts", root))).href)}`)
    .replace("passwordAuth({", `passwordAuth({ authUrl: ${JSON.stringify(fake.iam)},`)
    .replaceAll(documentedVault, vault.id);
  expect(runnable).toContain(fake.iam);
  const dir = fileURLToPath(new URL("test/fake/.scratch/", root));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}readme-main.ts`;
  writeFileSync(file, runnable);

  process.env.OS_PASSWORD = fake.credentials.password.password;
  const printed: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void printed.push(args.join(" ")));
  await import(/* @vite-ignore */ pathToFileURL(file).href);
  // No backups yet (the paginate loop prints none), then the restore point's final status.
  expect(printed).toEqual(["available"]);
});
