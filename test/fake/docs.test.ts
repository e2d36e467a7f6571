// docs/fake.md shows the guide's worked tests exactly as they run in test/fake/guide/, with the
// package's public names where the files import the sources.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const asPublished = (code: string) =>
  code
    .replace('from "../../../src/index.js";', 'from "otc-backup-api";')
    .replace('from "../../../src/fake/index.js";', 'from "otc-backup-api/fake";')
    .trimEnd();

test.each(["backup-restore", "retries"])("docs/fake.md shows test/fake/guide/%s.test.ts as it runs", (name) => {
  const blocks = [...read("docs/fake.md").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.trimEnd());
  expect(blocks).toContain(asPublished(read(`test/fake/guide/${name}.test.ts`)));
});
