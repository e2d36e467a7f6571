// Shape checks for the vendor extensions documented in spec/EXTENSIONS.md. A malformed
// extension would silently break a pager or a waiter, so generation fails instead.

const PAGINATION_STYLES = new Set(["offset", "marker", "links", "body-offset"]);
const PAGINATION_KEYS = new Set(["style", "items", "limit", "offset", "marker", "markerFrom", "next", "total", "maxLimit", "defaultLimit", "stringValues"]);
const ASYNC_KINDS = new Set(["job", "resource"]);
const ASYNC_KEYS = new Set(["kind", "poll", "id", "status", "pending", "success", "failure", "errorCode", "errorMessage", "task", "gone"]);

export function validateExtensions(service, operations) {
  const problems = [];
  const byId = new Map(Object.entries(operations).map(([key, op]) => [op.operationId, key]));
  for (const [key, op] of Object.entries(operations)) {
    const where = `${service} ${key} (${op.operationId})`;
    if (op.pagination) problems.push(...checkPagination(op.pagination).map((p) => `${where}: x-pagination ${p}`));
    if (op.async) problems.push(...checkAsync(op.async, byId, key).map((p) => `${where}: x-async ${p}`));
  }
  if (problems.length) throw new Error(`Invalid vendor extensions:\n  ${problems.join("\n  ")}`);
}

function checkPagination(p) {
  const out = unknownKeys(p, PAGINATION_KEYS);
  if (!PAGINATION_STYLES.has(p.style)) out.push(`style must be one of ${[...PAGINATION_STYLES].join(", ")}`);
  for (const k of ["items", "limit"]) if (!isName(p[k])) out.push(`needs ${k}`);
  if ((p.style === "offset" || p.style === "body-offset") && !isName(p.offset)) out.push("needs offset");
  if (p.style === "marker" && !(isName(p.marker) && isName(p.markerFrom))) out.push("needs marker and markerFrom");
  if (p.style === "links" && !(isName(p.next) && isName(p.marker))) out.push("needs next and marker");
  for (const k of ["maxLimit", "defaultLimit"]) if (p[k] !== undefined && !(Number.isInteger(p[k]) && p[k] > 0)) out.push(`${k} must be a positive integer`);
  return out;
}

function checkAsync(a, byId, key) {
  const out = unknownKeys(a, ASYNC_KEYS);
  if (!ASYNC_KINDS.has(a.kind)) out.push(`kind must be one of ${[...ASYNC_KINDS].join(", ")}`);
  const pollKey = byId.get(a.poll);
  if (!pollKey) out.push(`poll names no operation: ${a.poll}`);
  else if (!pollKey.startsWith("GET ")) out.push(`poll must be a GET operation: ${pollKey}`);
  if (typeof a.id !== "string" || !/^(response|path):[\w.]+$/.test(a.id)) out.push("id must be response:<dot.path> or path:<name>");
  else if (a.id.startsWith("path:") && !key.includes(`{${a.id.slice(5)}}`)) out.push(`id names a path parameter this operation lacks: ${a.id}`);
  if (!isName(a.status)) out.push("needs status");
  for (const k of ["pending", "success", "failure"]) {
    if (a[k] !== undefined && !(Array.isArray(a[k]) && a[k].every((v) => typeof v === "string"))) out.push(`${k} must be a list of strings`);
  }
  if (!Array.isArray(a.success) || !Array.isArray(a.failure)) out.push("needs success and failure lists");
  if (a.gone !== undefined && a.gone !== "success") out.push("gone can only be 'success'");
  if (Array.isArray(a.success) && a.success.length === 0 && a.gone !== "success") out.push("an empty success list needs gone: success");
  return out;
}

const isName = (v) => typeof v === "string" && v.length > 0;
const unknownKeys = (obj, allowed) => Object.keys(obj).filter((k) => !allowed.has(k)).map((k) => `has unknown key ${k}`);
