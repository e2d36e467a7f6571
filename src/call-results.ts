// The per-call wrapper of every client method: puts the client's project id into the call, reads
// JSON itself so that an unreadable success body becomes an OtcApiError instead of a SyntaxError,
// turns error answers into OtcApiErrors (thrown with `throwOnError`, else kept on the result for
// `unwrap`), and stops the attempts' timers once the call is over.
//
// This is a wrapper around the client's methods, not openapi-fetch middleware: openapi-fetch
// parses the JSON body after its middleware has run, so middleware can neither catch a
// SyntaxError nor replace `{ error }` by a thrown error.
import type { Client } from "openapi-fetch";
import { errorFromResponse, isOtcApiError, malformedResponseError, transportError, type CallContext, type OtcApiError } from "./errors.js";
import type { OperationIds } from "./operations.js";
import { withProject, type WithoutProjectId } from "./project-id.js";
import { CallRequest, type Transport, type TransportCall } from "./pipeline/client-pipeline.js";
import { isTransportFailure } from "./pipeline/transient.js";
import { numberOption } from "./options/check.js";

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

export interface CallOptions {
  /** The client's operationIds, to name the operation in errors. */
  operations?: OperationIds | undefined;
  /** Calls reject with OtcApiError instead of resolving to `{ error }` (per call: `init.throwOnError`). */
  throwOnError?: boolean | undefined;
  /** The fetch that sends requests (the transport), told about each call (its signal, its timers). */
  fetch?: Transport | undefined;
}

type Init = Record<string, unknown>;
type RawCall = (url: string, init: Init) => Promise<Result>;
/** What openapi-fetch resolves a call to. */
interface Result {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Where a client keeps the OtcApiError of a `{ error }` result (see unwrap). */
const RESULT_ERROR: unique symbol = Symbol.for("otc-backup-api.resultError") as never;

/** Wraps every method of an openapi-fetch client; see the top of this file. */
export function wrapCalls<Paths extends {}>(
  client: Client<Paths>,
  projectId: string,
  options: CallOptions = {},
): Client<WithoutProjectId<Paths>> {
  const { operations, fetch: transport } = options;
  const throwByDefault = options.throwOnError ?? false;

  // Middleware sees the Request openapi-fetch builds; without any, the transport takes the URL
  // and init as they are (CallRequest).
  const middleware: unknown[] = [];

  const invoke = async (method: string, call: RawCall, url: string, init: Init = {}): Promise<Result> => {
    const throwOnError = (init.throwOnError as boolean | undefined) ?? throwByDefault;
    // throwOnError is the wrapper's own, no option of openapi-fetch or fetch.
    // Object.assign, not a spread: V8 makes a spread copy that then gains properties a slow object.
    const finalInit: Init = Object.assign({}, init);
    finalInit.params = withProject(init.params as Init | undefined, projectId);
    if (init.throwOnError !== undefined) delete finalInit.throwOnError;
    // timeoutMs is the wrapper's own too: this call's deadline.
    let timeoutMs: number | undefined;
    if ("timeoutMs" in finalInit) {
      timeoutMs = numberOption(`${method} ${url}`, "timeoutMs", init.timeoutMs, { min: 1, infinity: true });
      delete finalInit.timeoutMs;
    }
    const parseJson = init.parseAs === undefined || init.parseAs === "json";
    if (parseJson) finalInit.parseAs = "text";
    let sentUrl: string | undefined;
    let transportCall: TransportCall | undefined;
    if (transport) {
      const own = init.fetch as Transport | undefined;
      const send = own ?? transport;
      // The transport reads bodies that are read as text (JSON included); a stream, bytes or a
      // blob are read after the call, with the timers still running until then.
      const readsText = parseJson || init.parseAs === "text";
      const callState: TransportCall = {
        signal: init.signal as AbortSignal | undefined,
        cleanups: [],
        readBody: readsText,
        path: url,
        timeoutMs,
      };
      transportCall = callState;
      finalInit.fetch = (request: Request | CallRequest) => {
        sentUrl = request.url;
        return send(request, callState);
      };
      if (own === undefined && init.Request === undefined && init.middleware === undefined && middleware.length === 0)
        finalInit.Request = CallRequest;
    }
    const context = (): CallContext => ({ method, url: sentUrl ?? url, operationId: operations?.[`${method} ${url}`] });

    let result: Result;
    try {
      result = await call(url, finalInit);
    } catch (error) {
      if (isOtcApiError(error)) throw error.withOperation(context().operationId);
      // Only a body the transport did not read (a custom fetch) can fail here.
      const callerAborted = (init.signal as AbortSignal | undefined)?.aborted;
      if (sentUrl !== undefined && !callerAborted && isTransportFailure(error)) throw transportError(error, context());
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
        if (text === "" && method === "GET" && response.status !== 204) throw malformedResponseError(response, text, context());
        try {
          result.data = text === "" ? undefined : JSON.parse(text);
        } catch (cause) {
          throw malformedResponseError(response, text, context(), cause);
        }
      }
      return result;
    }
    // A 3xx that fetch did not follow (CBR's version list answers 300) is left as openapi-fetch returns it.
    if (response.status < 400) return result;
    const error = errorFromResponse(response, result.error, context());
    if (throwOnError) throw error;
    (result as { [RESULT_ERROR]?: OtcApiError })[RESULT_ERROR] = error;
    return result;
  };

  const wrapped: Record<string, unknown> = { ...client };
  for (const method of METHODS) {
    const call = client[method] as unknown as RawCall;
    wrapped[method] = (url: string, init?: Init) => invoke(method, call, url, init);
  }
  wrapped.use = (...added: unknown[]) => {
    middleware.push(...added);
    return (client.use as (...m: unknown[]) => void)(...added);
  };
  wrapped.eject = (...removed: unknown[]) => {
    for (const m of removed) if (middleware.includes(m)) middleware.splice(middleware.indexOf(m), 1);
    return (client.eject as (...m: unknown[]) => void)(...removed);
  };
  const request = client.request as unknown as (method: string, url: string, init: Init) => Promise<Result>;
  wrapped.request = (method: string, url: string, init?: Init) => {
    const upper = String(method).toUpperCase();
    return invoke(upper, (u, i) => request(upper, u, i), url, init);
  };
  return wrapped as unknown as Client<WithoutProjectId<Paths>>;
}

/** The `data` of a call's result type. */
export type DataOf<R> = R extends { data: infer D } ? D : never;

/**
 * The data of a call's `{ data, error, response }` result, or the OtcApiError for its error:
 * `const { vaults } = unwrap(await cbr.GET("/v3/{project_id}/vaults"))`.
 */
export function unwrap<R extends Result>(result: R): DataOf<R> {
  return unwrapResult(result, undefined) as DataOf<R>;
}

/** unwrap, with what is known about the call for results that did not come from this package's clients. */
export function unwrapResult(result: Result, context: CallContext | undefined): unknown {
  const stored = (result as { [RESULT_ERROR]?: OtcApiError })[RESULT_ERROR];
  if (stored) throw stored;
  if (result.error !== undefined || result.response.status >= 400) {
    throw errorFromResponse(result.response, result.error, context ?? { method: "request", url: result.response.url });
  }
  return result.data;
}
