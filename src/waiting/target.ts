// What one wait polls and how it reads an answer: the shape the poller runs, built by the
// named waiters and by waitFor.
import { safePathSerializer } from "../path-safety.js";

export type Verdict = "pending" | "success" | "failure";

export interface Reading {
  verdict: Verdict;
  status: string | undefined;
  code?: string | undefined;
  reason?: string | undefined;
  percent?: number | undefined;
}

export interface Target {
  /** "VBS job 4010b39b…", for messages. */
  what: string;
  operationId: string | undefined;
  path: string;
  pathParams: Record<string, string>;
  /** A 404 means the work is done (deletions). */
  gone: boolean;
  read(data: unknown): Reading;
  /** What the waiter resolves to, from a polled body. */
  result(data: unknown): unknown;
}

/** The name of the last path parameter of a poll path: the id the wait polls with. */
export function lastParam(path: string): string {
  const names = [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
  const last = names[names.length - 1];
  if (last === undefined || last === "project_id") throw new TypeError(`wait: ${path} has no id parameter to poll with`);
  return last;
}

/** An id argument as text; anything else is a usage error, raised before the first poll. */
export function requireId(id: unknown, what: string): string {
  if (typeof id !== "string" && typeof id !== "number") throw new TypeError(`wait: ${what} must be a non-empty string`);
  const text = String(id);
  if (text === "") throw new TypeError(`wait: ${what} must be a non-empty string`);
  return text;
}

/**
 * Runs the client's path check on the poll's parameters before the first poll: a value it
 * refuses (`..`, broken Unicode) would fail every poll the same way, so it fails the wait at once.
 */
export function checkPathParams(target: Target): void {
  try {
    safePathSerializer(`https://wait.invalid${target.path}`, { project_id: "project", ...target.pathParams });
  } catch (error) {
    throw new TypeError(`wait: ${target.what}: ${(error as Error).message}`);
  }
}
