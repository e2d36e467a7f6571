// SHA-256 and HMAC-SHA256 through Web Crypto only, so signing runs in browsers, Deno, Bun and
// Node alike.

const encoder = new TextEncoder();

export type Bytes = Uint8Array | ArrayBuffer | string;

function toBytes(data: Bytes): Uint8Array<ArrayBuffer> {
  if (typeof data === "string") return encoder.encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  // Copy views so that subtle.digest sees exactly the viewed bytes, not the whole buffer.
  return new Uint8Array(data);
}

export function toHex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** Lower-case hex SHA-256 of the given bytes (strings are hashed as UTF-8). */
export async function sha256Hex(data: Bytes): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", toBytes(data)));
}

/** Imports a secret (the SK's UTF-8 bytes) as a non-extractable HMAC-SHA256 signing key. */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** Lower-case hex HMAC-SHA256 of `message` (UTF-8) under `key`. */
export async function hmacSha256Hex(key: CryptoKey, message: string): Promise<string> {
  return toHex(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}
