// The option checks: every value that would silently disable or break a safety is refused with
// "<where>: `<name>` must be …", and the message never quotes the value.
import { describe, expect, it } from "vitest";
import {
  baseUrlOption,
  booleanOption,
  choiceOption,
  functionOption,
  listOption,
  numberOption,
  refuseReplaced,
  signalOption,
  textOption,
  urlSegmentOption,
} from "../../src/options/check.js";

const SECRETISH = "s3cr3t-value";
const isString = (v: unknown): v is string => typeof v === "string";
const isStatus = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599;

/** Calls `check` and returns its TypeError's message (or undefined when it accepted). */
function refusal(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
}

describe("numberOption", () => {
  const refused: Array<[string, unknown, object]> = [
    ["NaN", NaN, {}],
    ["Infinity", Infinity, {}],
    ["-Infinity", -Infinity, { infinity: true }],
    ["negative", -1, { min: 0 }],
    ["above max", 11, { max: 10 }],
    ["fraction where integers belong", 1.5, { integer: true }],
    ["numeric string", "1000", {}],
    ["empty string", "", {}],
    ["null", null, {}],
    ["boolean", true, {}],
    ["object", { valueOf: () => 5 }, {}],
    ["array", [5], {}],
    ["bigint", 5n, {}],
  ];
  it.each(refused)("refuses %s", (_, value, rule) => {
    expect(refusal(() => numberOption("client", "timeoutMs", value, rule))).toMatch(/^client: `timeoutMs` must be (a number|an integer)/);
  });

  const accepted: Array<[string, unknown, object, number | undefined]> = [
    ["undefined", undefined, { min: 0 }, undefined],
    ["zero at min 0", 0, { min: 0 }, 0],
    ["Infinity when allowed", Infinity, { infinity: true, min: 0 }, Infinity],
    ["Infinity for integers when allowed", Infinity, { infinity: true, integer: true }, Infinity],
    ["max itself", 10, { max: 10 }, 10],
  ];
  it.each(accepted)("accepts %s", (_, value, rule, expected) => {
    expect(numberOption("client", "timeoutMs", value, rule)).toBe(expected);
  });

  it("describes the range it wants", () => {
    expect(refusal(() => numberOption("retry", "maxAttempts", 0, { min: 1, max: 10, integer: true }))).toBe(
      "retry: `maxAttempts` must be an integer from 1 to 10",
    );
    expect(refusal(() => numberOption("w", "n", -1, { min: 0, infinity: true }))).toBe("w: `n` must be a number ≥ 0 (or Infinity)");
  });
});

describe("booleanOption, functionOption, signalOption", () => {
  it.each([["true"], [1], [0], [null], [{}]])("booleanOption refuses %j", (value) => {
    expect(refusal(() => booleanOption("client", "throwOnError", value))).toBe("client: `throwOnError` must be true or false");
  });
  it.each([["fn"], [{}], [null], [1]])("functionOption refuses %j", (value) => {
    expect(refusal(() => functionOption("client", "onEvent", value))).toBe("client: `onEvent` must be a function");
  });
  it.each([["signal"], [{}], [{ aborted: "no" }], [1]])("signalOption refuses %j", (value) => {
    expect(refusal(() => signalOption("call", "signal", value))).toBe("call: `signal` must be an AbortSignal");
  });
  it("accepts what they name, and undefined", () => {
    const f = () => 1;
    const signal = new AbortController().signal;
    expect([
      booleanOption("w", "b", false),
      functionOption("w", "f", f),
      signalOption("w", "s", signal),
      signalOption("w", "s", null),
    ]).toEqual([false, f, signal, undefined]);
    expect([booleanOption("w", "b", undefined), functionOption("w", "f", undefined), signalOption("w", "s", undefined)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("listOption", () => {
  // A string is iterable: without the check "503" would become the set {"5", "0", "3"}.
  const refused: Array<[string, unknown, "status" | "method"]> = [
    ["a status as a string", "503", "status"],
    ["a method as a string", "GET", "method"],
    ["a Set", new Set([503]), "status"],
    ["an object", { 0: 503, length: 1 }, "status"],
    ["a number", 503, "status"],
    ["statuses as strings", ["503"], "status"],
    ["NaN in the list", [503, NaN], "status"],
    ["a method that is no string", ["GET", 1], "method"],
    ["null", null, "status"],
  ];
  it.each(refused)("refuses %s", (_, value, kind) => {
    const message =
      kind === "status"
        ? refusal(() => listOption("retry", "statuses", value, isStatus, "HTTP statuses"))
        : refusal(() => listOption("retry", "methods", value, isString, "method names"));
    expect(message).toBe(
      kind === "status" ? "retry: `statuses` must be an array of HTTP statuses" : "retry: `methods` must be an array of method names",
    );
  });
  it("accepts arrays of the right items, and undefined", () => {
    expect(listOption("retry", "statuses", [429, 503], isStatus, "HTTP statuses")).toEqual([429, 503]);
    expect(listOption("retry", "methods", [], isString, "method names")).toEqual([]);
    expect(listOption("retry", "methods", undefined, isString, "method names")).toBeUndefined();
  });
});

describe("choiceOption and refuseReplaced", () => {
  it.each([["THROW"], [""], [1], [{}], [["throw"]]])("choiceOption refuses %j", (value) => {
    expect(refusal(() => choiceOption("validate", "mode", value, ["warn", "throw"]))).toBe(
      'validate: `mode` must be one of "warn", "throw"',
    );
  });
  it("choiceOption accepts a choice", () => {
    expect(choiceOption("validate", "mode", "warn", ["warn", "throw"])).toBe("warn");
  });
  it("refuseReplaced names the replacement, and ignores an undefined old option", () => {
    expect(refusal(() => refuseReplaced("retry", { maxElapsedMs: 5 }, "maxElapsedMs", "use `timeoutMs`"))).toBe(
      "retry: `maxElapsedMs` was replaced: use `timeoutMs`",
    );
    expect(refusal(() => refuseReplaced("retry", { maxElapsedMs: undefined }, "maxElapsedMs", "use `timeoutMs`"))).toBeUndefined();
  });
});

describe("textOption", () => {
  const refused: Array<[string, unknown, RegExp]> = [
    ["a number", 12, /must be a non-empty string/],
    ["a boolean", true, /must be a non-empty string/],
    ["an object", { toString: () => "x" }, /must be a non-empty string/],
    ["empty", "", /must be a non-empty string/],
    ["a line break", `${SECRETISH}\n`, /control characters/],
    ["a carriage return", `a\rb${SECRETISH}`, /control characters/],
    ["NUL", `${SECRETISH}\0`, /control characters/],
    ["DEL", `${SECRETISH}\u007f`, /control characters/],
    ["a C1 control", `${SECRETISH}\u0085`, /control characters/],
  ];
  it.each(refused)("refuses %s, without quoting it", (_, value, why) => {
    const message = refusal(() => textOption("clouds.yaml", "auth.password", value));
    expect(message).toMatch(/^clouds\.yaml: `auth\.password` must /);
    expect(message).toMatch(why);
    expect(message).not.toContain(SECRETISH);
  });
  it("accepts any other text, spaces and Unicode included, and caps the length when asked", () => {
    expect(textOption("w", "n", "pass word ✓")).toBe("pass word ✓");
    expect(textOption("w", "n", undefined)).toBeUndefined();
    expect(refusal(() => textOption("w", "n", "abcd", { maxLength: 3 }))).toBe("w: `n` must be at most 3 characters long");
  });
});

describe("urlSegmentOption", () => {
  const refused: Array<[string, unknown]> = [
    ["a slash", "abc/def"],
    ["a backslash", "abc\\def"],
    ["a query", "abc?x=1"],
    ["a fragment", "abc#x"],
    ["user info", "user@evil.example"],
    ["a percent escape", "abc%2Fdef"],
    ["a port", "evil.example:443"],
    ["a dot segment", ".."],
    ["a dot", "."],
    ["dots inside", "a..b"],
    ["a space", "eu de"],
    ["a tab", "eu\tde"],
    ["a line break", "eu-de\n"],
    ["NUL", "eu-de\0"],
    ["a number", 123456],
    ["empty", ""],
    ["NaN", NaN],
  ];
  it.each(refused)("refuses %s", (_, value) => {
    expect(refusal(() => urlSegmentOption("the environment", "OS_PROJECT_ID", value))).toMatch(/^the environment: `OS_PROJECT_ID` must /);
  });
  it.each([["0123456789abcdef0123456789abcdef"], ["eu-de"], ["eu-de_project"], ["OTC00000000001000000xyz"], ["a.b"]])(
    "accepts %s",
    (value) => {
      expect(urlSegmentOption("w", "n", value)).toBe(value);
    },
  );
});

describe("baseUrlOption", () => {
  const refused: Array<[string, unknown, RegExp]> = [
    ["a relative URL", "/v3", /absolute URL/],
    ["no URL at all", "iam.eu-de.otc.t-systems.com", /absolute URL/],
    ["ftp", "ftp://iam.example/v3", /https:\/\//],
    ["javascript", "javascript:alert(1)", /https:\/\//],
    ["user info", "https://user:pw@iam.example/v3", /user name or password/],
    ["a query", "https://iam.example/v3?x=1", /query or fragment/],
    ["an empty query", "https://iam.example/v3?", /query or fragment/],
    ["a fragment", "https://iam.example/v3#x", /query or fragment/],
    ["a tab the parser would drop", "https://iam.eu-de\t.example/v3", /whitespace/],
    ["a line break", "https://iam.example/v3\n", /whitespace/],
    ["a leading space", " https://iam.example/v3", /whitespace/],
    ["a number", 443, /non-empty string/],
  ];
  it.each(refused)("refuses %s", (_, value, why) => {
    const message = refusal(() => baseUrlOption("clouds.yaml", "auth.auth_url", value));
    expect(message).toMatch(/^clouds\.yaml: `auth\.auth_url` must /);
    expect(message).toMatch(why);
  });
  it("accepts https, and http unless told otherwise", () => {
    expect(baseUrlOption("w", "n", "https://iam.eu-de.otc.t-systems.com/v3")?.host).toBe("iam.eu-de.otc.t-systems.com");
    expect(baseUrlOption("w", "n", "http://127.0.0.1:8080")?.port).toBe("8080");
    expect(refusal(() => baseUrlOption("w", "n", "http://127.0.0.1:8080", { http: false }))).toBe("w: `n` must be an https:// URL");
  });
});
