// The offline API reference pages (`npm run docs`) in a real browser: Debian's chromium driven by
// playwright-core, every request that is not file:// blocked and recorded. Each page must render
// with no console error and no request off the machine, and show every operation of its spec:
// its method + path in the overview, and its own section, titled with its summary, with its three
// code samples (TypeScript through this package's client by path and by name, and curl) when
// opened. Searching the page for an operationId lists that operation first, with excerpts that
// keep the spaces between words; no rendered text shows Markdown marks. Screenshots go to
// test-results/screenshots/.
//
// Runs when /usr/bin/chromium (or OTC_CHROMIUM) exists; skipped without it except in CI, where a
// missing browser is a failure. OTC_TEST_SPEC_DIR renders bundles from another folder.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const executablePath = process.env.OTC_CHROMIUM ?? "/usr/bin/chromium";
const hasChromium = existsSync(executablePath);
const inCi = Boolean(process.env.CI);
const specDir = resolve(process.env.OTC_TEST_SPEC_DIR ?? join(root, "generated"));
const screenshots = join(root, "test-results", "screenshots");
const MENU_ITEM = '[data-component-name="Menu/MenuItem"]';
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

// Chromium flags: no sandbox (root in a container), no GPU, and none of
// Chromium's own background traffic (updates, sync, QUIC probes). playwright-core adds --headless
// and a fresh temporary --user-data-dir for every launch.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

interface Operation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  deprecated: boolean;
}

function operationsOf(service: string): Operation[] {
  const doc = JSON.parse(readFileSync(join(specDir, `${service}.openapi.json`), "utf8")) as {
    paths: Record<string, Record<string, { operationId: string; summary?: string; deprecated?: boolean }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({
      method: m.toUpperCase(),
      path,
      operationId: item[m]!.operationId,
      summary: item[m]!.summary ?? item[m]!.operationId,
      deprecated: item[m]!.deprecated === true,
    })),
  );
}

function tagsOf(service: string): string[] {
  const doc = JSON.parse(readFileSync(join(specDir, `${service}.openapi.json`), "utf8")) as { tags?: { name: string }[] };
  return (doc.tags ?? []).map((t) => t.name);
}

/** Opens a page with everything but file:// blocked; collects what it tried and what it logged. */
async function open(browser: Browser, file: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: "block" });
  const page = await context.newPage();
  const offMachine: string[] = [];
  const errors: string[] = [];
  const local = (url: string) => url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:");
  await context.route(
    (url) => !local(url.href),
    (route) => {
      offMachine.push(route.request().url());
      return route.abort("blockedbyclient");
    },
  );
  page.on("request", (request) => {
    if (!local(request.url()) && !offMachine.includes(request.url())) offMachine.push(request.url());
  });
  page.on("websocket", (ws) => offMachine.push(ws.url()));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console.error: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  await page.addInitScript(RAW_MARKDOWN);
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, offMachine, errors, close: () => context.close() };
}

/**
 * Defines `rawMarkdown(root)` in the page: the texts under `root` that show Markdown marks (code
 * backticks, `**`, `](`) outside code blocks, code spans and the code samples.
 */
const RAW_MARKDOWN = `window.rawMarkdown = (root) => {
  const found = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement?.closest("script, style, pre, code, [data-testid=source-code], [data-component-name*=CodeBlock], [data-component-name*=JsonViewer]")) continue;
    if (/\`|\\*\\*|\\]\\(/.test(node.textContent)) found.push(node.textContent.trim().slice(0, 120));
  }
  return found;
};`;

interface Listed {
  /** "GET /v3/{project_id}/backups" */
  key: string;
  /** The operation's route in the page, e.g. "#/backups/listbackups". */
  href: string;
}

/**
 * The overview's operation lists (METHOD + path and link), tag section by tag section. Redoc
 * renders only the sections near the viewport, so each is scrolled to first; "Show N more..." is
 * opened.
 */
async function overviewOperations(page: Page): Promise<Listed[]> {
  const sections = await page
    .locator("[data-section-id]")
    .evaluateAll((nodes) => [...new Set(nodes.map((n) => n.getAttribute("data-section-id") ?? "/"))].filter((id) => id !== "/"));
  const listed: Listed[] = [];
  for (const id of sections) {
    const section = `[data-section-id="${id}"]`;
    await page.evaluate((selector) => document.querySelector(selector)?.scrollIntoView(), section);
    const list = page.locator(`${section} [data-testid="items-navigation-list"]`);
    await list.waitFor({ timeout: 10_000 });
    const more = page.locator(`${section} [data-testid="show-more-operations"]`);
    if ((await more.count()) > 0) await more.click();
    await expect.poll(() => more.count(), { message: `"Show more" in ${id} stays` }).toBe(0);
    listed.push(
      ...(await list.locator("a").evaluateAll((links) =>
        links.map((a) => {
          const method = a.querySelector('[data-component-name="Tag/Tag"]')?.textContent?.trim() ?? "";
          const path = [...a.querySelectorAll("span")].find((s) => s.children.length === 0 && s.textContent?.startsWith("/"));
          return { key: `${method.toUpperCase()} ${path?.textContent?.trim() ?? "(no path)"}`, href: a.getAttribute("href") ?? "" };
        }),
      )),
    );
  }
  return listed;
}

/**
 * Opens an operation by its route (the page routes on the URL hash) and returns the heading and
 * text of its section once rendered, and its first code block (the request sample) once it shows
 * `sampleMark`.
 */
async function openOperation(
  page: Page,
  href: string,
  sampleMark: string,
): Promise<{ heading: string; text: string; sample: string; markdown: string[] }> {
  const found = await page.evaluate(
    async ([hash, mark]) => {
      location.hash = hash;
      const selector = `[data-section-id="${CSS.escape(hash.replace(/^#/, ""))}"]`;
      let last = { heading: "", text: "", sample: "", markdown: [] as string[] };
      for (let waited = 0; waited < 10_000; waited += 25) {
        const section = document.querySelector<HTMLElement>(selector);
        section?.scrollIntoView();
        const heading = section?.querySelector("h1, h2, h3")?.textContent?.trim();
        const sample = section?.querySelector<HTMLElement>('[data-testid="source-code"]')?.innerText ?? "";
        if (section && heading)
          last = {
            heading,
            text: section.innerText,
            sample,
            markdown: (window as unknown as { rawMarkdown(root: Element): string[] }).rawMarkdown(section),
          };
        if (section && heading && sample.includes(mark)) return last;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return last.heading ? last : null;
    },
    [href, sampleMark] as const,
  );
  if (!found) throw new Error(`operation ${href} did not render`);
  return found;
}

/** Picks a code-sample language in the first operation's language menu (Redoc applies it to all). */
async function chooseSampleLanguage(page: Page, href: string, current: string, wanted: string) {
  await openOperation(page, href, "");
  const section = page.locator(`[data-section-id="${href.replace(/^#/, "")}"]`);
  await section
    .locator('[data-testid="dropdown"] > button', { hasText: new RegExp(`^${current}$`) })
    .first()
    .click();
  await page
    .locator('[role="menuitem"]:visible', { has: page.locator(`span[title="${wanted}"]`) })
    .first()
    .click();
}

/** The search dialog's input, opened (again) if it is not showing. */
async function searchInput(page: Page) {
  const input = page.locator('input[placeholder="Search docs..."]');
  for (let attempt = 0; attempt < 5 && !(await input.isVisible()); attempt++) {
    await page.keyboard.press("Escape"); // a menu left open would take the click
    await page.locator('[data-testid="search-trigger"]').click();
    await input.waitFor({ state: "visible", timeout: 3_000 }).catch(() => undefined);
  }
  return input;
}

/**
 * The search dialog's results for `query`, once one of them contains `expected` (or after 10 s).
 * The query is typed again every second: one typed while the page still builds its index stays
 * without results.
 */
async function search(page: Page, query: string, expected: string): Promise<string[]> {
  let items: string[] = [];
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (waited % 1_000 === 0) {
      const input = await searchInput(page);
      await input.fill(`${query} `, { timeout: 5_000 });
      await input.fill(query, { timeout: 5_000 });
    }
    items = await page
      .locator('[data-component-name="Search/SearchItem"]')
      .evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).innerText.replace(/\s+/g, " ").trim()));
    if (items.some((item) => item.includes(expected))) break;
    await page.waitForTimeout(50);
  }
  return items;
}

describe.skipIf(!hasChromium && !inCi)("offline API reference pages", () => {
  let browser: Browser;
  let out: string;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${executablePath} is missing: .ci/run installs it with apt-get install -y chromium`);
    out = mkdtempSync(join(tmpdir(), "otc-docs-"));
    execFileSync(process.execPath, [join(root, "scripts", "docs.mjs"), "--specs", specDir, "--out", out], { cwd: root, stdio: "pipe" });
    mkdirSync(screenshots, { recursive: true });
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it.each(["vbs", "cbr"])(
    "%s.html renders offline with every operation",
    async (service) => {
      const operations = operationsOf(service);
      expect(operations.length).toBeGreaterThan(0);
      const { page, offMachine, errors, close } = await open(browser, join(out, `${service}.html`));
      try {
        await page.locator(MENU_ITEM).first().waitFor();
        await page.screenshot({ path: join(screenshots, `${service}.png`) });
        // The overview (description, servers panel, contact) shows no Markdown marks.
        expect(
          await page.evaluate(() => (window as unknown as { rawMarkdown(root: Element): string[] }).rawMarkdown(document.body)),
          "Markdown shown as text",
        ).toEqual([]);

        // Overview: each tag lists its operations as METHOD + path, some behind "Show N more...".
        const listed = await overviewOperations(page);
        expect(listed.map((l) => l.key).sort(), "overview operation lists vs the spec").toEqual(
          operations.map((op) => `${op.method} ${op.path}`).sort(),
        );

        // Each operation opens on its own route with its summary as title, its method and path,
        // and its TypeScript sample (the first language): the call by path through this package.
        const hrefOf = (op: Operation) => listed.find((l) => l.key === `${op.method} ${op.path}`)!.href;
        const wrong: string[] = [];
        for (const [index, op] of operations.entries()) {
          const key = `${op.method} ${op.path}`;
          const call = `${service}.${op.method}("${op.path}"`;
          const { heading, text, sample, markdown } = await openOperation(page, hrefOf(op), call);
          if (markdown.length) wrong.push(`${key}: Markdown shown as text: ${JSON.stringify(markdown)}`);
          // Redoc appends a "deprecated" badge to the title of deprecated operations.
          const title = op.deprecated ? heading.replace(/\s*deprecated$/, "") : heading;
          if (title !== op.summary) wrong.push(`${key}: title "${heading}", spec summary "${op.summary}"`);
          else if (!text.includes(op.path)) wrong.push(`${key}: its section does not show the path`);
          else if (!sample.includes(`from "otc-backup-api"`) || !sample.includes(call))
            wrong.push(`${key}: no TypeScript sample calling ${call}…), got:\n${sample}`);
          if (index === 0) await page.screenshot({ path: join(screenshots, `${service}-operation.png`) });
        }
        expect(wrong, "operations that did not render as the spec says").toEqual([]);

        // The curl sample of every operation: its method, URL on the eu-de host, and the token.
        const [first] = operations;
        await chooseSampleLanguage(page, hrefOf(first!), "TypeScript", "curl");
        const host = `https://${service}.eu-de.otc.t-systems.com`;
        const noCurl: string[] = [];
        for (const op of operations) {
          // The URL up to the first parameter other than the project (those show example values).
          const url = `${host}${op.path.replace("{project_id}", "$OS_PROJECT_ID").split("{")[0]}`;
          const { sample } = await openOperation(page, hrefOf(op), url);
          const method = op.method === "GET" ? "curl " : `curl -X ${op.method} `;
          if (!sample.startsWith(method) || !sample.includes(url) || !sample.includes("X-Auth-Token: $OS_TOKEN"))
            noCurl.push(`${op.method} ${op.path}: ${sample}`);
        }
        expect(noCurl, "operations without their curl sample").toEqual([]);
        await page.screenshot({ path: join(screenshots, `${service}-curl.png`) });

        // The call by operation name, the third language of the menu.
        await chooseSampleLanguage(page, hrefOf(first!), "curl", "TypeScript (by name)");
        const noByName: string[] = [];
        for (const op of operations) {
          const call = `${service}.${op.operationId}(`;
          const { sample } = await openOperation(page, hrefOf(op), call);
          if (!sample.includes(`from "otc-backup-api"`) || !sample.includes(call)) noByName.push(`${op.operationId}: ${sample}`);
        }
        expect(noByName, "operations without their sample by name").toEqual([]);
        await page.screenshot({ path: join(screenshots, `${service}-by-name.png`) });

        // Searching an operationId lists its operation (METHOD, path and summary) first, and no
        // excerpt glues an operationId to the word before or after it (as joining the lines of a
        // paragraph without a space does).
        const notFirst: string[] = [];
        const glued: string[] = [];
        // Compared without case: an SDK's type name (DisassociateVaultPolicy) is a word of its own.
        const ids = operations.map((op) => op.operationId.toLowerCase());
        for (const op of operations) {
          const expected = `${op.method} ${op.path} ${op.summary}`;
          const items = await search(page, op.operationId, expected).catch((error: Error) => [
            `(search failed: ${error.message.split("\n")[0]})`,
          ]);
          if (!items[0]?.includes(expected)) notFirst.push(`${op.operationId}: ${JSON.stringify(items.slice(0, 3))}`);
          for (const item of items) {
            const words = item.toLowerCase().match(/[a-z0-9]+/g) ?? [];
            for (const word of words)
              if (!ids.includes(word) && ids.some((id) => word.includes(id)))
                glued.push(`${op.operationId}: "${word}" in ${item.slice(0, 200)}`);
          }
          if (notFirst.length === 3) break; // searching is broken: say so now, not after 10 s per operation
        }
        if (notFirst.length) await page.screenshot({ path: join(screenshots, `${service}-search-failed.png`) });
        expect(notFirst, "operationIds whose operation the search does not list first").toEqual([]);
        expect([...new Set(glued)], "search excerpts with words glued together").toEqual([]);
        await page.screenshot({ path: join(screenshots, `${service}-search.png`) });
        await page.keyboard.press("Escape");

        // The sidebar has one group per tag.
        const groups = await page
          .locator(`${MENU_ITEM}.menu-item-type-group > a [data-text]`)
          .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-text")));
        expect(groups).toEqual(tagsOf(service));

        expect(errors, "console errors").toEqual([]);
        expect(offMachine, "requests that left the machine").toEqual([]);
      } finally {
        await close();
      }
    },
    300_000,
  );

  it("index.html links both pages", async () => {
    const { page, offMachine, errors, close } = await open(browser, join(out, "index.html"));
    try {
      const links = await page.locator("a[href$='.html']").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("href")));
      expect(links).toEqual(["vbs.html", "cbr.html"]);
      await page.screenshot({ path: join(screenshots, "index.png") });
      await page.locator("a[href='cbr.html']").click();
      await page.waitForURL(/cbr\.html/);
      expect(errors).toEqual([]);
      expect(offMachine).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
