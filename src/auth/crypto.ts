// What signing needs from a cryptography library: SHA-256 and HMAC-SHA256 as lower-case hex.
// Two implementations share this shape, and package.json's "imports" map picks one as `#crypto`:
// crypto-node.ts (node:crypto, synchronous) under the `node` condition, crypto-web.ts (Web
// Crypto, asynchronous) in browsers, Deno, Bun and anywhere else. This module imports neither.

/** Bytes to hash; strings are hashed as UTF-8. */
export type Bytes = Uint8Array | ArrayBuffer | string;

/** HMAC-SHA256 of `message` (UTF-8) under one prepared key. */
export type SyncHmac = (message: string) => string;
export type AsyncHmac = (message: string) => Promise<string>;

interface Implementation<Name extends string, Synchronous extends boolean> {
  /** Which implementation this is (diagnostics and tests). */
  readonly name: Name;
  /** True when every operation returns its result directly rather than as a promise. */
  readonly synchronous: Synchronous;
}

export interface SyncSigningCrypto extends Implementation<"node:crypto", true> {
  sha256Hex(data: Bytes): string;
  /** Prepares `key` (a secret's UTF-8 bytes, or a Web Crypto HMAC key) once for many messages. */
  hmacSha256Hex(key: string | CryptoKey): SyncHmac;
}

export interface AsyncSigningCrypto extends Implementation<"web-crypto", false> {
  sha256Hex(data: Bytes): Promise<string>;
  /** Prepares `key` (a secret's UTF-8 bytes, or a Web Crypto HMAC key) once for many messages. */
  hmacSha256Hex(key: string | CryptoKey): AsyncHmac;
}

export type SigningCrypto = SyncSigningCrypto | AsyncSigningCrypto;
