// openapi-fetch middleware that checks every response against the spec, on a clone of the
// response so that the caller still reads the body.
import type { Middleware, MiddlewareCallbackParams } from "openapi-fetch";
import { choiceOption, functionOption } from "../options/check.js";
import { peekText } from "./body.js";
import { operationAt } from "./compiled.js";
import { validateResponse } from "./response.js";
import type { SchemaIssue, ServiceName } from "./types.js";

export interface ValidationMiddlewareOptions {
  /**
   * `warn` (default): console.warn the errors; `throw`: the call rejects with a
   * ResponseValidationError on errors; `collect`: only `onIssue` and the middleware's `issues`.
   * Notices (new values of open enums, undeclared properties) never warn or throw.
   */
  mode?: "warn" | "throw" | "collect";
  /** The service of the client; found from the request's host or path when left out. */
  service?: ServiceName;
  /** Told every response's issues, notices included (only when there are any). */
  onIssue?: (issues: SchemaIssue[]) => void;
}

/** What the call rejects with in mode `throw`. */
export class ResponseValidationError extends Error {
  override readonly name = "ResponseValidationError";
  constructor(
    readonly operationId: string,
    readonly status: number,
    readonly issues: SchemaIssue[],
  ) {
    super(
      `${operationId} ${status}: the response disagrees with the spec: ${issues.map((i) => `${i.pointer || "/"} expected ${i.expected}, got ${i.actual}`).join("; ")}`,
    );
  }
}

export type ValidationMiddleware = Middleware & {
  /** Mode `collect`: every response's issues, with the operation and status. */
  readonly issues: { operationId: string; status: number; issues: SchemaIssue[] }[];
};

export function validationMiddleware(options: ValidationMiddlewareOptions = {}): ValidationMiddleware {
  const where = "validationMiddleware";
  const mode = choiceOption(where, "mode", options.mode, ["warn", "throw", "collect"] as const) ?? "warn";
  const service = choiceOption(where, "service", options.service, ["cbr", "vbs"] as const);
  const onIssue = functionOption<(issues: SchemaIssue[]) => void>(where, "onIssue", options.onIssue);
  const collected: ValidationMiddleware["issues"] = [];
  return {
    issues: collected,
    async onResponse({ request, response, schemaPath }: MiddlewareCallbackParams & { response: Response }) {
      const found = locate(service, request, schemaPath);
      if (!found) return undefined;
      const body = parseBody(await peekText(response));
      const issues = validateResponse(found.service, found.operationId, response.status, body, response.headers);
      if (issues.length === 0) return undefined;
      onIssue?.(issues);
      if (mode === "collect") collected.push({ operationId: found.operationId, status: response.status, issues });
      const errors = issues.filter((i) => !i.notice);
      if (errors.length === 0) return undefined;
      if (mode === "throw") throw new ResponseValidationError(found.operationId, response.status, errors);
      if (mode === "warn") console.warn(new ResponseValidationError(found.operationId, response.status, errors).message);
      return undefined;
    },
  };
}

function locate(
  service: ServiceName | undefined,
  request: Request,
  schemaPath: string,
): { service: ServiceName; operationId: string } | undefined {
  const candidates: ServiceName[] = service ? [service] : (hostService(request.url) ?? ["cbr", "vbs"]);
  const matches = candidates.flatMap((s) => {
    const operationId = operationAt(s, request.method, schemaPath);
    return operationId ? [{ service: s, operationId }] : [];
  });
  // The same method and path in both specs (the OpenStack-style backups) and no service to tell.
  return matches.length === 1 ? matches[0] : undefined;
}

function hostService(url: string): ServiceName[] | undefined {
  const host = new URL(url).hostname;
  if (host.startsWith("cbr.")) return ["cbr"];
  if (host.startsWith("vbs.")) return ["vbs"];
  return undefined;
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: validated as the string it is, so that a JSON body the spec declares is reported.
    return text;
  }
}
