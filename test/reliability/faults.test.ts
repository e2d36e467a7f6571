// Reliability under faults (issue #8): a loopback server fails about 30 % of the attempts it
// receives with 503, 429 + Retry-After, a reset connection, or an answer that never comes (past
// the client's per-attempt timeout). 1,000 GETs must all be delivered; 200 POSTs must never be
// executed twice. Waits between retries go through an injected sleep, so nothing here waits for
// backoff; only stalled attempts cost their (short) timeout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerResponse } from "node:http";
import { isOtcApiError } from "../../src/errors.js";
import type { OperationTable } from "../../src/operations.js";
import type { RetryInfo } from "../../src/retry.js";
import { countingAuth, instantClock, loopbackClient, sendJson, startLoopback, type Loopback } from "../support/loopback.js";
import { rng, seedOf } from "./support.js";

const GETS = 1_000;
const POSTS = 200;
const FAULT_RATE = 0.3;
/** Attempts after this one are never faulted, so that a request's faults stay within the retry budget. */
const FAULTY_ATTEMPTS = 4;
const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 250;
const IN_FLIGHT = 20;

type Fault = "503" | "429" | "reset" | "stall";
const FAULTS: readonly Fault[] = ["503", "429", "reset", "stall"];

const table: OperationTable = {
  "GET /v3/{project_id}/items/{id}": { operationId: "showItem" },
  "POST /v3/{project_id}/orders/{id}": { operationId: "createOrder" },
};

/** The fault for attempt `n` (1-based) of request `key`, the same on every run. */
function faultFor(key: string, n: number): Fault | undefined {
  if (n > FAULTY_ATTEMPTS) return undefined;
  const random = rng(seedOf(`${key}#${n}`));
  if (random() >= FAULT_RATE) return undefined;
  return FAULTS[Math.floor(random() * FAULTS.length)];
}

const attempts = new Map<string, number>();
const executions = new Map<string, number>();
const injected: Record<Fault, number> = { "503": 0, "429": 0, reset: 0, stall: 0 };
let answered = 0;
const stalled = new Set<ServerResponse>();

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

      switch (fault) {
        case "503":
          return sendJson(res, 503, { error_code: "CBR.0503", error_msg: "Service unavailable" });
        case "429":
          return sendJson(res, 429, { error_code: "APIG.0308", error_msg: "Too many requests" }, { "Retry-After": "1" });
        case "reset":
          // A POST is executed before its connection drops half the time: the worst case for a retry.
          if (req.method === "POST" && n % 2 === 1) execute();
          raw.socket.destroy();
          return;
        case "stall":
          // Executed, then no answer before the client gives up.
          if (req.method === "POST") execute();
          stalled.add(res);
          res.on("close", () => stalled.delete(res));
          return;
        default:
          if (req.method === "POST") execute();
          answered++;
          return sendJson(res, kind === "orders" ? 201 : 200, { id, attempt: n });
      }
    },
    { maxRequests: 4_000 },
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
    timeoutMs: TIMEOUT_MS,
    retry: {
      maxAttempts: MAX_ATTEMPTS,
      random: () => 0.5,
      onRetry: (info) => void delays.push(info),
      clock: instantClock(), // the delays are recorded, not waited for
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
  it("delivers every one", { timeout: 60_000 }, async () => {
    const { client: c, delays } = client();
    const results = await pool(GETS, IN_FLIGHT, async (i) => {
      const id = `item-${i}`;
      const { data, error, response } = await c.GET("/v3/{project_id}/items/{id}", { params: { path: { id } } });
      return { id, data: data as { id: string; attempt: number } | undefined, error, status: response.status };
    });

    const undelivered = results.filter((r) => r.status !== 200 || r.data?.id !== r.id);
    expect(undelivered).toEqual([]);

    // The faults really happened, at about the intended rate, of every kind.
    let total = 0;
    for (let i = 0; i < GETS; i++) total += attempts.get(`GET item-${i}`) ?? 0;
    const faults = total - GETS;
    expect(faults / total).toBeGreaterThan(0.2);
    expect(faults / total).toBeLessThan(0.4);
    for (const kind of FAULTS) expect(injected[kind]).toBeGreaterThan(20);

    // Every fault was retried exactly once more; 429 waited for its Retry-After, the rest backed off.
    expect(delays).toHaveLength(faults);
    expect(delays.filter((d) => d.status === 429).every((d) => d.delayMs === 1_000)).toBe(true);
    expect(delays.filter((d) => d.status === 429)).toHaveLength(injected["429"]);
    expect(delays.filter((d) => d.status === undefined).length).toBeGreaterThan(0); // resets and timeouts
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
        expect(["network", "timeout"]).toContain((outcome.error as { kind: string }).kind);
      } else {
        expect([201, 429, 503]).toContain(outcome.status);
      }
    }
    // The faults reached the POSTs too.
    for (const kind of FAULTS) expect(injected[kind]).toBeGreaterThan(before[kind]);
    expect(outcomes.filter((o) => "status" in o && o.status === 201).length).toBeGreaterThan(POSTS / 2);
  });
});
