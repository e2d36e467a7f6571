// Users configure the project id once: these types remove `project_id` from every operation's
// path parameters, and withProject puts it back into each call's parameters at run time.

// Operations without path parameters declare `path?: never`: they, and operations whose only
// path parameter was project_id, take no `path` at all.
type PathPart<P> = [NonNullable<P>] extends [never]
  ? { path?: never }
  : [keyof Omit<NonNullable<P>, "project_id">] extends [never]
    ? { path?: never }
    : { path: Omit<NonNullable<P>, "project_id"> };
type WithoutProjectParams<Params> = Params extends { path?: infer P } ? Omit<Params, "path"> & PathPart<P> : Params;
type WithoutProjectOperation<Op> = Op extends { parameters: infer Params }
  ? Omit<Op, "parameters"> & { parameters: WithoutProjectParams<Params> }
  : Op;

/** The generated `paths` type with `project_id` dropped from every path parameter list. */
export type WithoutProjectId<Paths> = {
  [P in keyof Paths]: {
    [M in keyof Paths[P]]: M extends "parameters" ? WithoutProjectParams<Paths[P][M]> : WithoutProjectOperation<Paths[P][M]>;
  };
};

/** The call's params with the client's project id; a call that passes another one is refused. */
export function withProject(params: Record<string, unknown> | undefined, projectId: string): Record<string, unknown> {
  const path = params?.path as Record<string, unknown> | undefined;
  if (path && "project_id" in path && path.project_id !== projectId) {
    throw new TypeError("project_id is set by the client; create another client for another project");
  }
  // Object.assign, not a spread: V8 makes a spread copy that then gains properties a slow object.
  return Object.assign({}, params, { path: Object.assign({}, path, { project_id: projectId }) });
}
