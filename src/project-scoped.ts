// Users configure the project id once; these types remove `project_id` from every operation's
// path parameters, and scopeToProject puts it back into each call at run time. The same wrapper
// turns failed calls into OtcApiErrors (errors.ts).
import type { Client, PathSerializer } from "openapi-fetch";
import { defaultPathSerializer } from "openapi-fetch";
import {
  RESULT_ERROR,
  errorFromResponse,
  isOtcApiError,
  isTimeout,
  malformedResponseError,
  networkError,
  type OtcApiError,
} from "./errors.js";
import type { OperationTable } from "./operations.js";
import type { Transport, TransportCall } from "./transport.js";

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

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

export interface ScopeOptions {
  /** Operation metadata, to name the operation in errors. */
  operations?: OperationTable | undefined;
  /** Calls reject with OtcApiError instead of resolving to `{ error }` (per call: `init.throwOnError`). */
  throwOnError?: boolean | undefined;
  /**
   * The fetch that sends requests (the transport). When given, errors that happen after a
   * request was sent (a body that stops arriving, a timeout while reading) become OtcApiErrors.
   */
  fetch?: Transport | undefined;
}

type Init = Record<string, unknown>;
type RawCall = (url: string, init: Init) => Promise<Result>;
interface Result {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * Wraps an openapi-fetch client so that every call carries `project_id` (calls that pass
 * another one are refused: a client is bound to one project), reads JSON itself so that an
 * unreadable success body becomes an OtcApiError instead of a SyntaxError, and turns error
 * answers into OtcApiErrors: thrown with `throwOnError`, else kept for `unwrap()`.
 */
export function scopeToProject<Paths extends {}>(
  client: Client<Paths>,
  projectId: string,
  options: ScopeOptions = {},
): Client<WithoutProjectId<Paths>> {
  const { operations, fetch: transport } = options;
  const throwByDefault = options.throwOnError ?? false;

  const invoke = async (method: string, call: RawCall, url: string, init: Init = {}): Promise<Result> => {
    const parseJson = init.parseAs === undefined || init.parseAs === "json";
    const throwOnError = (init.throwOnError as boolean | undefined) ?? throwByDefault;
    const finalInit: Init = { ...init, params: withProject(init.params as Init | undefined, projectId) };
    if (parseJson) finalInit.parseAs = "text";
    if ("throwOnError" in finalInit) delete finalInit.throwOnError;
    let sentUrl: string | undefined;
    let transportCall: TransportCall | undefined;
    if (transport) {
      const send = (init.fetch as Transport | undefined) ?? transport;
      const callState: TransportCall = { signal: init.signal as AbortSignal | undefined, cleanups: [] };
      transportCall = callState;
      finalInit.fetch = (request: Request) => {
        sentUrl = request.url;
        return send(request, callState);
      };
    }
    const operationId = () => operations?.[`${method} ${url}`]?.operationId;

    let result: Result;
    try {
      result = await call(url, finalInit);
    } catch (error) {
      if (isOtcApiError(error)) throw error.withOperation(operationId());
      const callerAborted = (init.signal as AbortSignal | undefined)?.aborted;
      if (sentUrl !== undefined && !callerAborted && (error instanceof TypeError || isTimeout(error))) {
        throw networkError(error, { method, url: sentUrl, operationId: operationId() });
      }
      throw error;
    } finally {
      // The body has been read (or given up on): stop the attempts' timers.
      if (transportCall) for (const cleanup of transportCall.cleanups) cleanup();
    }

    const response = result.response;
    if (response.ok) {
      // openapi-fetch reads the body as text for this wrapper, or skips it (undefined) when
      // Content-Length is 0.
      if (parseJson && (typeof result.data === "string" || result.data === undefined)) {
        const text = result.data ?? "";
        // Every GET of both specs answers with a JSON body, so an empty one (a proxy's or a
        // truncated answer) is malformed; other methods may answer 200 with no body.
        if (text === "" && method === "GET" && response.status !== 204) {
          throw malformedResponseError(response, text, { method, url: sentUrl ?? url, operationId: operationId() });
        }
        try {
          result.data = text === "" ? undefined : JSON.parse(text);
        } catch (cause) {
          throw malformedResponseError(response, text, { method, url: sentUrl ?? url, operationId: operationId() }, cause);
        }
      }
      return result;
    }
    // A 3xx that fetch did not follow (CBR's version list answers 300) is left as openapi-fetch returns it.
    if (response.status < 400) return result;
    const error = errorFromResponse(response, result.error, { method, url: sentUrl ?? url, operationId: operationId() });
    if (throwOnError) throw error;
    (result as { [RESULT_ERROR]?: OtcApiError })[RESULT_ERROR] = error;
    return result;
  };

  const scoped: Record<string, unknown> = { ...client };
  for (const method of METHODS) {
    const call = client[method] as unknown as RawCall;
    scoped[method] = (url: string, init?: Init) => invoke(method, call, url, init);
  }
  const request = client.request as unknown as (method: string, url: string, init: Init) => Promise<Result>;
  scoped.request = (method: string, url: string, init?: Init) => {
    const upper = String(method).toUpperCase();
    return invoke(upper, (u, i) => request(upper, u, i), url, init);
  };
  return scoped as unknown as Client<WithoutProjectId<Paths>>;
}

function withProject(params: Init | undefined, projectId: string): Init {
  const path = params?.path as Init | undefined;
  if (path && "project_id" in path && path.project_id !== projectId) {
    throw new TypeError("project_id is set by the client; create another client for another project");
  }
  return { ...params, path: { ...path, project_id: projectId } };
}

/**
 * Serializes path parameters after refusing values that would change which resource is
 * addressed: empty strings and the dot segments `.` and `..` (which survive
 * encodeURIComponent). Everything else is percent-encoded, so `/`, `?`, `#` and `%` stay inside
 * their segment.
 */
/** String.prototype.isWellFormed arrived in Node 20 and recent browsers; fall back to a regex. */
const isWellFormed = (text: string): boolean =>
  typeof (text as { isWellFormed?: () => boolean }).isWellFormed === "function"
    ? (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

export const safePathSerializer: PathSerializer = (pathname, pathParams) => {
  for (const [name, value] of Object.entries(pathParams ?? {})) {
    if (value === undefined || value === null) continue;
    const text = String(value);
    if (!isWellFormed(text)) throw new TypeError(`path parameter ${name} contains a lone surrogate (broken Unicode)`);
    if (text === "" || text === "." || text === "..") {
      throw new TypeError(`path parameter ${name} must not be ${text === "" ? "empty" : JSON.stringify(text)}`);
    }
  }
  const url = defaultPathSerializer(pathname, pathParams);
  const missing = /\{([^{}]+)\}/.exec(url.slice(url.indexOf("/", url.indexOf("//") + 2)));
  if (missing) throw new TypeError(`path parameter ${missing[1]} is required`);
  return url;
};
