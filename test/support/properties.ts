// What the property tests share: URL-heavy arbitrary characters, reference percent-encodings
// written independently of the code under test, and a client answered in this process.
import fc from "fast-check";
import { createCbrClient, staticTokenAuth } from "../../src/index.js";
import { PROJECT_ID } from "./loopback.js";

export const ORIGIN = "https://cbr.example.test";

/** One character: often one that matters to URLs, else any Unicode scalar value (any plane). */
export const urlChar = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ".",
      "..",
      "/",
      "%",
      "?",
      "#",
      "\\",
      "&",
      "=",
      "+",
      " ",
      ";",
      "%2e",
      "%2F",
      "%00",
      "'",
      "*",
      "~",
      "\u00e9",
      "\u4e00",
      "\u{1f600}",
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
);

const utf8 = new TextEncoder();
const hex = (b: number) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`;

/** Percent-encodes a value's UTF-8 bytes except for the bytes in `keep`. */
function percentEncode(value: string, keep: RegExp): string {
  let out = "";
  for (const byte of utf8.encode(value)) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && keep.test(c) ? c : hex(byte);
  }
  return out;
}
/** What a path value must become: encodeURIComponent's set (unreserved plus `!*'()`). */
export const pathRef = (v: string) => percentEncode(v, /[A-Za-z0-9\-_.!~*'()]/);
/** In a query the URL standard also escapes `'` (the special-query percent-encode set). */
export const queryRef = (v: string) => percentEncode(v, /[A-Za-z0-9\-_.!~*()]/);
/** The signature's strict set: RFC 3986 unreserved characters only. */
export const strict = (v: string) => percentEncode(v, /[A-Za-z0-9\-_.~]/);

/** A CBR client whose requests are answered in this process by `answer`. */
export function clientAnswering(answer: (request: Request) => Promise<Response>) {
  return createCbrClient({
    endpoint: ORIGIN,
    projectId: PROJECT_ID,
    auth: staticTokenAuth("MIItoken"),
    retry: false,
    timeoutMs: Infinity,
    fetch: answer,
  });
}
