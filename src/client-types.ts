// What paginate and the waiters read from a client's type: its operation table, and the paths
// type it was made with, carried on the client as a property that exists only for the type
// checker. Reading the paths from that property is a lookup; inferring them back out of
// openapi-fetch's `Client<Paths>` made the checker compare whole client types on every call.
import type { MaybeOptionalInit } from "openapi-fetch";
import type { WithClientMeta } from "./operations.js";

/** Type-only key of the paths type on a client (nothing is stored under it). */
export declare const clientPaths: unique symbol;

/** A client made for these paths (`project_id` already removed). */
export interface WithPaths<Paths> {
  readonly [clientPaths]?: Paths;
}

/** The operation table of a client's type. */
export type OpsOf<C> = C extends WithClientMeta<string, infer O> ? O : never;
/** The paths type of a client; unknown for clients not made by this package. */
export type PathsOf<C> = C extends WithPaths<infer P> ? P : unknown;
/** `"GET /v3/{project_id}/vaults"` → `"/v3/{project_id}/vaults"`. */
export type PathOfKey<K> = K extends `${string} ${infer P}` ? P : never;

type OkStatus = 200 | 201 | 202 | 203 | 204 | 206 | 207 | "2XX";
type ContentOf<Response> = Response extends { content: infer Content } ? Content[keyof Content] : never;
/** The success body of an operation of a generated paths type. */
export type SuccessBody<Op> = Op extends { responses: infer R } ? ContentOf<R[keyof R & OkStatus]> : unknown;

/** The success body of `method` on `path` of client C (unknown for untyped clients). */
export type BodyOf<C, P, M extends string> =
  PathsOf<C> extends infer Paths
    ? P extends keyof Paths
      ? M extends keyof Paths[P]
        ? SuccessBody<Paths[P][M]>
        : unknown
      : unknown
    : unknown;

/** The init (params, body, headers) of `method` on `path`, as client.GET / client.POST take it. */
export type InitOf<C, P, M extends string> =
  PathsOf<C> extends infer Paths
    ? P extends keyof Paths
      ? M extends keyof Paths[P]
        ? NonNullable<MaybeOptionalInit<Paths[P], M>>
        : never
      : never
    : never;
