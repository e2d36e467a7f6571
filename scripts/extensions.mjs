// Shape checks for the vendor extensions documented in spec/EXTENSIONS.md (x-pagination, x-async,
// x-read-only). A malformed extension would silently break a pager, a waiter or the read-only
// promise of `otc-backup-api check`, so generation fails instead.
//
// The keys of x-pagination and what each style needs come from src/pagination-meta.ts, the
// table the client's TypeScript type of the metadata is derived from (one edit adds a key).
import { readFileSync } from "node:fs";
import { transform } from "esbuild";

const paginationShape = await loadPaginationShape();

async function loadPaginationShape() {
  const source = readFileSync(new URL("../src/pagination-meta.ts", import.meta.url), "utf8");
  const { code } = await transform(source, { loader: "ts", format: "esm" });
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

const { PAGINATION_KEYS, PAGINATION_COMMON, PAGINATION_STYLES } = paginationShape;
const ASYNC_KINDS = new Set(["job", "resource"]);
const ASYNC_KEYS = new Set(["kind", "poll", "id", "status", "pending", "success", "failure", "errorCode", "errorMessage", "task", "gone"]);

export function validateExtensions(service, operations) {
  const problems = [];
  const byId = new Map(Object.entries(operations).map(([key, op]) => [op.operationId, key]));
  for (const [key, op] of Object.entries(operations)) {
    const where = `${service} ${key} (${op.operationId})`;
    if (op.pagination) problems.push(...checkPagination(op.pagination).map((p) => `${where}: x-pagination ${p}`));
    if (op.async) problems.push(...checkAsync(op.async, byId, key).map((p) => `${where}: x-async ${p}`));
    if (op.readOnly !== undefined) problems.push(...checkReadOnly(op.readOnly, key).map((p) => `${where}: x-read-only ${p}`));
  }
  if (problems.length) throw new Error(`Invalid vendor extensions:\n  ${problems.join("\n  ")}`);
}

function checkPagination(p) {
  const out = unknownKeys(p, new Set(Object.keys(PAGINATION_KEYS)));
  const styles = Object.keys(PAGINATION_STYLES);
  const style = styles.includes(p.style) ? PAGINATION_STYLES[p.style] : undefined;
  if (!style) out.push(`style must be one of ${styles.join(", ")}`);
  const required = [...PAGINATION_COMMON.required, ...(style?.required ?? [])];
  const allowed = new Set(["style", ...required, ...PAGINATION_COMMON.optional, ...(style?.optional ?? [])]);
  const missing = required.filter((k) => p[k] === undefined);
  if (missing.length) out.push(`${style ? `style ${p.style} ` : ""}needs ${missing.join(" and ")}`);
  for (const k of Object.keys(p)) if (PAGINATION_KEYS[k] && !allowed.has(k)) out.push(`style ${p.style} takes no ${k}`);
  for (const [k, kind] of Object.entries(PAGINATION_KEYS)) {
    if (p[k] === undefined || kind === "style") continue;
    if (kind === "name" && !isName(p[k])) out.push(`${k} must be a non-empty name`);
    if (kind === "count" && !(Number.isInteger(p[k]) && p[k] > 0)) out.push(`${k} must be a positive integer`);
    if (kind === "flag" && typeof p[k] !== "boolean") out.push(`${k} must be true or false`);
  }
  return out;
}

function checkAsync(a, byId, key) {
  const out = unknownKeys(a, ASYNC_KEYS);
  if (!ASYNC_KINDS.has(a.kind)) out.push(`kind must be one of ${[...ASYNC_KINDS].join(", ")}`);
  const pollKey = byId.get(a.poll);
  if (!pollKey) out.push(`poll names no operation: ${a.poll}`);
  else if (!pollKey.startsWith("GET ")) out.push(`poll must be a GET operation: ${pollKey}`);
  if (typeof a.id !== "string" || !/^(response|path):[\w.]+$/.test(a.id)) out.push("id must be response:<dot.path> or path:<name>");
  else if (a.id.startsWith("path:") && !key.includes(`{${a.id.slice(5)}}`))
    out.push(`id names a path parameter this operation lacks: ${a.id}`);
  if (!isName(a.status)) out.push("needs status");
  for (const k of ["pending", "success", "failure"]) {
    if (a[k] !== undefined && !(Array.isArray(a[k]) && a[k].every((v) => typeof v === "string")))
      out.push(`${k} must be a list of strings`);
  }
  if (!Array.isArray(a.success) || !Array.isArray(a.failure)) out.push("needs success and failure lists");
  if (a.gone !== undefined && a.gone !== "success") out.push("gone can only be 'success'");
  if (Array.isArray(a.success) && a.success.length === 0 && a.gone !== "success") out.push("an empty success list needs gone: success");
  return out;
}

// A GET reads by definition; the mark is for the other methods that only read (POST filters).
function checkReadOnly(value, key) {
  const out = [];
  if (value !== true) out.push("must be true");
  if (!key.startsWith("POST ")) out.push("belongs on a POST that only reads (GETs read by definition)");
  return out;
}

const isName = (v) => typeof v === "string" && v.length > 0;
const unknownKeys = (obj, allowed) =>
  Object.keys(obj)
    .filter((k) => !allowed.has(k))
    .map((k) => `has unknown key ${k}`);
