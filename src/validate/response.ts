// A response against its operation: the status, the headers the spec declares, the body.
import { operationValidators, run } from "./compiled.js";
import { jsonType, toIssues } from "./issues.js";
import type { SchemaIssue, ServiceName } from "./types.js";

/**
 * Checks one response of `operationId`. `body` is the parsed JSON (or `undefined` when there was
 * none); `headers`, when given, are checked against the headers the spec declares for the status.
 * Returns the disagreements; an empty list means the response conforms. Notices (values an open
 * enum does not list, properties the spec does not declare) are included, marked `notice`.
 */
export function validateResponse(
  service: ServiceName,
  operationId: string,
  status: number,
  body: unknown,
  headers?: Headers,
): SchemaIssue[] {
  const op = operationValidators(service, operationId, "validateResponse");
  const response = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
  if (!response) {
    const documented = Object.keys(op.responses).join(", ");
    return [{ pointer: "", keyword: "status", expected: `status ${documented}`, actual: `status ${status}`, value: status }];
  }
  const issues: SchemaIssue[] = [];
  if (response.body !== undefined) {
    if (body === undefined) issues.push({ pointer: "", keyword: "body", expected: "a JSON body", actual: "missing" });
    else issues.push(...toIssues(run(service, response.body, body), body));
  } else if (body !== undefined && body !== null && body !== "") {
    issues.push({ pointer: "", keyword: "body", expected: "no body", actual: jsonType(body) });
  }
  if (headers) {
    for (const [name, required, index] of response.headers ?? []) {
      const value = headers.get(name);
      if (value === null) {
        if (required) issues.push({ pointer: `header:${name}`, keyword: "required", expected: "a required header", actual: "missing" });
        continue;
      }
      issues.push(...toIssues(run(service, index, value), value, `header:${name}`));
    }
  }
  return issues;
}
