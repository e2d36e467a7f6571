// Calls by operation name: every operation of a client's spec is also a method named by its
// operationId (`cbr.listBackups({ query: { vault_id } })`; for CBR these are the method names of
// Huawei's SDK), taking the call's parameters flat (`path`, `query`, `header`, `body`, and the
// per-call options of a call by path). Each method is the call by path with the init nested
// (`{ params: { path, query, header }, body, … }`), so project scoping, errors, throwOnError and
// unwrap are those of the call by path. The names come from the generated tables
// (generated/*.meta.ts); generation refuses a name the client already has (scripts/operation-names.mjs).
import type { FetchOptions, FetchResponse, ParseAs } from "openapi-fetch";
import { pathOfKey, type OperationIds } from "./operations.js";

type Init = Record<string, unknown>;
type PathCall = (path: string, init?: Init) => Promise<unknown>;

/** Adds to `client` one method per operation of the table, named by its operationId. */
export function addCallsByName(client: Record<string, unknown>, operations: OperationIds): void {
  for (const key in operations) {
    const call = client[key.slice(0, key.indexOf(" "))] as PathCall;
    const path = pathOfKey(key);
    client[operations[key]!] = (init?: Init) => call(path, init && nest(init));
  }
}

/** The flat init of a call by name as the call by path takes it. */
function nest({ path, query, header, ...options }: Init): Init {
  options.params = { path, query, header };
  return options;
}

type Media = `${string}/${string}`;
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/** The operation of a paths type at `{ method, path }` (an entry of a generated `…OperationsById`). */
export type OperationAt<Paths, Where> = Where extends { method: infer M extends string; path: infer P extends keyof Paths }
  ? M extends keyof Paths[P]
    ? Paths[P][M]
    : never
  : never;

/** An operation's parameters (`path`, `query`, `header`, `cookie`), as a call by path takes them in `params`. */
export type OperationParameters<Op> = Op extends { parameters: infer P } ? P : {};

/**
 * What a call by name takes: the operation's parameters and body side by side, with the per-call
 * options of a call by path (`signal`, `headers`, `parseAs`, `fetch`, `middleware`…) and `throwOnError`.
 */
export type OperationInit<Op> = OperationParameters<Op> &
  Omit<FetchOptions<Op>, "params"> & {
    /** Reject with an OtcApiError instead of resolving to `{ error }` (default: the client's `throwOnError`). */
    throwOnError?: boolean;
    /** This call's deadline in milliseconds, everything included (default: the client's `timeoutMs`). */
    timeoutMs?: number;
  };

/** The result of a call: openapi-fetch's `{ data, error, response }`, typed as for the call by path. */
export type OperationResponse<Op, P extends ParseAs | undefined = undefined> =
  // biome-ignore lint/suspicious/noExplicitAny: a constraint that any operation object meets, never a value
  Op extends Record<string | number, any> ? FetchResponse<Op, { parseAs: P }, Media> : never;

/**
 * One call by name. The init is optional when the operation requires nothing; `parseAs` is the
 * only part of it that changes the result's type, so it is the only one inferred (which keeps a
 * misspelt key an error, as it would not be in an inferred init). The outer `Op extends unknown`
 * defers the whole type until an operation is known: without it the checker works out the
 * generic form once per program (about 1,500 instantiations, as many as a small call costs).
 */
export type OperationCall<Op> = Op extends unknown
  ? RequiredKeys<OperationInit<Op>> extends never
    ? <P extends ParseAs | undefined = undefined>(init?: OperationInit<Op> & { parseAs?: P }) => Promise<OperationResponse<Op, P>>
    : <P extends ParseAs | undefined = undefined>(init: OperationInit<Op> & { parseAs?: P }) => Promise<OperationResponse<Op, P>>
  : never;

/** A client's calls by name: one method per entry of `ById` (generated `CbrOperationsById`, `VbsOperationsById`). */
export type CallsByName<Paths, ById> = { [Id in keyof ById]: OperationCall<OperationAt<Paths, ById[Id]>> };
