// The public SDK-HMAC-SHA256 vectors (from the Go and Python SDKs of the API Gateway signer and
// the signing guide's worked example), asserted byte for byte through both implementations of
// the hashing: node:crypto (what Node resolves #crypto to) and Web Crypto (everything else).
import { describe, expect, it, vi } from "vitest";
import { signingCrypto as platformCrypto } from "#crypto";
import { sleep } from "../../src/clock.js";
import { akskAuth } from "../../src/auth/aksk.js";
import type { AuthStrategy } from "../../src/auth/types.js";
import type { SigningCrypto } from "../../src/auth/crypto.js";
import { signingCrypto as nodeCrypto } from "../../src/auth/crypto-node.js";
import { signingCrypto as webCrypto } from "../../src/auth/crypto-web.js";
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  createSigner,
  formatSdkDate,
  sdkDateAt,
  sign,
  type SigningInput,
} from "../../src/auth/signer.js";
import { createTransport as createPipeline } from "../../src/pipeline/client-pipeline.js";
import { fetchSender, type FetchLike } from "../../src/pipeline/senders/fetch.js";

/** The client's transport with one attempt and no limits, sending through `fetch`. */
const createTransport = (o: { fetch: FetchLike; auth: AuthStrategy }) =>
  createPipeline({
    sender: fetchSender(o.fetch),
    auth: o.auth,
    timeoutMs: Infinity,
    attemptTimeoutMs: Infinity,
    retry: false,
    maxResponseBytes: 1e9,
  });

const EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const implementations: SigningCrypto[] = [nodeCrypto, webCrypto];

describe.each(implementations)("public vectors, hashed by $name", (crypto) => {
  const sign = (input: SigningInput, accessKey: string, secretKey: string) => createSigner(secretKey, crypto)(input, accessKey);
  const sha256Hex = (data: string | Uint8Array) => crypto.sha256Hex(data);

  it("P1: Go SDK GET, only x-sdk-date signed", async () => {
    const s = await sign(
      { method: "GET", url: "https://example.huaweicloud.com/path?limit=1", headers: { "X-Sdk-Date": "20060102T150405Z" } },
      "AccessKey",
      "SecretKey",
    );
    expect(s.canonicalRequest).toBe(`GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n${EMPTY_HASH}`);
    expect(s.stringToSign.split("\n")[2]).toBe("85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4");
    expect(s.authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
    );
  });

  it("P2: Go SDK POST with a JSON body that ends in a newline", async () => {
    const body = '{"Name":"test","Id":1}\n';
    expect(await sha256Hex(body)).toBe("a29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289");
    const s = await sign(
      { method: "POST", url: "https://example.huaweicloud.com/path?key=value", headers: { "X-Sdk-Date": "20060102T150405Z" }, body },
      "AccessKey",
      "SecretKey",
    );
    expect(s.canonicalRequest).toBe(
      "POST\n/path/\nkey=value\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\na29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289",
    );
    expect(s.authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59",
    );
  });

  it("P3: Python SDK GET with host signed", async () => {
    const s = await sign(
      {
        method: "GET",
        url: "https://service.endpoint.myhuaweicloud.com/resources?size=1",
        headers: { "X-Sdk-Date": "20200608T023900Z", Host: "service.endpoint.myhuaweicloud.com" },
      },
      "AccessKey",
      "SecretKey",
    );
    expect(s.canonicalRequest).toBe(
      `GET\n/resources/\nsize=1\nhost:service.endpoint.myhuaweicloud.com\nx-sdk-date:20200608T023900Z\n\nhost;x-sdk-date\n${EMPTY_HASH}`,
    );
    expect(s.authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842",
    );
  });

  it("P4: Python SDK POST with host signed", async () => {
    const body = new TextEncoder().encode('{"name":"test","id":1}');
    expect(await sha256Hex(body)).toBe("8ed555081b9961769014bc1182c629bb0fe68d7b01c1fc1caab4dc791f377e8c");
    const s = await sign(
      {
        method: "POST",
        url: "https://service.endpoint.myhuaweicloud.com/resources?size=1",
        headers: { "X-Sdk-Date": "20200608T023900Z", Host: "service.endpoint.myhuaweicloud.com" },
        body,
      },
      "AccessKey",
      "SecretKey",
    );
    expect(s.authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f",
    );
  });

  it("P5: the signing guide's worked example", async () => {
    const s = await sign(
      {
        method: "GET",
        url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        headers: { "Content-Type": "application/json", Host: "service.region.example.com", "X-Sdk-Date": "20191115T033655Z" },
      },
      "QTWAOYTTINDUT2QVKYUC",
      "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
    );
    expect(s.canonicalRequest).toBe(
      [
        "GET",
        "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
        "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        "content-type:application/json",
        "host:service.region.example.com",
        "x-sdk-date:20191115T033655Z",
        "",
        "content-type;host;x-sdk-date",
        EMPTY_HASH,
      ].join("\n"),
    );
    expect(s.stringToSign).toBe("SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    expect(s.authorization).toBe(
      "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
    );
  });
});

const P1: SigningInput = {
  method: "GET",
  url: "https://example.huaweicloud.com/path?limit=1",
  headers: { "X-Sdk-Date": "20060102T150405Z" },
};
const P1_AUTHORIZATION =
  "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624";
const P2_BODY = '{"Name":"test","Id":1}\n';
const P2: SigningInput = {
  method: "POST",
  url: "https://example.huaweicloud.com/path?key=value",
  headers: { "X-Sdk-Date": "20060102T150405Z" },
  body: P2_BODY,
};
const P2_SIGNATURE = "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59";

describe("the two implementations", () => {
  it("#crypto is node:crypto under Node (the `node` condition), and sign() uses it", async () => {
    expect(platformCrypto.name).toBe("node:crypto");
    expect((await sign(P1, "AccessKey", "SecretKey")).authorization).toBe(P1_AUTHORIZATION);
  });

  it("node:crypto signs synchronously, Web Crypto through a promise", async () => {
    const direct = createSigner("SecretKey", nodeCrypto)(P1, "AccessKey");
    expect(direct).not.toBeInstanceOf(Promise);
    expect((direct as Awaited<typeof direct>).authorization).toBe(P1_AUTHORIZATION);
    const later = createSigner("SecretKey", webCrypto)(P1, "AccessKey");
    expect(later).toBeInstanceOf(Promise);
    expect((await later).authorization).toBe(P1_AUTHORIZATION);
  });

  it.each(implementations)("$name hashes bodies given as a string, an ArrayBuffer or a view of part of a buffer alike", async (crypto) => {
    const bytes = new TextEncoder().encode(P2_BODY);
    const inBiggerBuffer = new Uint8Array(bytes.byteLength + 8);
    inBiggerBuffer.set(bytes, 4);
    const signer = createSigner("SecretKey", crypto);
    for (const body of [P2_BODY, bytes.buffer, bytes, inBiggerBuffer.subarray(4, 4 + bytes.byteLength)]) {
      expect((await signer({ ...P2, body }, "AccessKey")).signature).toBe(P2_SIGNATURE);
    }
  });

  it.each(implementations)("$name accepts a Web Crypto HMAC key instead of the secret", async (crypto) => {
    const key = await globalThis.crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode("SecretKey"),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    expect((await createSigner(key, crypto)(P1, "AccessKey")).authorization).toBe(P1_AUTHORIZATION);
  });

  it.each(implementations)("$name refuses to sign without X-Sdk-Date", async (crypto) => {
    const signing = async () => createSigner("SecretKey", crypto)({ ...P1, headers: { Host: "example.huaweicloud.com" } }, "AccessKey");
    await expect(signing()).rejects.toThrow("X-Sdk-Date");
  });
});

describe("signing the bytes the transport holds", () => {
  // Vector P4 through the strategy: no project id, no content type, so host + x-sdk-date signed.
  const P4_URL = "https://service.endpoint.myhuaweicloud.com/resources?size=1";
  const P4_BODY = '{"name":"test","id":1}';
  const P4_AUTHORIZATION =
    "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f";
  const auth = () =>
    akskAuth({ accessKey: "AccessKey", secretKey: "SecretKey", clock: { now: () => Date.UTC(2020, 5, 8, 2, 39, 0), sleep } });

  it("akskAuth signs the bytes given to authenticate and leaves the request's body unread", async () => {
    // Other bytes in the request prove which ones were signed.
    const request = new Request(P4_URL, { method: "POST", body: new TextEncoder().encode("something else") });
    const clone = vi.spyOn(request, "clone");
    const signed = await auth().authenticate(request, new TextEncoder().encode(P4_BODY).buffer);
    expect(signed.headers.get("authorization")).toBe(P4_AUTHORIZATION);
    expect(clone).not.toHaveBeenCalled();
    expect(request.bodyUsed).toBe(false);
  });

  it("without the bytes, akskAuth reads a copy of the request's body", async () => {
    const request = new Request(P4_URL, { method: "POST", body: new TextEncoder().encode(P4_BODY) });
    const signed = await auth().authenticate(request);
    expect(signed.headers.get("authorization")).toBe(P4_AUTHORIZATION);
    expect(await signed.text()).toBe(P4_BODY);
  });

  it("the transport buffers the body once and hands those bytes to the strategy", async () => {
    const seen: Array<[string, string | undefined]> = [];
    const recording: AuthStrategy = {
      type: "recording",
      async authenticate(request, body) {
        seen.push([request.method, body === undefined ? undefined : new TextDecoder().decode(body)]);
        return request;
      },
    };
    const transport = createTransport({ fetch: async (request) => new Response(await request.text()), auth: recording });
    const echoed = await transport(new Request(P4_URL, { method: "POST", body: P4_BODY }));
    expect(await echoed.text()).toBe(P4_BODY);
    await transport(new Request(P4_URL));
    expect(seen).toEqual([
      ["POST", P4_BODY],
      ["GET", undefined],
    ]);
  });

  it("a signed POST through the transport reads its body once", async () => {
    const clone = vi.spyOn(Request.prototype, "clone");
    try {
      let sent: Request | undefined;
      const transport = createTransport({ fetch: async (request) => ((sent = request), new Response("{}")), auth: auth() });
      await transport(new Request(P4_URL, { method: "POST", body: new TextEncoder().encode(P4_BODY) }));
      expect(sent?.headers.get("authorization")).toBe(P4_AUTHORIZATION);
      expect(await sent?.text()).toBe(P4_BODY);
      expect(clone).not.toHaveBeenCalled();
    } finally {
      clone.mockRestore();
    }
  });
});

describe("canonical parts", () => {
  it("encodes the shared query vector of the Go and Python suites", () => {
    const query = new URLSearchParams();
    query.append("limit", "1");
    query.append("enable", "true");
    query.append("test", "一 (&=?!#%.*)");
    query.append("path", "/tmp/123");
    for (const m of ["3", "1", "2"]) query.append("multi", m);
    expect(canonicalQuery(`?${query.toString()}`)).toBe(
      "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29",
    );
  });

  it("sorts keys by code point (upper case first), keeps `key=` for empty values", () => {
    expect(canonicalQuery("?b=2&F=1&a&a=")).toBe("F=1&a=&a=&b=2");
    expect(canonicalQuery("")).toBe("");
  });

  it("sorts by code point where UTF-16 order differs (above U+FFFF against U+E000–U+FFFF)", () => {
    const query = new URLSearchParams([
      ["\u{1F600}", "1"],
      ["\uFFFD", "2"],
      ["\uD7FF", "3"],
    ]).toString();
    expect(canonicalQuery(`?${query}`)).toBe("%ED%9F%BF=3&%EF%BF%BD=2&%F0%9F%98%80=1");
    expect(canonicalQuery("?k=\u{1F600}&k=\uFFFD")).toBe("k=%EF%BF%BD&k=%F0%9F%98%80");
  });

  it("re-encodes path segments strictly and appends a trailing slash", () => {
    expect(canonicalUri("")).toBe("/");
    expect(canonicalUri("/")).toBe("/");
    expect(canonicalUri("/v3/p/vaults")).toBe("/v3/p/vaults/");
    expect(canonicalUri("/a%20b/c(d)*/")).toBe("/a%20b/c%28d%29%2A/");
    expect(canonicalUri("/x/%7Euser/caf%C3%A9")).toBe("/x/~user/caf%C3%A9/");
  });

  it("signs each header once, lower-cased and trimmed, the last value of a repeated name, never Authorization", () => {
    const headers = { "X-Sdk-Date": "20240101T120000Z", "X-Extra": "first", Authorization: "old", "x-extra": "  last " };
    const {
      canonicalRequest: canonical,
      signedHeaders,
      sdkDate,
    } = canonicalRequest({ method: "get", url: "https://h.example/", headers }, EMPTY_HASH);
    expect(signedHeaders).toBe("x-extra;x-sdk-date");
    expect(sdkDate).toBe("20240101T120000Z");
    expect(canonical).toBe(`GET\n/\n\nx-extra:last\nx-sdk-date:20240101T120000Z\n\nx-extra;x-sdk-date\n${EMPTY_HASH}`);
    expect(canonicalRequest({ method: "GET", url: "https://h.example/", headers: new Headers(headers) }, EMPTY_HASH).signedHeaders).toBe(
      "x-extra;x-sdk-date",
    );
  });

  it("formats X-Sdk-Date in UTC", () => {
    expect(formatSdkDate(new Date(Date.UTC(2024, 0, 1, 12, 0, 0, 999)))).toBe("20240101T120000Z");
  });

  it("keeps the last X-Sdk-Date for the rest of its second, and no longer", () => {
    const noon = Date.UTC(2024, 0, 1, 12, 0, 0);
    expect(sdkDateAt(noon + 999)).toBe("20240101T120000Z");
    expect(sdkDateAt(noon)).toBe("20240101T120000Z");
    expect(sdkDateAt(noon + 1000)).toBe("20240101T120001Z");
    expect(sdkDateAt(noon - 1)).toBe("20240101T115959Z"); // a clock that went back
    for (const ms of [0, 1, 999, 1000, noon + 59_999, noon + 60_000, Date.UTC(2030, 11, 31, 23, 59, 59, 500)]) {
      expect(sdkDateAt(ms)).toBe(formatSdkDate(new Date(ms)));
    }
    expect(() => sdkDateAt(Number.NaN)).toThrow(RangeError);
  });
});
