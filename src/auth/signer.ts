// The API-Gateway "SDK-HMAC-SHA256" signature (auth.md §2.2): a canonical request built from the
// method, path, query, the signed headers and the hash of the exact body bytes, hashed into a
// string to sign, HMAC'd with the secret key. Pure functions, so the public vectors can be
// asserted byte for byte.
import { hmacSha256Hex, importHmacKey, sha256Hex, type Bytes } from "./crypto.js";

export const ALGORITHM = "SDK-HMAC-SHA256";

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
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Percent-encodes everything except RFC 3986 unreserved characters, with upper-case hex. */
export function encodeStrict(value: string): string {
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
  const encoded = pathname
    .split("/")
    .map((segment) => encodeStrict(decodeLenient(segment)))
    .join("/");
  if (encoded === "") return "/";
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

// Code-point order equals UTF-8 byte order, which the reference SDKs sort by.
function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return x.length - y.length;
}

/** Query pairs sorted by key, then value, each side encoded strictly; `key=` for empty values. */
export function canonicalQuery(search: string): string {
  const params = new URLSearchParams(search);
  const pairs: Array<[string, string]> = [];
  params.forEach((value, key) => pairs.push([key, value]));
  pairs.sort(([ka, va], [kb, vb]) => compareCodePoints(ka, kb) || compareCodePoints(va, vb));
  return pairs.map(([k, v]) => `${encodeStrict(k)}=${encodeStrict(v)}`).join("&");
}

function headerEntries(headers: Record<string, string> | Headers): Array<[string, string]> {
  const entries: Array<[string, string]> =
    headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const byName = new Map<string, string>();
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (lower === "authorization") continue;
    byName.set(lower, value.trim());
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The canonical request (six lines; the header block ends with its own newline). */
export function canonicalRequest(input: SigningInput, payloadHash: string): { canonicalRequest: string; signedHeaders: string } {
  const url = typeof input.url === "string" ? new URL(input.url) : input.url;
  const headers = headerEntries(input.headers);
  const signedHeaders = headers.map(([name]) => name).join(";");
  const canonicalHeaders = headers.map(([name, value]) => `${name}:${value}\n`).join("");
  return {
    canonicalRequest: [
      input.method.toUpperCase(),
      canonicalUri(url.pathname),
      canonicalQuery(url.search),
      canonicalHeaders,
      signedHeaders,
      payloadHash,
    ].join("\n"),
    signedHeaders,
  };
}

function sdkDateOf(headers: Record<string, string> | Headers): string {
  const date = headerEntries(headers).find(([name]) => name === "x-sdk-date")?.[1];
  if (!date) throw new TypeError("signing: the X-Sdk-Date header must be among the signed headers");
  return date;
}

/** SHA-256 of zero bytes. */
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * Signs a request. `key` is the secret key or a key from importHmacKey (reuse one per secret to
 * skip the import on every request).
 */
export async function sign(input: SigningInput, accessKey: string, key: string | CryptoKey): Promise<Signature> {
  const empty = input.body === undefined || (typeof input.body === "string" ? input.body === "" : input.body.byteLength === 0);
  // Most requests (GET, DELETE) have no body: skip one Web Crypto round trip for its known hash.
  const payloadHash = empty ? EMPTY_SHA256 : await sha256Hex(input.body!);
  const { canonicalRequest: canonical, signedHeaders } = canonicalRequest(input, payloadHash);
  const stringToSign = `${ALGORITHM}\n${sdkDateOf(input.headers)}\n${await sha256Hex(canonical)}`;
  const hmacKey = typeof key === "string" ? await importHmacKey(key) : key;
  const signature = await hmacSha256Hex(hmacKey, stringToSign);
  return {
    authorization: `${ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    signedHeaders,
    canonicalRequest: canonical,
    stringToSign,
    signature,
  };
}
