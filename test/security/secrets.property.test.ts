// Property: for every credential-bearing option of every strategy, and any string a user could
// put there, nothing a user could print contains any part of the value. Two properties per option:
// - refused values (a CR, LF or NUL anywhere; for header values also spaces and non-ASCII): the
//   creation error names the option, and its message, stack, JSON and util.inspect hold no part
//   of the value;
// - accepted values: the strategy is driven through a loopback IAM and a hostile API (401, a 500
//   HTML page with a retry, a redirect to another origin, a reset connection), and every error,
//   result error, onRetry record, console line and the strategy and client themselves are printed
//   (message, stack, JSON, util.inspect with hidden properties and causes) and scanned.
//
// "Any part" means any 6-character substring, raw, JSON-escaped or URL-encoded. Shorter pieces
// occur by chance in ordinary output (a 4-character piece of a random key matches words, hex ids
// or indentation), which would make the property fail on coincidences rather than leaks; 6
// printable characters have ~10^12 combinations, so a 6-character match is a leak. As a further
// guard against coincidences, a piece only counts when it is absent from the output of the same
// scenario run with an unrelated value (the baseline), and stack frames are left out (they name
// code locations such as fast-check's `Property.run`, never values).
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  agencyAuth,
  akskAuth,
  createCbrClient,
  passwordAuth,
  staticTokenAuth,
  temporaryCredentialsAuth,
  type AuthStrategy,
  type RetryInfo,
} from "../../src/index.js";
import type { Carrier } from "../../src/auth/options.js";
import { AK, DOMAIN, PASSWORD, PROJECT_ID, SK, USER, useFakeIam } from "../support/fake-iam.js";
import { instantClock, startLoopback, type Loopback } from "../support/loopback.js";
import { redactUrl } from "../../src/redact.js";
import { startForeign } from "./hostile.js";

/** Runs per option: accepted values drive ~10 HTTP requests each, refused ones none. */
const ACCEPTED_RUNS = 25;
const REFUSED_RUNS = 200;
const PIECE = 6;
const CLIENT_PROJECT = "c0ffee00c0ffee00c0ffee00c0ffee00";

const iam = useFakeIam();
let api: Loopback;
let foreign: Loopback;

beforeAll(async () => {
  foreign = await startForeign();
  api = await startLoopback((req, res, raw) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    switch (req.url.pathname.split("/").pop()) {
      case "unauthorized":
        return json(401, { error_code: "APIG.0301", error_msg: "Incorrect IAM authentication information" });
      case "html":
        return res.writeHead(500, { "Content-Type": "text/html" }).end("<html><body>internal error</body></html>");
      case "redirect":
        return res.writeHead(302, { Location: `${foreign.url}/x?y=z` }).end();
      case "reset":
        return raw.socket.destroy();
      default:
        return json(200, { vaults: [], count: 0 });
    }
  });
});
afterAll(async () => {
  await Promise.all([api.close(), foreign.close()]);
});

interface OptionCase {
  option: string;
  carrier: Carrier;
  build: (value: string) => AuthStrategy;
}

const password = () => passwordAuth({ authUrl: iam().authUrl, user: USER, password: PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID });
const pw = (extra: object) =>
  passwordAuth({ authUrl: iam().authUrl, user: USER, password: PASSWORD, domainName: DOMAIN, projectId: PROJECT_ID, ...extra } as never);
const agency = (extra: object) =>
  agencyAuth({
    auth: password(),
    authUrl: iam().authUrl,
    domainName: "OTC-DELEGATING",
    agencyName: "ops",
    projectId: PROJECT_ID,
    ...extra,
  } as never);
const aksk = (extra: object) =>
  akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT_ID, authUrl: iam().authUrl, ...extra } as never);
const temporary = (extra: object) =>
  temporaryCredentialsAuth({ auth: password(), authUrl: iam().authUrl, projectId: PROJECT_ID, ...extra } as never);

const CASES: OptionCase[] = [
  { option: "staticTokenAuth token", carrier: "header", build: (v) => staticTokenAuth(v) },
  { option: "passwordAuth password", carrier: "text", build: (v) => pw({ password: v }) },
  { option: "passwordAuth user", carrier: "text", build: (v) => pw({ user: v }) },
  { option: "passwordAuth userId", carrier: "text", build: (v) => pw({ user: undefined, domainName: undefined, userId: v }) },
  { option: "passwordAuth domainName", carrier: "text", build: (v) => pw({ domainName: v }) },
  { option: "passwordAuth domainId", carrier: "text", build: (v) => pw({ domainName: undefined, domainId: v }) },
  { option: "passwordAuth projectId", carrier: "text", build: (v) => pw({ projectId: v }) },
  { option: "passwordAuth projectName", carrier: "text", build: (v) => pw({ projectId: undefined, projectName: v }) },
  {
    option: "passwordAuth projectDomainName",
    carrier: "text",
    build: (v) => pw({ projectId: undefined, projectName: "eu-de", projectDomainName: v }),
  },
  {
    option: "passwordAuth projectDomainId",
    carrier: "text",
    build: (v) => pw({ projectId: undefined, projectName: "eu-de", projectDomainId: v }),
  },
  { option: "agencyAuth agencyName", carrier: "text", build: (v) => agency({ agencyName: v }) },
  { option: "agencyAuth domainName", carrier: "text", build: (v) => agency({ domainName: v }) },
  { option: "agencyAuth domainId", carrier: "text", build: (v) => agency({ domainName: undefined, domainId: v }) },
  { option: "agencyAuth projectId", carrier: "text", build: (v) => agency({ projectId: v }) },
  { option: "agencyAuth projectName", carrier: "text", build: (v) => agency({ projectId: undefined, projectName: v }) },
  { option: "akskAuth accessKey", carrier: "header", build: (v) => aksk({ accessKey: v }) },
  { option: "akskAuth secretKey", carrier: "text", build: (v) => aksk({ secretKey: v }) },
  { option: "akskAuth securityToken", carrier: "header", build: (v) => aksk({ securityToken: v }) },
  { option: "akskAuth projectId", carrier: "header", build: (v) => aksk({ projectId: v }) },
  { option: "akskAuth projectName", carrier: "text", build: (v) => aksk({ projectId: undefined, projectName: v }) },
  { option: "akskAuth domainId", carrier: "header", build: (v) => aksk({ domainId: v }) },
  { option: "temporaryCredentialsAuth projectId", carrier: "header", build: (v) => temporary({ projectId: v }) },
  {
    option: "temporaryCredentialsAuth agency.agencyName",
    carrier: "text",
    build: (v) => temporary({ agency: { agencyName: v, domainName: "OTC-DELEGATING" } }),
  },
  {
    option: "temporaryCredentialsAuth agency.domainName",
    carrier: "text",
    build: (v) => temporary({ agency: { agencyName: "ops", domainName: v } }),
  },
  {
    option: "temporaryCredentialsAuth agency.domainId",
    carrier: "text",
    build: (v) => temporary({ agency: { agencyName: "ops", domainId: v } }),
  },
];

// ---- values ----

const headerChar = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
/** Values each carrier accepts: any Unicode without CR/LF/NUL in bodies, printable ASCII in headers. */
const accepted = (carrier: Carrier) =>
  carrier === "header"
    ? fc.string({ unit: headerChar, minLength: PIECE, maxLength: 48 })
    : fc.string({ unit: "binary", minLength: PIECE, maxLength: 48 }).filter((v) => !/[\r\n\0]/.test(v) && v.trim() !== "");
/** An accepted value with a character its carrier refuses inserted anywhere. */
const refused = (carrier: Carrier) =>
  fc
    .tuple(
      fc.string({ unit: "binary", minLength: PIECE, maxLength: 48 }),
      fc.nat(),
      fc.constantFrom(...(carrier === "header" ? ["\r", "\n", "\0", " ", "\u20ac", "\t"] : ["\r", "\n", "\0", "\r\n"])),
    )
    .map(([base, at, bad]) => base.slice(0, at % (base.length + 1)) + bad + base.slice(at % (base.length + 1)))
    .filter((v) => v.trim() !== "");

// ---- printing and scanning ----

function printed(value: unknown): string[] {
  const texts: string[] = [];
  if (value instanceof Error) texts.push(value.message, String(value.stack), String(value));
  if (typeof value === "string") texts.push(value);
  try {
    texts.push(JSON.stringify(value) ?? "");
  } catch {
    // circular: inspect covers it
  }
  texts.push(inspect(value, { showHidden: true, depth: Infinity, getters: true }));
  return texts;
}

/** The value's pieces of PIECE characters, in the forms they could be printed in. */
function pieces(value: string): string[] {
  const chars = Array.from(value);
  const out = new Set<string>();
  for (let i = 0; i + PIECE <= chars.length; i++) {
    const piece = chars.slice(i, i + PIECE).join("");
    out.add(piece);
    out.add(JSON.stringify(piece).slice(1, -1));
    try {
      out.add(encodeURIComponent(piece));
    } catch {
      // a lone surrogate cannot be URL-encoded, so it cannot be printed that way either
    }
  }
  return [...out].filter((p) => p.trim().length > 0);
}

/** A stack frame, also inside util.inspect's quoted `stack` property: `at Fn (file:///…:1:2)` or `at file:///…:1:2`. */
const STACK_FRAME = /\bat (?:async |new )?(?:[^\s()'\\]+(?: \[as [^\]]+\])? \((?:file|node):[^)]*\)|(?:file|node):[^\s'\\]+)/g;

function leaks(value: string, texts: string[], baseline: string): string[] {
  const all = texts.join("\n\u0000\n").replace(STACK_FRAME, "");
  return pieces(value).filter((piece) => all.includes(piece) && !baseline.includes(piece));
}

/** Drives a strategy through IAM and the hostile API; returns everything a user could print. */
async function scenario(auth: AuthStrategy): Promise<string[]> {
  const texts: string[] = [];
  const retries: RetryInfo[] = [];
  const consoleLines: unknown[] = [];
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void consoleLines.push(args)),
  );
  try {
    const retry = { maxAttempts: 2, clock: instantClock(), onRetry: (info: RetryInfo) => void retries.push(info) };
    const strict = createCbrClient({ endpoint: api.url, projectId: CLIENT_PROJECT, auth, retry, throwOnError: true });
    const lenient = createCbrClient({ endpoint: api.url, projectId: CLIENT_PROJECT, auth, retry });
    const get = (client: unknown, what: string) =>
      (client as { GET: (p: string, i: object) => Promise<{ error?: unknown }> }).GET("/v3/{project_id}/backups/{backup_id}", {
        params: { path: { backup_id: what } },
      });
    for (const what of ["unauthorized", "html", "redirect", "reset"]) {
      const thrown = await get(strict, what).then(
        () => undefined,
        (e: unknown) => e,
      );
      texts.push(...printed(thrown));
    }
    const result = await get(lenient, "unauthorized").catch((e: unknown) => ({ error: e }));
    texts.push(...printed(result.error));
    if (auth.discover)
      texts.push(
        ...printed(
          await auth.discover().then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
    texts.push(...printed(auth), ...printed(strict), ...printed(retries), ...printed(consoleLines));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return texts;
}

describe.each(CASES)("$option", ({ option, carrier, build }) => {
  const name = option.split(" ")[1]!;

  const creationError = (value: string): unknown => {
    try {
      build(value);
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it(`refused values: the error names \`${name}\` and holds no part of the value`, async () => {
    const baseline = printed(creationError("baseline\nvalue 0123456789")).join("\n");
    fc.assert(
      fc.property(refused(carrier), (value) => {
        const error = creationError(value);
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toContain(`\`${name}\``);
        expect(leaks(value, printed(error), baseline)).toEqual([]);
      }),
      { numRuns: REFUSED_RUNS },
    );
  });

  it("accepted values: nothing printed after IAM and API failures holds any part of the value", { timeout: 120_000 }, async () => {
    const baseline = (await scenario(build(carrier === "header" ? "BASELINE-value-0123456789" : "baseline value ✓ 0123456789"))).join("\n");
    await fc.assert(
      fc.asyncProperty(accepted(carrier), async (value) => {
        const found = leaks(value, await scenario(build(value)), baseline);
        expect(found).toEqual([]);
      }),
      { numRuns: ACCEPTED_RUNS },
    );
  });
});

describe("the scan finds a leak where there is one", () => {
  it("raw, JSON-escaped and URL-encoded pieces", () => {
    const value = 'se"cret/va lue✓';
    expect(leaks(value, [`x ${value.slice(2, 9)} y`], "")).not.toEqual([]);
    expect(leaks(value, [JSON.stringify({ v: value.slice(0, 8) })], "")).not.toEqual([]);
    expect(leaks(value, [`?q=${encodeURIComponent(value.slice(5, 12))}`], "")).not.toEqual([]);
    expect(leaks(value, ["nothing of it"], "")).toEqual([]);
  });
});

describe("URLs in errors, events and onRetry records", () => {
  // Secret names as words: written in any case, joined by "-", "_", "." or nothing.
  const SECRET_WORDS = [
    ["ak"],
    ["sk"],
    ["access", "key"],
    ["access", "key", "id"],
    ["secret", "key"],
    ["secret", "access", "key"],
    ["security", "token"],
    ["x", "security", "token"],
    ["x", "auth", "token"],
    ["x", "subject", "token"],
    ["auth", "token"],
    ["token"],
    ["password"],
    ["passwd"],
    ["pwd"],
    ["secret"],
    ["signature"],
    ["sig"],
    ["credential"],
    ["api", "key"],
    ["key"],
    ["private", "key"],
    ["session", "token"],
    ["client", "secret"],
    ["assertion"],
  ];
  const secretName = fc
    .tuple(fc.constantFrom(...SECRET_WORDS), fc.constantFrom("", "-", "_", "."), fc.infiniteStream(fc.boolean()))
    .map(([words, separator, upper]) =>
      Array.from(words.join(separator))
        .map((c) => (upper.next().value ? c.toUpperCase() : c))
        .join(""),
    );
  const value = fc.string({ unit: "binary", minLength: PIECE, maxLength: 48 }).filter((v) => v.trim() !== "");
  const kept = fc.constantFrom("marker", "vault_id", "sort_key", "limit", "offset", "resource_id", "name");

  it("a secret parameter's value never survives redactUrl, whatever its spelling; the other parameters do", () => {
    fc.assert(
      fc.property(secretName, value, kept, fc.string({ maxLength: 20 }), (name, secret, other, otherValue) => {
        const url = new URL("https://cbr.eu-de.otc.t-systems.com/v3/p/vaults");
        url.searchParams.append(other, otherValue);
        url.searchParams.append(name, secret);
        const redacted = redactUrl(url.toString());
        // What the output may hold besides the secret: the rest of the URL, the name, the marker.
        const baseline = [url.origin, url.pathname, name, other, otherValue, encodeURIComponent(otherValue), "REDACTED"].join("\n");
        expect(leaks(secret, [redacted, decodeURIComponent(redacted.replace(/\+/g, " "))], baseline)).toEqual([]);
        expect(new URL(redacted).searchParams.get(other)).toBe(otherValue);
      }),
      { numRuns: 500 },
    );
  });
});
