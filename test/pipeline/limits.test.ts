// Limits on what the client holds count decoded bytes: a small compressed answer that inflates
// to gigabytes is cut (error bodies) or refused as "too-large" (success bodies), and messages
// quote at most 200 characters of service text, control characters escaped.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { constants, createBrotliCompress, createGzip } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCbrClient, staticTokenAuth, type OtcApiError } from "../../src/index.js";
import { MAX_ERROR_BODY } from "../../src/error-body.js";
import { PROJECT_ID, TOKEN } from "../support/constants.js";

const MiB = 1024 * 1024;

/** `size` bytes of JSON (a service error whose message is `size` spaces), compressed chunk by chunk so that the test never holds them whole. */
async function bomb(kind: "br" | "gzip", size: number): Promise<Buffer> {
  const compressor = kind === "br" ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }) : createGzip({ level: 9 });
  const out: Buffer[] = [];
  compressor.on("data", (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => compressor.on("end", resolve));
  const chunk = Buffer.alloc(MiB, 0x20);
  compressor.write('{"error_code":"CBR.9999","error_msg":"');
  for (let written = 0; written < size; written += MiB) {
    if (!compressor.write(chunk)) await new Promise((resolve) => compressor.once("drain", resolve));
  }
  compressor.end('"}');
  await done;
  return Buffer.concat(out);
}

let server: Server;
let url = "";
const answers = new Map<string, { status: number; headers: Record<string, string>; body: Buffer | string }>();
beforeAll(async () => {
  answers.set("brotli-error", {
    status: 500,
    headers: { "Content-Encoding": "br", "Content-Type": "application/json" },
    body: await bomb("br", 100 * MiB),
  });
  answers.set("gzip-ok", {
    status: 200,
    headers: { "Content-Encoding": "gzip", "Content-Type": "application/json" },
    body: await bomb("gzip", 80 * MiB),
  });
  answers.set("hostile-message", {
    status: 400,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      error_code: "CBR.0001",
      error_msg: `first line\nsecond line\u001b[31m red \u001b]8;;https://evil/\u0007${"x".repeat(5_000)}`,
    }),
  });
  server = createServer((req, res) => {
    req.resume();
    const name = req.url!.split("/").at(-1)!;
    const answer = answers.get(name)!;
    res.writeHead(answer.status, { ...answer.headers, "Content-Length": Buffer.byteLength(answer.body) });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = (options: Record<string, unknown> = {}) =>
  createCbrClient({ endpoint: url, projectId: PROJECT_ID, auth: staticTokenAuth(TOKEN), retry: false, throwOnError: true, ...options });
const call = (name: string, options?: Record<string, unknown>) =>
  client(options)
    .GET(`/v3/{project_id}/vaults/{vault_id}` as never, { params: { path: { vault_id: name } } } as never)
    .then(
      () => undefined as never,
      (e: unknown) => e as OtcApiError,
    );

describe("error bodies", () => {
  it("a brotli error body of a few hundred bytes that inflates to 100 MiB is kept to 64 KiB, flagged as cut", async () => {
    expect(answers.get("brotli-error")!.body.length).toBeLessThan(2_000);
    const error = await call("brotli-error");
    expect(error).toMatchObject({ name: "OtcApiError", kind: "http", status: 500, bodyTruncated: true });
    expect(typeof error.body).toBe("string");
    expect((error.body as string).length).toBeLessThanOrEqual(MAX_ERROR_BODY);
    expect(error.message.length).toBeLessThan(600);
    expect(error.serviceMessage).toBeUndefined(); // the JSON was cut: nothing of it is parsed
  });
});

describe("success bodies", () => {
  it("a gzip answer that inflates past maxResponseBytes is an OtcApiError of kind too-large", async () => {
    const error = await call("gzip-ok", { maxResponseBytes: MiB });
    expect(error).toMatchObject({ name: "OtcApiError", kind: "too-large", status: 200 });
    expect(error.message).toContain("maxResponseBytes");
  });

  it("at the default cap (64 MiB) too", { timeout: 30_000 }, async () => {
    const error = await call("gzip-ok");
    expect(error).toMatchObject({ name: "OtcApiError", kind: "too-large", status: 200 });
  });

  it("is never retried", async () => {
    const error = await call("gzip-ok", { maxResponseBytes: MiB, retry: { maxAttempts: 3 } });
    expect(error).toMatchObject({ kind: "too-large" });
  });

  it("maxResponseBytes must be a positive integer", () => {
    for (const bad of [0, -1, Number.NaN, 1.5, "1000"])
      expect(() => client({ maxResponseBytes: bad })).toThrow("cbr: `maxResponseBytes` must be an integer ≥ 1");
  });
});

describe("messages", () => {
  it("quote at most 200 characters of service text, control characters escaped", async () => {
    const error = await call("hostile-message");
    expect(error).toMatchObject({ kind: "http", status: 400, code: "CBR.0001" });
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(error.message).toContain("\\u001b[31m");
    const quoted = error.message.slice(error.message.indexOf("CBR.0001"));
    expect(quoted.length).toBeLessThan(260);
    // The whole text stays on the error for whoever needs it.
    expect(error.serviceMessage).toContain("\n");
  });
});
