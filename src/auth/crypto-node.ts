// SHA-256 and HMAC-SHA256 through node:crypto, synchronous: on Node every Web Crypto call is a
// round trip through the thread pool, many times the cost of the hash itself (test/bench). Chosen by the
// `node` condition of package.json's "imports" (#crypto); browsers never see this module.
import { createHmac, createSecretKey, hash, KeyObject } from "node:crypto";
import type { Bytes, SyncHmac, SyncSigningCrypto } from "./crypto.js";

function sha256Hex(data: Bytes): string {
  return hash("sha256", data instanceof ArrayBuffer ? new Uint8Array(data) : data, "hex");
}

function hmacSha256Hex(key: string | CryptoKey): SyncHmac {
  // A KeyObject once, so that each HMAC does not prepare the key bytes again.
  const prepared = typeof key === "string" ? createSecretKey(Buffer.from(key, "utf8")) : KeyObject.from(key);
  return (message) => createHmac("sha256", prepared).update(message, "utf8").digest("hex");
}

export const signingCrypto: SyncSigningCrypto = { name: "node:crypto", sha256Hex, hmacSha256Hex };
