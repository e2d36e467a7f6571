// The examples of the waiters and pagination guides run against the fake, as printed but for
// what a snippet cannot know: its `declare const` values come from the fake (a project, its
// credentials, a vault with a backup, a disk), and `region: "eu-de"` becomes the fake's endpoint.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, test, vi } from "vitest";
import { unwrap, waitForCheckpoint } from "../../src/index.js";
import { SERVER, clientsOf, serverVault, useFake } from "./support.js";

// Work settles at the first poll, so waiters on the real clock hardly wait.
const fakeOf = useFake({ speed: 0, durations: { backupMs: 0, restoreMs: 0, deleteMs: 0, replicateMs: 0 } });
const root = new URL("../../", import.meta.url);
const scratch = fileURLToPath(new URL("test/fake/.scratch/", root));
const source = pathToFileURL(fileURLToPath(new URL("src/index.ts", root))).href;

function blocks(guide: string): string[] {
  return [...readFileSync(new URL(guide, root), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** A snippet as a module that runs against the fake. */
function runnable(code: string): string {
  return code
    .replace(/from "otc-backup-api"/g, `from ${JSON.stringify(source)}`)
    .replace(
      /declare const ([^;]+);/g,
      (_, list: string) =>
        `const { ${list
          .split(",")
          .map((d) => d.split(":")[0]!.trim())
          .join(", ")} } = (globalThis as any).__guide;`,
    )
    .replace(
      /create(Cbr|Vbs)Client\(\{ region: "eu-de",/g,
      (_, s: string) => `create${s}Client({ endpoint: (globalThis as any).__guide.endpoints.${s.toLowerCase()},`,
    );
}

beforeAll(async () => {
  const { fake } = fakeOf();
  const { auth, cbr, vbs } = await clientsOf(fake);
  const { vault } = unwrap(await cbr.createVault({ body: serverVault("prod", [SERVER]) }));
  const { checkpoint } = unwrap(await cbr.createCheckpoint({ body: { checkpoint: { vault_id: vault.id } } }));
  await waitForCheckpoint(cbr, checkpoint.id, { clock: fake.clock });
  const [backup] = unwrap(await cbr.listBackups({ query: { vault_id: vault.id } })).backups;
  (globalThis as Record<string, unknown>).__guide = {
    projectId: fake.projectId,
    auth,
    token: await auth.getToken(),
    cbr,
    vbs,
    vault_id: vault.id,
    backupId: backup!.id,
    volume_id: "2748f2f2-4394-4e6e-af8d-8dd34496c024",
    endpoints: { cbr: fake.cbr, vbs: fake.vbs },
  };
  mkdirSync(scratch, { recursive: true });
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
  delete (globalThis as Record<string, unknown>).__guide;
});

for (const guide of ["docs/waiters.md", "docs/pagination.md"]) {
  describe(guide, () => {
    blocks(guide).forEach((code, i) => {
      test(`example ${i + 1} runs against the fake`, async () => {
        const file = `${scratch}${guide.replace(/\W/g, "-")}-${i + 1}.ts`;
        writeFileSync(file, runnable(code));
        await import(/* @vite-ignore */ pathToFileURL(file).href);
      });
    });
  });
}
