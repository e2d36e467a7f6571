// Option checks shared by the strategies and the clients. Every credential-bearing option (keys,
// tokens, passwords, user, project, domain and agency names and ids) is checked when the strategy
// is created, so that a value no request can carry fails before anything is sent. Messages name
// the option and never quote its value.
import { checkClock } from "../clock.js";

export { checkClock };

/** Throws unless `options` is an object; `where` names the function the user called. */
export function requireOptions(where: string, options: unknown): void {
  if (options === null || typeof options !== "object") throw new TypeError(`${where}: options must be an object`);
  // `now` was replaced by the shared Clock; refuse it rather than silently ignore it.
  if ("now" in options && (options as { now?: unknown }).now !== undefined) {
    throw new TypeError(`${where}: \`now\` was replaced by \`clock\` ({ now(), sleep() }, see Clock)`);
  }
}

/**
 * Where a value travels: inside a JSON body or a URL query (`text`: anything but CR, LF and NUL),
 * or as an HTTP header value (`header`: printable ASCII without spaces, which is what tokens, keys
 * and ids consist of; anything else would be refused, or silently trimmed, by `Headers`).
 */
export type Carrier = "text" | "header";

const BREAKS = /[\r\n\0]/;
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** True when `value` can be sent as a header value exactly as it is. */
export function isHeaderSafe(value: string): boolean {
  return HEADER_SAFE.test(value);
}

/**
 * Checks an optional (or, with `required`, a required) string option: a non-empty string that its
 * carrier can take. Returns whether it is set.
 */
export function stringOption(where: string, name: string, value: unknown, carrier: Carrier, required = false): value is string {
  if (value === undefined && !required) return false;
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`${where}: \`${name}\` must be a non-empty string`);
  if (BREAKS.test(value)) {
    throw new TypeError(
      `${where}: \`${name}\` contains a line break or NUL character, which no request can carry (a value read from a file often ends with a newline: trim it)`,
    );
  }
  if (carrier === "header" && !isHeaderSafe(value)) {
    throw new TypeError(`${where}: \`${name}\` is sent as an HTTP header and may contain only printable ASCII characters, without spaces`);
  }
  return true;
}

/** A domain given by name or id (not both): `{ name }`, `{ id }` or undefined. `options` names the two options in messages. */
export function domainRef(
  where: string,
  name: unknown,
  id: unknown,
  options: readonly [name: string, id: string] = ["domainName", "domainId"],
): { name: string } | { id: string } | undefined {
  const hasName = stringOption(where, options[0], name, "text");
  const hasId = stringOption(where, options[1], id, "text");
  if (hasName && hasId) throw new TypeError(`${where}: pass \`${options[0]}\` or \`${options[1]}\`, not both`);
  return hasId ? { id: id as string } : hasName ? { name: name as string } : undefined;
}

/** The project by id or name (not both); returns which are set. */
export function projectRef(where: string, id: unknown, name: unknown, idCarrier: Carrier = "text"): { hasId: boolean; hasName: boolean } {
  const hasId = stringOption(where, "projectId", id, idCarrier);
  const hasName = stringOption(where, "projectName", name, "text");
  if (hasId && hasName) throw new TypeError(`${where}: pass \`projectId\` or \`projectName\`, not both`);
  return { hasId, hasName };
}

export function checkMargin(where: string, margin: number | undefined): void {
  if (margin !== undefined && (!Number.isFinite(margin) || margin < 0)) {
    throw new TypeError(`${where}: refreshMarginMs must be a non-negative number of milliseconds`);
  }
}
