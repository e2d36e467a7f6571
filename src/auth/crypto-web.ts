// SHA-256 and HMAC-SHA256 through Web Crypto (`crypto.subtle`), for browsers, Deno, Bun and any
// runtime without node:crypto. Every call is asynchronous.
import type { AsyncHmac, AsyncSigningCrypto, Bytes } from "./crypto.js";

const encoder = new TextEncoder();

// A view is copied, so that subtle.digest sees exactly the viewed bytes, not the whole buffer.
const toBytes = (data: Bytes): Uint8Array<ArrayBuffer> => (typeof data === "string" ? encoder.encode(data) : new Uint8Array(data));

function toHex(buffer: ArrayBuffer): string {
  let hex = "";
  for (const byte of new Uint8Array(buffer)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

async function sha256Hex(data: Bytes): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", toBytes(data)));
}

function hmacSha256Hex(key: string | CryptoKey): AsyncHmac {
  // Imported once, non-extractable; importing costs more than signing.
  const imported =
    typeof key === "string"
      ? crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      : Promise.resolve(key);
  return async (message) => toHex(await crypto.subtle.sign("HMAC", await imported, encoder.encode(message)));
}

export const signingCrypto: AsyncSigningCrypto = { name: "web-crypto", sha256Hex, hmacSha256Hex };
