// Property: the signer's canonical request, string to sign and signature equal those of an
// independent reference written here (byte-wise UTF-8 percent-encoding, byte-order sorting,
// node:crypto), on any request. 10,000 runs.
import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sign } from "../../src/auth/signer.js";
import { strict, urlChar } from "../support/properties.js";

const RUNS = 10_000;

const compareBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

interface SigningCase {
  method: string;
  segments: string[];
  trailingSlash: boolean;
  query: Array<[string, string]>;
  headers: Array<[string, string]>;
  body: Uint8Array | string | undefined;
}

function referenceCanonical(c: SigningCase, sdkDate: string) {
  const uri = c.segments.length === 0 ? "/" : `/${c.segments.map(strict).join("/")}/`;
  const query = [...c.query]
    .sort(([ka, va], [kb, vb]) => compareBytes(ka, kb) || compareBytes(va, vb))
    .map(([k, v]) => `${strict(k)}=${strict(v)}`)
    .join("&");
  const headers = c.headers
    .map(([name, value]) => [name.toLowerCase(), value.replace(/^[ \t]+|[ \t]+$/g, "")] as const)
    .sort(([a], [b]) => compareBytes(a, b));
  const signedHeaders = headers.map(([name]) => name).join(";");
  const body = c.body === undefined ? Buffer.alloc(0) : typeof c.body === "string" ? Buffer.from(c.body, "utf8") : Buffer.from(c.body);
  const payloadHash = createHash("sha256").update(body).digest("hex");
  const canonical = [
    c.method.toUpperCase(),
    uri,
    query,
    headers.map(([name, value]) => `${name}:${value}\n`).join(""),
    signedHeaders,
    payloadHash,
  ].join("\n");
  const stringToSign = `SDK-HMAC-SHA256\n${sdkDate}\n${createHash("sha256").update(canonical, "utf8").digest("hex")}`;
  return { canonical, signedHeaders, stringToSign };
}

const segment = fc.string({ unit: urlChar, minLength: 1, maxLength: 10 }).filter((s) => s !== "." && s !== "..");
const queryText = fc.string({ unit: urlChar, maxLength: 8 });
const headerName = fc
  .string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"), minLength: 1, maxLength: 12 })
  .filter((n) => !["authorization", "x-sdk-date"].includes(n.toLowerCase()));
const headerValue = fc
  .tuple(
    fc.constantFrom("", " ", "\t", "  "),
    fc.string({ unit: fc.constantFrom(..."abcXYZ019 -_:;,./=+()\"'!?*&%$#@~^`|<>[]{}\\\t"), maxLength: 16 }),
    fc.constantFrom("", " ", "\t "),
  )
  .map(([a, b, c]) => a + b + c);
const sdkDate = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true }).map((d) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, ""),
);

const signingCase: fc.Arbitrary<SigningCase> = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "get", "post"),
  segments: fc.array(segment, { maxLength: 5 }),
  trailingSlash: fc.boolean(),
  query: fc.array(fc.tuple(fc.string({ unit: urlChar, minLength: 1, maxLength: 6 }), queryText), { maxLength: 5 }),
  headers: fc
    .uniqueArray(fc.tuple(headerName, headerValue), { maxLength: 5, selector: ([name]) => name.toLowerCase() })
    .map((pairs) => pairs.map(([name, value]) => [name, value] as [string, string])),
  body: fc.option(fc.oneof(fc.string({ unit: "binary", maxLength: 64 }), fc.uint8Array({ maxLength: 200 })), { nil: undefined }),
});

describe("AK/SK signer", () => {
  it(`matches an independent reference on any request (${RUNS.toLocaleString("en")} runs)`, { timeout: 60_000 }, async () => {
    const secret = "SkSecretKeyValue-\u00e4\u00f6-0123456789abcd";
    await fc.assert(
      fc.asyncProperty(signingCase, sdkDate, async (c, date) => {
        // The URL as the client sends it: each segment and query value percent-encoded.
        let path = c.segments.map((s) => encodeURIComponent(s)).join("/");
        path = `/${path}${c.trailingSlash && c.segments.length > 0 ? "/" : ""}`;
        const search = c.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
        const url = `https://cbr.example.test${path}${search ? `?${search}` : ""}`;
        const headers: Record<string, string> = { "X-Sdk-Date": date };
        for (const [name, value] of c.headers) headers[name] = value;

        const ours = await sign({ method: c.method, url, headers, body: c.body }, "AKREFERENCE", secret);
        const ref = referenceCanonical({ ...c, headers: [...c.headers, ["X-Sdk-Date", date]] }, date);
        expect(ours.canonicalRequest).toBe(ref.canonical);
        expect(ours.signedHeaders).toBe(ref.signedHeaders);
        expect(ours.stringToSign).toBe(ref.stringToSign);
        expect(ours.signature).toBe(createHmac("sha256", Buffer.from(secret, "utf8")).update(ref.stringToSign, "utf8").digest("hex"));
        expect(ours.authorization).toBe(
          `SDK-HMAC-SHA256 Access=AKREFERENCE, SignedHeaders=${ref.signedHeaders}, Signature=${ours.signature}`,
        );
      }),
      { numRuns: RUNS },
    );
  });
});
