// Reliability under faults: a loopback server fails 30 % of the attempts it receives, on every
// attempt, with each kind of passing fault a gateway produces: 429 + Retry-After, 502, 503, 504,
// a connection reset before any answer, an answer that never comes, and answers that break
// while their body arrives (a stall after the headers, a connection cut mid-body, a body that
// does not decode). With `maxAttempts: 5`, at least 99 % of 1,000 GETs must be delivered and
// every other one must end in a typed error; 200 POSTs must never be executed twice.
//
// Nothing here depends on how fast the machine is. The server decides every fault, the stalls
// included: a stalled attempt times out when the server says so (serverDecidedTimeouts), not when
// a short client timer fires; that timer also fired for answers that were merely late on a busy
// machine (the server shares the client's event loop), which cost attempts and brought delivery
// under 99 %. Waits between retries go through a clock on which time stands still: they cost no
// real time, and neither they nor a slow machine spend the calls' time budget.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerResponse } from "node:http";
import { isOtcApiError, type OtcApiError } from "../../src/errors.js";
import type { OperationTable } from "../../src/operations.js";
import type { RetryInfo } from "../../src/pipeline/steps/retry.js";
import { countingAuth, loopbackClient, sendJson, startLoopback, type Loopback } from "../support/loopback.js";
import { rng, seedOf } from "../support/reliability.js";
import { serverDecidedTimeouts } from "../support/server-timeouts.js";
import { frozenClock } from "../support/frozen-clock.js";

const GETS = 1_000;
const POSTS = 200;
const FAULT_RATE = 0.3;
const MAX_ATTEMPTS = 5;
const IN_FLIGHT = 50;

type Fault = "429" | "502" | "503" | "504" | "reset" | "stall" | "stall-body" | "cut-body" | "bad-encoding";
const FAULTS: readonly Fault[] = ["429", "502", "503", "504", "reset", "stall", "stall-body", "cut-body", "bad-encoding"];

const table: OperationTable = {
  "GET /v3/{project_id}/items/{id}": { operationId: "showItem" },
  "POST /v3/{project_id}/orders/{id}": { operationId: "createOrder" },
};

/** The fault for attempt `n` (1-based) of request `key`, the same on every run. */
function faultFor(key: string, n: number): Fault | undefined {
  const random = rng(seedOf(`${key}#${n}`));
  if (random() >= FAULT_RATE) return undefined;
  return FAULTS[Math.floor(random() * FAULTS.length)];
}

const attempts = new Map<string, number>();
const executions = new Map<string, number>();
const injected = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
const stalled = new Set<ServerResponse>();
const timeouts = serverDecidedTimeouts();

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback(
    (req, res, raw) => {
      const [, , , kind, id] = req.url.pathname.split("/"); // "", v3, project, items|orders, id
      const key = `${req.method} ${id}`;
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      const fault = faultFor(key, n);
      if (fault) injected[fault]++;
      const execute = () => executions.set(key, (executions.get(key) ?? 0) + 1);

      const body = JSON.stringify({ id, attempt: n });
      switch (fault) {
        case "429":
          return sendJson(res, 429, { error_code: "APIG.0308", error_msg: "Too many requests" }, { "Retry-After": "1" });
        case "502":
        case "503":
        case "504":
          return sendJson(res, Number(fault), { error_code: `APIG.0${fault}`, error_msg: "The gateway could not reach the service" });
        case "reset":
          // A POST is executed before its connection drops half the time: the worst case for a retry.
          if (req.method === "POST" && n % 2 === 1) execute();
          raw.socket.destroy();
          return;
        case "stall":
          // Executed, then no answer: the attempt times out.
          if (req.method === "POST") execute();
          stalled.add(res);
          res.on("close", () => stalled.delete(res));
          timeouts.expire(req);
          return;
        case "stall-body":
        case "cut-body":
          // Executed and answered, but the body stops half-way: it stalls, or the connection is cut.
          if (req.method === "POST") execute();
          res.writeHead(kind === "orders" ? 201 : 200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
          res.write(body.slice(0, 5));
          if (fault === "cut-body") setTimeout(() => raw.socket.destroy(), 2);
          else {
            stalled.add(res);
            res.on("close", () => stalled.delete(res));
            timeouts.expire(req, "after-headers");
          }
          return;
        case "bad-encoding":
          if (req.method === "POST") execute();
          res.writeHead(kind === "orders" ? 201 : 200, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
          res.end(body); // not gzip
          return;
        default:
          if (req.method === "POST") execute();
          return sendJson(res, kind === "orders" ? 201 : 200, { id, attempt: n });
      }
    },
    { maxRequests: 5_000 },
  );
});
afterAll(async () => {
  for (const res of stalled) res.destroy();
  await server.close();
});

function client() {
  const delays: RetryInfo[] = [];
  const c = loopbackClient("cbr", server.url, table, {
    auth: countingAuth(),
    fetch: timeouts.fetch, // stalls time out when the server says so; the client's own timer is left at its default
    throwOnError: true,
    retry: {
      maxAttempts: MAX_ATTEMPTS,
      random: () => 0.5,
      onRetry: (info) => void delays.push(info),
      clock: frozenClock(), // the delays are recorded, not waited for, and spend no budget
    },
  });
  return { client: c, delays };
}

/** Runs `work` for 0..count-1 with at most `limit` in flight. */
async function pool<T>(count: number, limit: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await work(i);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

describe("1,000 GETs against 30 % faults", () => {
  it("delivers at least 99 % with 5 attempts, and every other call ends in a typed error", { timeout: 90_000 }, async () => {
    const { client: c, delays } = client();
    const results = await pool(GETS, IN_FLIGHT, async (i) => {
      const id = `item-${i}`;
      try {
        const { data } = await c.GET("/v3/{project_id}/items/{id}", { params: { path: { id } } });
        return { id, data: data as { id: string; attempt: number } | undefined };
      } catch (error) {
        return { id, error };
      }
    });

    const delivered = results.filter((r) => "data" in r && r.data?.id === r.id);
    const failed = results.filter((r) => "error" in r);
    expect(delivered.length + failed.length).toBe(GETS); // nothing delivered wrong
    expect(delivered.length / GETS).toBeGreaterThanOrEqual(0.99);
    for (const f of failed) expect(isOtcApiError(f.error), String(f.error)).toBe(true);

    // The faults really happened, at about the intended rate, of every kind.
    let total = 0;
    for (let i = 0; i < GETS; i++) total += attempts.get(`GET item-${i}`) ?? 0;
    const faults = FAULTS.reduce((sum, kind) => sum + injected[kind], 0);
    expect(faults / total).toBeGreaterThan(0.2);
    expect(faults / total).toBeLessThan(0.4);
    for (const kind of FAULTS) expect(injected[kind], kind).toBeGreaterThan(20);

    // Every attempt after a call's first followed one retry decision; 429 waited for its
    // Retry-After, the rest backed off.
    expect(delays).toHaveLength(total - GETS);
    expect(delays.filter((d) => d.status === 429).every((d) => d.delayMs === 1_000)).toBe(true);
    const kinds = new Set(delays.map((d) => (d.error as OtcApiError | undefined)?.kind ?? d.status));
    expect([...kinds].sort()).toEqual([429, 502, 503, 504, "incomplete-response", "malformed-response", "network", "timeout"].sort());
    for (const f of failed) expect(attempts.get(`GET ${f.id}`)).toBe(MAX_ATTEMPTS);
    // Only the stalls the server decided timed out.
    expect(delays.filter((d) => (d.error as OtcApiError | undefined)?.kind === "timeout").length).toBeLessThanOrEqual(timeouts.expired);
    console.info(
      `fault storm: ${delivered.length} of ${GETS} GETs delivered (${((delivered.length / GETS) * 100).toFixed(1)} %), ` +
        `${failed.length} typed errors (${failed.map((f) => (f.error as OtcApiError).kind).join(", ") || "none"}); ` +
        `${faults} faults in ${total} attempts (${((faults / total) * 100).toFixed(1)} %)`,
    );
  });
});

describe("200 POSTs against the same faults", () => {
  it("never executes one twice, and every outcome is an answer or a typed error", { timeout: 60_000 }, async () => {
    const { client: c, delays } = client();
    const before = { ...injected };
    const outcomes = await pool(POSTS, IN_FLIGHT, async (i) => {
      const id = `order-${i}`;
      try {
        const { data, response } = await c.POST("/v3/{project_id}/orders/{id}", { params: { path: { id } }, body: { amount: i } });
        return { id, status: response.status, data };
      } catch (error) {
        return { id, error };
      }
    });

    const executedTwice = [...executions].filter(([key, n]) => key.startsWith("POST ") && n > 1);
    expect(executedTwice).toEqual([]);
    // No POST was sent twice at all: a POST that may have reached the server is not retried.
    for (let i = 0; i < POSTS; i++) expect(attempts.get(`POST order-${i}`)).toBe(1);
    expect(delays).toEqual([]);

    for (const outcome of outcomes) {
      if ("error" in outcome) {
        expect(isOtcApiError(outcome.error), String(outcome.error)).toBe(true);
        const error = outcome.error as OtcApiError;
        if (error.kind === "http") expect([429, 502, 503, 504]).toContain(error.status);
        else expect(["network", "timeout", "incomplete-response", "malformed-response"]).toContain(error.kind);
      } else {
        expect(outcome.status).toBe(201);
      }
    }
    // The faults reached the POSTs too.
    for (const kind of FAULTS) expect(injected[kind]).toBeGreaterThan(before[kind]);
    expect(outcomes.filter((o) => "status" in o && o.status === 201).length).toBeGreaterThan(POSTS / 2);
  });
});
