// The API-Gateway "SDK-HMAC-SHA256" signature: a canonical request built from the method, path,
// query, the signed headers and the hash of the exact body bytes, hashed into a string to sign,
// HMAC'd with the secret key. The canonical parts are pure functions, so the public vectors can
// be asserted byte for byte; the hashing is the platform's (#crypto: node:crypto on Node,
// synchronous; Web Crypto elsewhere).
import { andThen, type MaybePromise } from "../maybe-promise.js";
import { signingCrypto as platformCrypto } from "#crypto";
import type { Bytes, SigningCrypto } from "./crypto.js";

const ALGORITHM = "SDK-HMAC-SHA256";

export interface SigningInput {
  method: string;
  url: string | URL;
  /**
   * Exactly the headers to sign, including `X-Sdk-Date`. Names are matched case-insensitively;
   * `Authorization` is never signed.
   */
  headers: Record<string, string> | Headers;
  /** The exact bytes sent (strings as UTF-8); omitted or empty means no body. */
  body?: Bytes | undefined;
}

export interface Signature {
  /** The `Authorization` header value. */
  authorization: string;
  /** Semicolon-separated lower-case header names, e.g. `host;x-sdk-date`. */
  signedHeaders: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** `YYYYMMDD'T'HHMMSS'Z'` in UTC, the `X-Sdk-Date` format. */
export function formatSdkDate(date: Date): string {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

let sdkDateSecond = NaN;
let sdkDateText = "";

/**
 * formatSdkDate of a time in milliseconds since the epoch. The text changes once a second, and a
 * client signs many requests in one: the last one is kept.
 */
export function sdkDateAt(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== sdkDateSecond) {
    sdkDateText = formatSdkDate(new Date(second * 1000));
    sdkDateSecond = second;
  }
  return sdkDateText;
}

/** Only RFC 3986 unreserved characters: what strict encoding leaves as it is. */
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
/** Only unreserved characters and slashes: a path that is its own canonical form, but for the final `/`. */
const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;

/** Percent-encodes everything except RFC 3986 unreserved characters, with upper-case hex. */
function encodeStrict(value: string): string {
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeLenient(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a stray "%" is sent as is, so sign it as is (then encoded as %25)
  }
}

/** The path, each segment decoded and re-encoded strictly, always ending in `/`. */
export function canonicalUri(pathname: string): string {
  const encoded = PLAIN_PATH.test(pathname)
    ? pathname
    : pathname
        .split("/")
        .map((segment) => encodeStrict(decodeLenient(segment)))
        .join("/");
  if (encoded === "") return "/";
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

// Code-point order equals UTF-8 byte order, which the reference SDKs sort by. JavaScript compares
// UTF-16 code units, which agrees except where a surrogate (part of a code point above U+FFFF)
// meets a code unit from U+E000 to U+FFFF.
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800 && x >= 0xe000 !== y >= 0xe000) return x >= 0xe000 ? -1 : 1;
    return x - y;
  }
  return a.length - b.length;
}

/** Query pairs sorted by key, then value, each side encoded strictly; `key=` for empty values. */
export function canonicalQuery(search: string): string {
  if (search === "") return "";
  const params = new URLSearchParams(search);
  const pairs: Array<[string, string]> = [];
  params.forEach((value, key) => pairs.push([key, value]));
  pairs.sort(([ka, va], [kb, vb]) => compareCodePoints(ka, kb) || compareCodePoints(va, vb));
  return pairs.map(([k, v]) => `${encodeStrict(k)}=${encodeStrict(v)}`).join("&");
}

/** Lower-case names and trimmed values, sorted by name; a repeated name's entries stay in their order. */
function headerEntries(headers: Record<string, string> | Headers): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  const add = (name: string, value: string) => {
    const lower = name.toLowerCase();
    if (lower !== "authorization") entries.push([lower, value.trim()]);
  };
  if (headers instanceof Headers) headers.forEach((value, name) => add(name, value));
  else for (const name of Object.keys(headers)) add(name, headers[name]!);
  // The sort is stable, so the last of a run of one name is the value given last.
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The canonical parts of a signature: the canonical request, its signed headers, the X-Sdk-Date signed. */
export interface Canonical {
  /** Six lines; the header block ends with its own newline. */
  canonicalRequest: string;
  signedHeaders: string;
  sdkDate: string;
}

/** The canonical request; throws when `X-Sdk-Date` is not among the headers to sign. */
export function canonicalRequest(input: SigningInput, payloadHash: string): Canonical {
  const url = typeof input.url === "string" ? new URL(input.url) : input.url;
  const headers = headerEntries(input.headers);
  const names: string[] = [];
  let canonicalHeaders = "";
  let sdkDate: string | undefined;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    if (headers[i + 1]?.[0] === name) continue; // of a name given twice, the last value counts
    if (name === "x-sdk-date") sdkDate = value;
    names.push(name);
    canonicalHeaders += `${name}:${value}\n`;
  }
  if (!sdkDate) throw new TypeError("signing: the X-Sdk-Date header must be among the signed headers");
  const signedHeaders = names.join(";");
  return {
    canonicalRequest: `${input.method.toUpperCase()}\n${canonicalUri(url.pathname)}\n${canonicalQuery(url.search)}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`,
    signedHeaders,
    sdkDate,
  };
}

/** SHA-256 of zero bytes. */
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Whether a request sends no body: nothing, or zero bytes. */
export function isEmptyBody(body: Bytes | undefined): boolean {
  return body === undefined || (typeof body === "string" ? body === "" : body.byteLength === 0);
}

/** The body's SHA-256; most requests (GET, DELETE) have none, and its hash is known. */
function bodyHash(body: Bytes | undefined, sha256Hex: (data: Bytes) => MaybePromise<string>): MaybePromise<string> {
  return isEmptyBody(body) ? EMPTY_SHA256 : sha256Hex(body as Bytes);
}

/**
 * Signs requests with one secret key. With a synchronous implementation (node:crypto) the
 * signature is returned directly, otherwise as a promise.
 */
export type Signer = (input: SigningInput, accessKey: string) => MaybePromise<Signature>;

/**
 * A signer for one secret key (or a Web Crypto HMAC key), prepared once: reuse it for every
 * request signed with that key. `crypto` defaults to the platform's implementation.
 */
export function createSigner(key: string | CryptoKey, crypto: SigningCrypto = platformCrypto): Signer {
  const hmac: (message: string) => MaybePromise<string> = crypto.hmacSha256Hex(key);
  const sha256Hex: (data: Bytes) => MaybePromise<string> = crypto.sha256Hex;
  return (input, accessKey) =>
    andThen(bodyHash(input.body, sha256Hex), (payloadHash) => {
      const canonical = canonicalRequest(input, payloadHash);
      return andThen(sha256Hex(canonical.canonicalRequest), (canonicalHash) => {
        const stringToSign = `${ALGORITHM}\n${canonical.sdkDate}\n${canonicalHash}`;
        return andThen(hmac(stringToSign), (signature) => ({
          authorization: `${ALGORITHM} Access=${accessKey}, SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`,
          signedHeaders: canonical.signedHeaders,
          canonicalRequest: canonical.canonicalRequest,
          stringToSign,
          signature,
        }));
      });
    });
}

/**
 * Signs a request. `key` is the secret key or a Web Crypto HMAC key. To sign many requests with
 * one key, createSigner prepares it once.
 */
export async function sign(input: SigningInput, accessKey: string, key: string | CryptoKey): Promise<Signature> {
  return createSigner(key)(input, accessKey);
}
