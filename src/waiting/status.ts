// Status sets and the reading of a status from a polled body.
import { metaOf, readPath } from "../operations.js";
import type { Reading, Verdict } from "./target.js";

export interface StatusSets {
  pending: Set<string>;
  success: Set<string>;
  failure: Set<string>;
}

export function statusSets(pending: readonly string[], success: readonly string[], failure: readonly string[]): StatusSets {
  return { pending: new Set(pending), success: new Set(success), failure: new Set(failure) };
}

/** Failure wins over success wins over pending; a status outside all three counts as pending. */
export function verdictOf(status: string | undefined, s: StatusSets): Verdict {
  if (status === undefined) return "pending";
  if (s.failure.has(status)) return "failure";
  if (s.success.has(status)) return "success";
  return "pending";
}

/**
 * `builtin` extended with what the x-async entries of a client made from its own tables declare
 * for `pollId`, when they end in a success status (deletions, which end by disappearing, are
 * left out).
 */
export function withClientStatuses(client: object, pollId: string, builtin: StatusSets): StatusSets {
  const own = metaOf(client)?.async;
  if (!own) return builtin;
  const merged = statusSets([...builtin.pending], [...builtin.success], [...builtin.failure]);
  for (const a of Object.values(own)) {
    if (a.poll !== pollId || a.success.length === 0) continue;
    a.pending?.forEach((v) => merged.pending.add(v));
    a.success.forEach((v) => merged.success.add(v));
    a.failure.forEach((v) => merged.failure.add(v));
  }
  return merged;
}

/** Dot paths in a poll's answer: its status, and optionally the failure's code and reason and a completion percentage. */
export interface StatusPaths {
  status: string;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  percent?: string | undefined;
}

export const text = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

/** Reads a poll's answer at `paths` and judges its status by `s`. */
export function statusReader(paths: StatusPaths, s: StatusSets): (data: unknown) => Reading {
  const at = (data: unknown, path: string | undefined) => (path === undefined || path === "" ? undefined : readPath(data, path));
  return (data) => {
    const status = text(readPath(data, paths.status));
    const percent = at(data, paths.percent);
    return {
      verdict: verdictOf(status, s),
      status,
      code: text(at(data, paths.errorCode)),
      reason: text(at(data, paths.errorMessage)),
      percent: typeof percent === "number" ? percent : undefined,
    };
  };
}
