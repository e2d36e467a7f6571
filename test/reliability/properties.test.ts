// Property-based tests, 10,000 runs each:
// - path and query values of any Unicode (weighted towards `.`, `..`, `/`, `%`, `?`, `#`, `\`)
//   reach the wire as exactly the URL intended: every value stays inside its own path segment or
//   query value and decodes back to itself; no dot segment, separator or escape gets through;
// - the signer's canonical request, string to sign and signature equal those of an independent
//   reference written here (byte-wise UTF-8 percent-encoding, byte-order sorting, node:crypto).
import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sign } from "../../src/auth/signer.js";
import { createCbrClient, paginate, staticTokenAuth } from "../../src/index.js";

const RUNS = 10_000;
const ORIGIN = "https://cbr.example.test";
const PROJECT = "0123456789abcdef0123456789abcdef";

/** One character: often one that matters to URLs, else any Unicode scalar value (any plane). */
const urlChar = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(".", "..", "/", "%", "?", "#", "\\", "&", "=", "+", " ", ";", "%2e", "%2F", "%00", "'", "*", "~", "\u00e9", "\u4e00", "\u{1f600}") },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
);
const anyValue = fc.oneof(
  fc.string({ unit: urlChar, maxLength: 12 }),
  fc.constantFrom("", ".", "..", "...", "./", "../..", "%2e%2e", ".%2E"),
);

// ---- the reference encodings ----

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
const pathRef = (v: string) => percentEncode(v, /[A-Za-z0-9\-_.!~*'()]/);
/** In a query the URL standard also escapes `'` (the special-query percent-encode set). */
const queryRef = (v: string) => percentEncode(v, /[A-Za-z0-9\-_.!~*()]/);
/** The signature's strict set: RFC 3986 unreserved characters only. */
const strict = (v: string) => percentEncode(v, /[A-Za-z0-9\-_.~]/);

// ---- a client whose fetch records the request instead of sending it ----

/** A CBR client whose requests are answered in this process by `answer`. */
function clientAnswering(answer: (request: Request) => Promise<Response>) {
  return createCbrClient({ endpoint: ORIGIN, projectId: PROJECT, auth: staticTokenAuth("MIItoken"), retry: false, timeoutMs: 0, fetch: answer });
}

function recordingClient() {
  const sent: string[] = [];
  const client = clientAnswering(async (request) => {
    sent.push(request.url);
    return new Response("{}", { status: 200, headers: { "Content-Type": "application/json" } });
  });
  return { client, sent };
}

const refused = (v: string) => v === "" || v === "." || v === "..";

describe("URLs built from any Unicode", () => {
  it(`path values stay in their segment and decode to themselves (${RUNS.toLocaleString("en")} runs)`, async () => {
    const { client, sent } = recordingClient();
    await fc.assert(
      fc.asyncProperty(anyValue, anyValue, async (backupId, memberId) => {
        sent.length = 0;
        const call = client.GET("/v3/{project_id}/backups/{backup_id}/members/{member_id}", {
          params: { path: { backup_id: backupId, member_id: memberId } },
        });
        if (refused(backupId) || refused(memberId)) {
          // Empty values and dot segments would address another resource: refused, nothing sent.
          await expect(call).rejects.toThrow(TypeError);
          expect(sent).toEqual([]);
          return;
        }
        await call;
        expect(sent).toHaveLength(1);
        const url = sent[0]!;
        expect(url).toBe(`${ORIGIN}/v3/${PROJECT}/backups/${pathRef(backupId)}/members/${pathRef(memberId)}`);
        const parsed = new URL(url);
        expect(parsed.search).toBe("");
        expect(parsed.hash).toBe("");
        const segments = parsed.pathname.split("/");
        expect(segments).toHaveLength(7); // "", v3, project, backups, backup id, members, member id
        expect(decodeURIComponent(segments[4]!)).toBe(backupId);
        expect(segments[5]).toBe("members");
        expect(decodeURIComponent(segments[6]!)).toBe(memberId);
      }),
      { numRuns: RUNS },
    );
  });

  it(`query values are encoded exactly and read back as themselves (${RUNS.toLocaleString("en")} runs)`, async () => {
    const { client, sent } = recordingClient();
    await fc.assert(
      fc.asyncProperty(anyValue, anyValue, async (name, vaultId) => {
        sent.length = 0;
        await client.GET("/v3/{project_id}/backups", { params: { query: { name, vault_id: vaultId } } });
        expect(sent).toHaveLength(1);
        const url = sent[0]!;
        expect(url).toBe(`${ORIGIN}/v3/${PROJECT}/backups?name=${queryRef(name)}&vault_id=${queryRef(vaultId)}`);
        const parsed = new URL(url);
        expect(parsed.pathname).toBe(`/v3/${PROJECT}/backups`);
        expect(parsed.hash).toBe("");
        expect([...parsed.searchParams]).toEqual([
          ["name", name],
          ["vault_id", vaultId],
        ]);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- the signer against a reference ----

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
const sdkDate = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, ""));

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
        expect(ours.authorization).toBe(`SDK-HMAC-SHA256 Access=AKREFERENCE, SignedHeaders=${ref.signedHeaders}, Signature=${ours.signature}`);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- the pager against a model server ----

/**
 * A list service as a model: `size` items, a reported total that may be exact, missing or too
 * large (the list shrank), a cap on the page size, and per-offset quirks: a page shorter than
 * asked, or an empty page before the end. Its answer depends only on the request (offset and
 * limit), so a pager that asks the same questions gets the same answers.
 */
interface ListModel {
  size: number;
  total: "exact" | "none" | "over";
  cap: number;
  /** offset → how many items at most the page at that offset has (0: an empty page). */
  quirks: Map<number, number>;
  pageSize: number;
  maxItems: number | undefined;
}

const listModel: fc.Arbitrary<ListModel> = fc
  .record({
    size: fc.integer({ min: 0, max: 240 }),
    total: fc.constantFrom("exact", "none", "over"),
    cap: fc.integer({ min: 1, max: 60 }),
    quirks: fc.array(fc.tuple(fc.integer({ min: 0, max: 240 }), fc.integer({ min: 0, max: 30 })), { maxLength: 8 }),
    pageSize: fc.integer({ min: 1, max: 50 }),
    maxItems: fc.option(fc.integer({ min: 0, max: 260 }), { nil: undefined }),
  })
  .map((m) => ({ ...m, quirks: new Map(m.quirks) }) as ListModel);

function modelAnswer(m: ListModel, offset: number, limit: number) {
  const n = Math.min(limit, m.cap, m.quirks.get(offset) ?? Infinity);
  const things = Array.from({ length: Math.max(0, Math.min(n, m.size - offset)) }, (_, i) => ({ id: `t${offset + i}` }));
  const count = m.total === "exact" ? m.size : m.total === "over" ? m.size + 7 : undefined;
  return { things, ...(count === undefined ? {} : { count }) };
}

/** The reference: one page at a time, stopping where the pager's documented rules say. */
function referenceList(m: ListModel): string[] {
  const out: string[] = [];
  let offset = 0;
  while (true) {
    const limit = m.maxItems === undefined ? m.pageSize : Math.min(m.pageSize, m.maxItems - out.length);
    if (limit <= 0) return out;
    const page = modelAnswer(m, offset, limit);
    out.push(...page.things.map((t) => t.id).slice(0, limit));
    const n = page.things.length;
    if (n === 0) return out;
    if (page.count !== undefined && offset + n >= page.count) return out;
    if (page.count === undefined && n < limit) return out;
    offset += n;
  }
}

function modelClient(m: ListModel) {
  return clientAnswering(async (request) => {
    const q = new URL(request.url).searchParams;
    const offset = Number(q.get("offset") ?? 0);
    const limit = Number(q.get("limit") ?? 1000);
    // Answers arrive out of order: a few event-loop turns, different per request.
    for (let turn = (offset * 7 + limit) % 4; turn > 0; turn--) await new Promise((resolve) => setImmediate(resolve));
    const { things, ...rest } = modelAnswer(m, offset, limit);
    // The model's items travel as CBR backups.
    return new Response(JSON.stringify({ backups: things, ...rest }), { status: 200, headers: { "Content-Type": "application/json" } });
  });
}

describe("paginate against a model server", () => {
  it("yields exactly the sequential items at concurrency 1, 2, 4 and 8 (300 runs)", { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(listModel, async (m) => {
        const expected = referenceList(m);
        for (const concurrency of [1, 2, 4, 8]) {
          const got: string[] = [];
          const options = { pageSize: m.pageSize, concurrency, ...(m.maxItems === undefined ? {} : { maxItems: m.maxItems }) };
          for await (const backup of paginate(modelClient(m), "/v3/{project_id}/backups", undefined, options)) got.push(backup.id);
          expect(got, `concurrency ${concurrency}`).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
