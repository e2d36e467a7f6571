#!/usr/bin/env node
// Renders both bundled specs into static, self-contained HTML pages (Redoc inlined, telemetry
// off, no CDN) plus an index page, in docs-site/. They work from file:// with no network.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "docs-site");
const redocly = join(root, "node_modules", "@redocly", "cli", "bin", "cli.js");
const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
const SERVICES = [
  { id: "vbs", title: "Volume Backup Service (VBS) API" },
  { id: "cbr", title: "Cloud Backup and Recovery (CBR) API" },
];

mkdirSync(out, { recursive: true });
for (const { id, title } of SERVICES) {
  const file = join(out, `${id}.html`);
  execFileSync(
    process.execPath,
    [redocly, "build-docs", join(root, "generated", `${id}.openapi.json`), "--inlineBundle", "--title", title, "-o", file],
    { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] },
  );
  // The inlined page still points at one remote image (Redocly's "API docs by Redocly" logo);
  // drop it so that the page makes no request off the machine at all.
  const html = readFileSync(file, "utf8").replace(/<img[^>]*src="https:\/\/cdn\.redoc\.ly[^"]*"[^>]*>/g, "");
  writeFileSync(file, html);
}

const doc = (id) => JSON.parse(readFileSync(join(root, "generated", `${id}.openapi.json`), "utf8"));
const items = SERVICES.map(({ id, title }) => {
  const spec = doc(id);
  const operations = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).filter((k) => k !== "parameters").length, 0);
  return `<li><a href="${id}.html">${title}</a> — ${operations} operations, version ${spec.info.version}</li>`;
});
writeFileSync(
  join(out, "index.html"),
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>otc-backup-api: API reference</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;line-height:1.5}</style></head>
<body><h1>Open Telekom Cloud backup APIs</h1>
<p>API reference pages rendered from the OpenAPI descriptions of otc-backup-api. They work offline.</p>
<ul>
${items.join("\n")}
</ul></body></html>
`,
);
console.log(`docs-site/: index.html, ${SERVICES.map((s) => `${s.id}.html`).join(", ")}`);
