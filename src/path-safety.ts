// Path parameters that cannot change which resource is addressed.
import type { PathSerializer } from "openapi-fetch";
import { defaultPathSerializer } from "openapi-fetch";

/** A surrogate that is not half of a pair (broken Unicode), and a quick test for any surrogate first. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Serializes path parameters after refusing values that would change which resource is
 * addressed: empty strings and the dot segments `.` and `..` (which survive
 * encodeURIComponent), and broken Unicode. Everything else is percent-encoded, so `/`, `?`, `#`
 * and `%` stay inside their segment.
 */
export const safePathSerializer: PathSerializer = (pathname, pathParams) => {
  for (const name in pathParams) {
    const value = pathParams[name];
    if (value === undefined || value === null) continue;
    const text = String(value);
    if (text === "" || text === "." || text === "..") {
      throw new TypeError(`path parameter ${name} must not be ${text === "" ? "empty" : JSON.stringify(text)}`);
    }
    if (SURROGATE.test(text) && LONE_SURROGATE.test(text))
      throw new TypeError(`path parameter ${name} contains a lone surrogate (broken Unicode)`);
  }
  const url = defaultPathSerializer(pathname, pathParams);
  const path = url.indexOf("/", url.indexOf("//") + 2);
  const missing = url.includes("{", path) ? /\{([^{}]+)\}/.exec(url.slice(path)) : null;
  if (missing) throw new TypeError(`path parameter ${missing[1]} is required`);
  return url;
};
