// Path parameters that cannot change which resource is addressed.
import type { PathSerializer } from "openapi-fetch";
import { defaultPathSerializer } from "openapi-fetch";

/** String.prototype.isWellFormed arrived in Node 20 and recent browsers; fall back to a regex. */
const isWellFormed = (text: string): boolean =>
  typeof (text as { isWellFormed?: () => boolean }).isWellFormed === "function"
    ? (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/**
 * Serializes path parameters after refusing values that would change which resource is
 * addressed: empty strings and the dot segments `.` and `..` (which survive
 * encodeURIComponent), and broken Unicode. Everything else is percent-encoded, so `/`, `?`, `#`
 * and `%` stay inside their segment.
 */
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
