// Every operationId becomes a method of its service's client (`cbr.listBackups(…)`, see
// src/by-name.ts), so generation fails on a name that would shadow one of the client's own
// members, make the client a thenable, or not be usable as `client.name(…)`.
import createClient from "openapi-fetch";

/** What a client has besides its calls by name: openapi-fetch's methods and everything objects inherit. */
export const RESERVED_NAMES = new Set([
  ...Object.keys(createClient()),
  ...Object.getOwnPropertyNames(Object.prototype),
  // A client with a `then` would be taken for a promise by `await`.
  "then",
]);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Throws, listing every problem, unless each operationId of the table can be a method of the client. */
export function checkOperationNames(service, operations) {
  const problems = [];
  const seen = new Map();
  for (const [key, { operationId }] of Object.entries(operations)) {
    const where = `${service} ${key}`;
    if (typeof operationId !== "string" || !IDENTIFIER.test(operationId))
      problems.push(`${where}: operationId ${JSON.stringify(operationId)} is not a JavaScript identifier`);
    else if (RESERVED_NAMES.has(operationId))
      problems.push(`${where}: operationId "${operationId}" collides with the client's own member of that name`);
    if (seen.has(operationId)) problems.push(`${where}: operationId "${operationId}" is also the one of ${seen.get(operationId)}`);
    seen.set(operationId, key);
  }
  if (problems.length) throw new Error(`operationIds that cannot be calls by name:\n  ${problems.join("\n  ")}`);
}
