// One place that checks option values, with one message style: "<where>: `<name>` must be …".
// Every option a user passes (client, retry, paging, waiting, auth, configuration) goes through
// these, so that a value that would silently disable or break a safety (NaN, a negative or string
// timeout, a string where a list belongs) fails before anything is sent. Messages name the option
// and never quote its value (it may be a credential).

export interface NumberRule {
  /** Smallest accepted value (inclusive). */
  min?: number;
  /** Largest accepted value (inclusive). */
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** Accept Infinity (for "no limit"). */
  infinity?: boolean;
}

function describe(rule: NumberRule): string {
  const kind = rule.integer ? "an integer" : "a number";
  const { min, max } = rule;
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? min === 0
          ? " ≥ 0"
          : ` ≥ ${min}`
        : max !== undefined
          ? ` ≤ ${max}`
          : "";
  return `${kind}${range}${rule.infinity ? " (or Infinity)" : ""}`;
}

/** An optional number option: undefined stays undefined; anything else must be finite (or Infinity if allowed) and in range. */
export function numberOption(where: string, name: string, value: unknown, rule: NumberRule = {}): number | undefined {
  if (value === undefined) return undefined;
  const ok =
    typeof value === "number" &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) || (rule.infinity === true && value === Infinity)) &&
    (!rule.integer || !Number.isFinite(value) || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) throw new TypeError(`${where}: \`${name}\` must be ${describe(rule)}`);
  return value as number;
}

/** An optional boolean option. */
export function booleanOption(where: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw new TypeError(`${where}: \`${name}\` must be true or false`);
  return value;
}

/** An optional function option. */
export function functionOption<F extends (...args: never[]) => unknown>(where: string, name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") throw new TypeError(`${where}: \`${name}\` must be a function`);
  return value as F;
}

/** An optional AbortSignal option. */
export function signalOption(where: string, name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof (value as AbortSignal).aborted !== "boolean" || typeof (value as AbortSignal).addEventListener !== "function") {
    throw new TypeError(`${where}: \`${name}\` must be an AbortSignal`);
  }
  return value as AbortSignal;
}

/** An optional list option: an array (never a string or another iterable) whose items pass `item`; `what` describes one item. */
export function listOption<T>(
  where: string,
  name: string,
  value: unknown,
  item: (v: unknown) => v is T,
  what: string,
): readonly T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new TypeError(`${where}: \`${name}\` must be an array of ${what}`);
  for (const v of value) if (!item(v)) throw new TypeError(`${where}: \`${name}\` must be an array of ${what}`);
  return value as readonly T[];
}

/** An optional option that must be one of `choices`. */
export function choiceOption<T extends string>(where: string, name: string, value: unknown, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    throw new TypeError(`${where}: \`${name}\` must be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`);
  }
  return value as T;
}

/** Throws for an option that was renamed or removed, saying what replaces it. */
export function refuseReplaced(where: string, options: object, name: string, replacement: string): void {
  if (name in options && (options as Record<string, unknown>)[name] !== undefined) {
    throw new TypeError(`${where}: \`${name}\` was replaced: ${replacement}`);
  }
}

/** C0 and C1 control characters and DEL: never part of a name, an id or a credential. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export interface TextRule {
  /** Longest accepted length in UTF-16 units. */
  maxLength?: number;
}

/** An optional text option: a non-empty string without control characters (CR, LF, NUL…). */
export function textOption(where: string, name: string, value: unknown, rule: TextRule = {}): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") throw new TypeError(`${where}: \`${name}\` must be a non-empty string`);
  if (CONTROL.test(value)) throw new TypeError(`${where}: \`${name}\` must not contain control characters (line breaks, NUL…)`);
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    throw new TypeError(`${where}: \`${name}\` must be at most ${rule.maxLength} characters long`);
  }
  return value;
}

/**
 * Characters that would change where a value lands once it is put into a URL as a path segment or
 * a host label: separators of the URL's parts, percent escapes, whitespace and control characters.
 */
const NOT_IN_SEGMENT = /[/\\?#@%:;\s\u0000-\u001f\u007f-\u009f]/;

/**
 * An optional value that will be put into a URL as one path segment or one part of a host name
 * (an id, a region): text without `/`, `\`, `?`, `#`, `@`, `%`, `:`, `;`, whitespace, control
 * characters or `..`.
 */
export function urlSegmentOption(where: string, name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") throw new TypeError(`${where}: \`${name}\` must be a non-empty string`);
  if (NOT_IN_SEGMENT.test(value) || value.includes("..") || value === ".") {
    throw new TypeError(
      `${where}: \`${name}\` must not contain "/", "\\", "?", "#", "@", "%", ":", ";", "..", whitespace or control characters (it becomes part of a URL)`,
    );
  }
  return value;
}

export interface BaseUrlRule {
  /** Accept `http:` (the caller decides for which hosts; `https:` is always accepted). */
  http?: boolean;
}

/**
 * An optional base URL (an endpoint, an identity service): absolute, `https:` (or `http:` when
 * allowed), without user info, query or fragment, and written without whitespace or control
 * characters (which the URL parser would silently drop, changing the host).
 */
export function baseUrlOption(where: string, name: string, value: unknown, rule: BaseUrlRule = { http: true }): URL | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") throw new TypeError(`${where}: \`${name}\` must be a non-empty string`);
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(value))
    throw new TypeError(`${where}: \`${name}\` must not contain whitespace or control characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${where}: \`${name}\` must be an absolute URL`);
  }
  if (url.protocol !== "https:" && !(rule.http && url.protocol === "http:")) {
    throw new TypeError(`${where}: \`${name}\` must be an ${rule.http ? "https:// or http://" : "https://"} URL`);
  }
  if (url.username || url.password) throw new TypeError(`${where}: \`${name}\` must not carry a user name or password`);
  if (url.search || url.hash || value.includes("?") || value.includes("#"))
    throw new TypeError(`${where}: \`${name}\` must not carry a query or fragment`);
  return url;
}
