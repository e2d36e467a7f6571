// Users configure the project id once; these types remove `project_id` from every operation's
// path parameters, and scopeToProject puts it back into each call at run time.
import type { Client, PathSerializer } from "openapi-fetch";
import { defaultPathSerializer } from "openapi-fetch";

type PathPart<P> = [keyof P] extends [never] ? { path?: never } : { path: P };
type WithoutProjectParams<Params> = Params extends { path: infer P }
  ? Omit<Params, "path"> & PathPart<Omit<P, "project_id">>
  : Params extends { path?: infer P }
    ? Omit<Params, "path"> & PathPart<Omit<NonNullable<P>, "project_id">>
    : Params;
type WithoutProjectOperation<Op> = Op extends { parameters: infer Params }
  ? Omit<Op, "parameters"> & { parameters: WithoutProjectParams<Params> }
  : Op;

/** The generated `paths` type with `project_id` dropped from every path parameter list. */
export type WithoutProjectId<Paths> = {
  [P in keyof Paths]: {
    [M in keyof Paths[P]]: M extends "parameters" ? WithoutProjectParams<Paths[P][M]> : WithoutProjectOperation<Paths[P][M]>;
  };
};

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/**
 * Wraps an openapi-fetch client so that every call carries `project_id`. Calls that pass one
 * anyway are refused: a client is bound to one project.
 */
export function scopeToProject<Paths extends {}>(client: Client<Paths>, projectId: string): Client<WithoutProjectId<Paths>> {
  const scoped: Record<string, unknown> = { ...client };
  for (const method of METHODS) {
    const call = client[method] as (url: string, init?: Record<string, unknown>) => Promise<unknown>;
    scoped[method] = async (url: string, init: Record<string, unknown> = {}) => call(url, withProject(init, projectId));
  }
  const request = client.request as (method: string, url: string, init?: Record<string, unknown>) => Promise<unknown>;
  scoped.request = async (method: string, url: string, init: Record<string, unknown> = {}) => request(method, url, withProject(init, projectId));
  return scoped as unknown as Client<WithoutProjectId<Paths>>;
}

function withProject(init: Record<string, unknown>, projectId: string): Record<string, unknown> {
  const params = (init.params ?? {}) as Record<string, unknown>;
  const path = (params.path ?? {}) as Record<string, unknown>;
  if ("project_id" in path && path.project_id !== projectId) {
    throw new TypeError("project_id is set by the client; create another client for another project");
  }
  return { ...init, params: { ...params, path: { ...path, project_id: projectId } } };
}

/**
 * Serializes path parameters after refusing values that would change which resource is
 * addressed: empty strings and the dot segments `.` and `..` (which survive
 * encodeURIComponent). Everything else is percent-encoded, so `/`, `?`, `#` and `%` stay inside
 * their segment.
 */
export const safePathSerializer: PathSerializer = (pathname, pathParams) => {
  for (const [name, value] of Object.entries(pathParams ?? {})) {
    if (value === undefined || value === null) continue;
    const text = String(value);
    if (text === "" || text === "." || text === "..") {
      throw new TypeError(`path parameter ${name} must not be ${text === "" ? "empty" : JSON.stringify(text)}`);
    }
  }
  const url = defaultPathSerializer(pathname, pathParams);
  const missing = /\{([^{}]+)\}/.exec(url.slice(url.indexOf("/", url.indexOf("//") + 2)));
  if (missing) throw new TypeError(`path parameter ${missing[1]} is required`);
  return url;
};
