#!/usr/bin/env node
// Renders both bundled specs into static, self-contained HTML pages (Redoc inlined, telemetry
// off, no CDN) plus an index page. They work from file:// with no network at all.
// Each operation shows code samples (TypeScript through this package's client by path and by
// operation name, and curl) and can be found by its operationId in the page's search.
//   node scripts/docs.mjs                        generated/*.openapi.json -> docs-site/
//   node scripts/docs.mjs --out DIR --specs DIR  other folders (the browser test uses a temp dir)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { codeSamples } from "./code-samples.mjs";
import { joinSoftBreaks, plainText, rewriteDescriptions } from "./docs-markdown.mjs";
import { redocly, root, scriptArgs } from "./project.mjs";

const { values: args } = scriptArgs("usage: node scripts/docs.mjs [--out DIR] [--specs DIR]", {
  out: { type: "string" },
  specs: { type: "string" },
});
const out = resolve(args.out ?? join(root, "docs-site"));
const specs = resolve(args.specs ?? join(root, "generated"));
const SERVICES = [
  { id: "vbs", title: "Volume Backup Service (VBS) API" },
  { id: "cbr", title: "Cloud Backup and Recovery (CBR) API" },
];
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

// Redoc draws its "API docs by Redocly" badge from cdn.redoc.ly at run time. Point it at an
// inline SVG instead so that the page never asks for anything off the machine.
const LOGO_URLS = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];
const LOGO =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="52" height="14" viewBox="0 0 52 14">' +
      '<text x="0" y="11" font-family="sans-serif" font-size="11" font-weight="bold" fill="#0044d4">Redocly</text></svg>',
  );

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(id, title, input) {
  const file = join(out, `${id}.html`);
  // cwd = the project root, so Redocly reads redocly.yaml (telemetry: off).
  redocly(["build-docs", input, "--inlineBundle", "--title", title, "-o", file]);
  let html = readFileSync(file, "utf8");
  for (const url of LOGO_URLS) html = html.replaceAll(url, LOGO);
  const problems = [];
  if (!html.includes('"disableTelemetry":true')) problems.push("the page does not disable Redoc's browser telemetry");
  if (/cdn\.redoc(ly)?\.(ly|com)\/redoc\//.test(html)) problems.push("the page still loads something from Redocly's CDN");
  if (/<(script|link|img|iframe)\b[^>]*\b(src|href)=["']?(https?:)?\/\//i.test(html))
    problems.push("the page has a remote <script>/<link>/<img>");
  if (problems.length) throw new Error(`${relative(root, file)}: ${problems.join("; ")} (did @redocly/cli change?)`);
  writeFileSync(file, html);
}

function operationCount(doc) {
  return Object.values(doc.paths ?? {}).reduce((n, item) => n + METHODS.filter((m) => item[m]).length, 0);
}

/**
 * The copy of a bundle that the pages are rendered from (never written to generated/):
 *   - each operation gets `x-codeSamples` (scripts/code-samples.mjs);
 *   - its description starts with a heading that is its operationId: the page's search ranks a
 *     heading that equals the query above a mere mention in the text of another operation;
 *   - descriptions keep each paragraph on one line, so that search excerpts have the spaces the
 *     page shows, and server descriptions, which Redoc shows as plain text, lose their Markdown.
 */
function forDocs(doc, service) {
  const copy = structuredClone(doc);
  rewriteDescriptions(copy, (text, where) => (where.includes("servers") ? plainText(text) : joinSoftBreaks(text)));
  for (const [path, item] of Object.entries(copy.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation["x-codeSamples"] = codeSamples(doc, service, path, method, operation);
      operation.description = `#### \`${operation.operationId}\`\n\n${operation.description ?? ""}`.trimEnd();
    }
  }
  return copy;
}

mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "otc-docs-"));
const items = [];
try {
  for (const { id, title } of SERVICES) {
    const doc = JSON.parse(readFileSync(join(specs, `${id}.openapi.json`), "utf8"));
    const input = join(work, `${id}.openapi.json`);
    writeFileSync(input, JSON.stringify(forDocs(doc, id)));
    render(id, title, input);
    const official = doc.externalDocs?.url ? ` (<a href="${escapeHtml(doc.externalDocs.url)}">official reference</a>)` : "";
    items.push(
      `<li><a href="${id}.html">${escapeHtml(title)}</a>: ${operationCount(doc)} operations, version ${escapeHtml(doc.info.version)}${official}</li>`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(
  join(out, "index.html"),
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>otc-backup-api: API reference</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body><h1>Open Telekom Cloud backup APIs</h1>
<p>API reference pages rendered from the OpenAPI 3.1 descriptions in
<a href="https://github.com/otc-backup-api/otc-backup-api">otc-backup-api</a>. Every page is self-contained and works offline.</p>
<ul>
${items.join("\n")}
</ul></body></html>
`,
);
console.log(`${relative(process.cwd(), out) || "."}/: index.html, ${SERVICES.map((s) => `${s.id}.html`).join(", ")}`);
