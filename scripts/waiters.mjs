// The named waiters of a service, from the specs: `x-waiter` on the operation a waiter polls
// names it and says what it waits for; the statuses are those of every `x-async` entry that
// polls that operation, plus any the `x-waiter` adds (spec/EXTENSIONS.md). generate.mjs writes
// them into generated/<service>.meta.ts, where src/waiting/named.ts reads them.

const WAITER_KEYS = new Set([
  "name",
  "subject",
  "idName",
  "status",
  "pending",
  "success",
  "failure",
  "errorCode",
  "errorMessage",
  "percent",
]);
const PATHS = ["status", "errorCode", "errorMessage", "percent"];

/** `{ name, definition }` per x-waiter of `operations` (keyed by "METHOD /path"); throws on a malformed or contradicted one. */
export function waiterDefinitions(service, operations) {
  const out = [];
  const problems = [];
  for (const [key, op] of Object.entries(operations)) {
    if (!op.waiter) continue;
    const where = `${service} ${key} (${op.operationId}): x-waiter`;
    const fromAsync = Object.values(operations)
      .filter((o) => o.async?.poll === op.operationId)
      .map((o) => o.async);
    const { definition, problems: found } = define(key, op, fromAsync);
    problems.push(...found.map((p) => `${where} ${p}`));
    out.push({ name: op.waiter.name, definition });
  }
  const names = out.map((w) => w.name);
  for (const name of new Set(names))
    if (names.filter((n) => n === name).length > 1) problems.push(`${service}: x-waiter ${name} is declared twice`);
  if (problems.length) throw new Error(`Invalid x-waiter:\n  ${problems.join("\n  ")}`);
  return out;
}

function define(key, op, fromAsync) {
  const w = op.waiter;
  const problems = Object.keys(w)
    .filter((k) => !WAITER_KEYS.has(k))
    .map((k) => `has unknown key ${k}`);
  for (const k of ["name", "subject", "idName"]) if (typeof w[k] !== "string" || w[k] === "") problems.push(`needs ${k}`);
  if (!key.startsWith("GET ")) problems.push("must sit on a GET operation");
  if (typeof w.name === "string" && !/^waitFor[A-Z]\w*$/.test(w.name)) problems.push("name must be waitFor<Something>");
  // Each dot path: the x-waiter's own, else the one every x-async entry polling this operation agrees on.
  const paths = {};
  for (const k of PATHS) {
    const values = new Set(
      [w[k], ...fromAsync.map((a) => a[k === "status" ? "status" : k])].filter((v) => typeof v === "string" && v !== ""),
    );
    if (values.size > 1)
      problems.push(`${k} differs between the x-async entries that poll it (${[...values].join(", ")}); set it in x-waiter`);
    paths[k] = w[k] ?? [...values][0];
  }
  if (!paths.status) problems.push("needs status (no x-async entry polls this operation)");
  const union = (k, entries) => [...new Set([...(w[k] ?? []), ...entries.flatMap((a) => a[k] ?? [])])];
  // Deletions (x-async with an empty success list, ended by a 404) add their pending and failure statuses only.
  const success = union("success", fromAsync);
  const failure = union("failure", fromAsync);
  const pending = union("pending", fromAsync).filter((s) => !success.includes(s) && !failure.includes(s));
  if (success.length === 0) problems.push("has no success status (from itself or an x-async entry)");
  const overlap = success.filter((s) => failure.includes(s));
  if (overlap.length) problems.push(`has ${overlap.join(", ")} as both success and failure`);
  const dot = paths.status?.lastIndexOf(".") ?? -1;
  const definition = {
    name: w.name,
    subject: w.subject,
    idName: w.idName,
    poll: op.operationId,
    path: key.slice(key.indexOf(" ") + 1),
    status: paths.status,
    // What the waiter resolves to: the object holding the status (`backup` of `backup.status`), or the whole body.
    ...(dot > 0 ? { result: paths.status.slice(0, dot) } : {}),
    pending,
    success,
    failure,
    ...(paths.errorCode ? { errorCode: paths.errorCode } : {}),
    ...(paths.errorMessage ? { errorMessage: paths.errorMessage } : {}),
    ...(paths.percent ? { percent: paths.percent } : {}),
  };
  return { definition, problems };
}
