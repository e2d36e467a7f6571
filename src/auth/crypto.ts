// What signing needs from a cryptography library: SHA-256 and HMAC-SHA256 as lower-case hex.
// Two implementations share this shape, and package.json's "imports" map picks one as `#crypto`:
// crypto-node.ts (node:crypto, synchronous) under the `node` condition, crypto-web.ts (Web
// Crypto, asynchronous) in browsers, Deno, Bun and anywhere else. This module imports neither.

/** Bytes to hash; strings are hashed as UTF-8. */
export type Bytes = Uint8Array | ArrayBuffer | string;

/** HMAC-SHA256 of `message` (UTF-8) under one prepared key. */
export type SyncHmac = (message: string) => string;
export type AsyncHmac = (message: string) => Promise<string>;

export interface SyncSigningCrypto {
  /** Which implementation this is (diagnostics and tests). */
  readonly name: "node:crypto";
  sha256Hex(data: Bytes): string;
  /** Prepares `key` (a secret's UTF-8 bytes, or a Web Crypto HMAC key) once for many messages. */
  hmacSha256Hex(key: string | CryptoKey): SyncHmac;
}

export interface AsyncSigningCrypto {
  readonly name: "web-crypto";
  sha256Hex(data: Bytes): Promise<string>;
  hmacSha256Hex(key: string | CryptoKey): AsyncHmac;
}

export type SigningCrypto = SyncSigningCrypto | AsyncSigningCrypto;
