// The retry policy on its own: fake attempts, an injected clock, sleep and jitter.
import { describe, expect, it } from "vitest";
import { sleep } from "../../src/clock.js";
import type { Clock } from "../../src/clock.js";
import type { PipelineRequest, PipelineResponse } from "../../src/pipeline/request.js";
import { parseRetryAfter, retryStep, type RetryOptions } from "../../src/pipeline/steps/retry.js";
import { neverSent } from "../../src/pipeline/transient.js";

interface Facts {
  method: string;
  signal: AbortSignal | undefined;
}
type Attempt = (signal: AbortSignal | undefined, budgetMs?: number) => Promise<Response>;

/** The retry step run on its own: `timeoutMs` is the call's deadline, counted on the clock. */
function retryPolicy(options: RetryOptions & { timeoutMs?: number } = {}) {
  const { timeoutMs = 120_000, ...retry } = options;
  const step = retryStep(retry);
  const clock: Clock = retry.clock ?? { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, signal) };
  return async (attempt: Attempt, facts: Facts): Promise<Response> => {
    const context = { signal: facts.signal, deadline: clock.now() + timeoutMs, clock, sender: undefined };
    const request = {
      method: facts.method,
      url: "https://h/v3/p/vaults",
      headers: new Headers(),
      body: undefined,
      callerSignal: facts.signal,
      readBody: true,
    } satisfies PipelineRequest;
    let last: Response | undefined;
    await step(request, context, async () => {
      last = await attempt(facts.signal, Math.max(0, context.deadline - clock.now()));
      return {
        status: last.status,
        statusText: "",
        headers: last.headers,
        url: "",
        body: undefined,
        stream: null,
        truncated: false,
        discard: async () => {},
      } satisfies PipelineResponse;
    });
    return last!;
  };
}

function harness(options: RetryOptions & { timeoutMs?: number } = {}) {
  let clock = 1_000_000;
  const delays: number[] = [];
  const runner = retryPolicy({
    random: () => 0.5,
    clock: {
      now: () => clock,
      sleep: async (ms) => {
        delays.push(ms);
        clock += ms;
      },
    },
    ...options,
  });
  return { runner, delays, advance: (ms: number) => (clock += ms) };
}

const facts = (method: string, signal?: AbortSignal): Facts => ({ method, signal });
const status = (code: number, headers: Record<string, string> = {}) => new Response(code === 204 ? null : "x", { status: code, headers });
const refused = () =>
  Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
const reset = () =>
  Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });

/** An attempt function answering from a script, counting calls. */
function script(...steps: Array<Response | Error>) {
  let calls = 0;
  const attempt = async () => {
    const step = steps[Math.min(calls++, steps.length - 1)]!;
    if (step instanceof Error) throw step;
    return step;
  };
  return { attempt, calls: () => calls };
}

describe("retryPolicy", () => {
  it.each(["GET", "HEAD", "PUT", "DELETE"])("retries %s on 429, 502, 503 and 504, with full jitter", async (method) => {
    const { runner, delays } = harness({ maxAttempts: 5 });
    const s = script(status(429), status(502), status(503), status(504), status(200));
    const response = await runner(s.attempt, facts(method));
    expect(response.status).toBe(200);
    expect(s.calls()).toBe(5);
    // random() = 0.5 of min(20 000, 500 · 2^(n-1))
    expect(delays).toEqual([250, 500, 1000, 2000]);
  });

  it("does not retry other statuses", async () => {
    for (const code of [200, 400, 401, 404, 409, 500, 501]) {
      const { runner } = harness();
      const s = script(status(code), status(200));
      expect((await runner(s.attempt, facts("GET"))).status).toBe(code);
      expect(s.calls()).toBe(1);
    }
  });

  it("returns the last answer when attempts run out", async () => {
    const { runner, delays } = harness({ maxAttempts: 3 });
    const s = script(status(503));
    expect((await runner(s.attempt, facts("GET"))).status).toBe(503);
    expect(s.calls()).toBe(3);
    expect(delays).toHaveLength(2);
  });

  it("caps each delay", async () => {
    const { runner, delays } = harness({ maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 3000, random: () => 0.999, timeoutMs: 1e9 });
    await runner(script(status(503)).attempt, facts("GET"));
    expect(Math.max(...delays)).toBeLessThanOrEqual(3000);
    expect(delays.at(-1)).toBe(2997);
  });

  it("retries idempotent requests after network errors and timeouts, then rethrows", async () => {
    const { runner } = harness({ maxAttempts: 3 });
    const timeout = new DOMException("The operation timed out.", "TimeoutError");
    const s = script(reset(), timeout, status(200));
    expect((await runner(s.attempt, facts("GET"))).status).toBe(200);
    const failing = script(reset());
    await expect(runner(failing.attempt, facts("DELETE"))).rejects.toThrow("fetch failed");
    expect(failing.calls()).toBe(3);
  });

  it("never retries a POST that may have reached the server", async () => {
    for (const step of [status(503), status(429), status(502), reset(), new DOMException("t", "TimeoutError")]) {
      const { runner } = harness();
      const s = script(step, status(200));
      const outcome = await runner(s.attempt, facts("POST")).then(
        (r) => r.status,
        (e: Error) => e.name,
      );
      expect(outcome).not.toBe(200);
      expect(s.calls()).toBe(1);
    }
  });

  it("retries a POST whose connection was refused", async () => {
    const { runner } = harness();
    const s = script(refused(), status(201));
    expect((await runner(s.attempt, facts("POST"))).status).toBe(201);
    expect(s.calls()).toBe(2);
  });

  it("does not retry errors that are not network errors", async () => {
    const { runner } = harness();
    const s = script(new RangeError("bug"), status(200));
    await expect(runner(s.attempt, facts("GET"))).rejects.toThrow("bug");
    expect(s.calls()).toBe(1);
  });

  it("honours Retry-After in seconds and as an HTTP date", async () => {
    const { runner, delays } = harness();
    await runner(script(status(429, { "Retry-After": "3" }), status(200)).attempt, facts("GET"));
    expect(delays).toEqual([3000]);

    const h = harness({ clock: { now: () => Date.parse("Sun, 23 Nov 2025 10:00:00 GMT"), sleep: async (ms) => void h.delays.push(ms) } });
    await h.runner(script(status(503, { "Retry-After": "Sun, 23 Nov 2025 10:00:07 GMT" }), status(200)).attempt, facts("GET"));
    expect(h.delays).toEqual([7000]);
  });

  it("gives up when Retry-After or the next delay would pass the call's deadline", async () => {
    const { runner, delays } = harness({ timeoutMs: 10_000 });
    const s = script(status(429, { "Retry-After": "60" }), status(200));
    expect((await runner(s.attempt, facts("GET"))).status).toBe(429);
    expect(delays).toEqual([]);

    const slow = harness({ timeoutMs: 1_000, maxAttempts: 10, random: () => 0.99 });
    const t = script(status(503));
    await slow.runner(t.attempt, facts("GET"));
    // delays 495, 990 → the second would end at 1485 ms > 1000 ms
    expect(slow.delays).toEqual([495]);
    expect(t.calls()).toBe(2);
  });

  it("stops when the caller aborts, during an attempt or a wait", async () => {
    const controller = new AbortController();
    const runner = retryPolicy({ baseDelayMs: 60_000, random: () => 1 });
    const s = script(status(503), status(200));
    const pending = runner(s.attempt, facts("GET", controller.signal));
    await new Promise((r) => setImmediate(r));
    controller.abort(new Error("caller gave up"));
    await expect(pending).rejects.toThrow("caller gave up");
    expect(s.calls()).toBe(1);

    const aborted = new AbortController();
    aborted.abort();
    const r = script(reset(), status(200));
    await expect(harness().runner(r.attempt, facts("GET", aborted.signal))).rejects.toThrow("fetch failed");
    expect(r.calls()).toBe(1);
  });

  it("reports each retry", async () => {
    const seen: unknown[] = [];
    const { runner } = harness({ onRetry: (info) => seen.push({ attempt: info.attempt, status: info.status, delayMs: info.delayMs }) });
    await runner(script(status(503), status(200)).attempt, facts("GET"));
    expect(seen).toEqual([{ attempt: 1, status: 503, delayMs: 250 }]);
  });
});

describe("neverSent", () => {
  it("recognises refused connections and failed name lookups, also inside AggregateError", () => {
    expect(neverSent(refused())).toBe(true);
    const both = new TypeError("fetch failed", {
      cause: Object.assign(
        new AggregateError([
          Object.assign(new Error("a"), { code: "ECONNREFUSED" }),
          Object.assign(new Error("b"), { code: "ECONNREFUSED" }),
        ]),
        {},
      ),
    });
    expect(neverSent(both)).toBe(true);
    expect(neverSent(new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code: "EAI_AGAIN" }) }))).toBe(true);
    expect(neverSent(reset())).toBe(false);
    expect(neverSent(new TypeError("Failed to fetch"))).toBe(false);
    expect(neverSent(undefined)).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and dates, and ignores garbage", () => {
    expect(parseRetryAfter("0", 0)).toBe(0);
    expect(parseRetryAfter("1.5", 0)).toBe(1500);
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:05 GMT", 1000)).toBe(4000);
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:05 GMT", 9000)).toBe(0);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

describe("sleep", () => {
  it("rejects with the signal's reason", async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    const already = new AbortController();
    already.abort(new Error("already"));
    await expect(sleep(1, already.signal)).rejects.toThrow("already");
  });
});

describe("retryPolicy: the call's deadline", () => {
  it("gives each attempt what is left of timeoutMs, counted from the call's start, and starts none without time", async () => {
    const { runner, advance } = harness({ timeoutMs: 1_500, maxAttempts: 10, random: () => 0 });
    const budgets: Array<number | undefined> = [];
    const attempt = async (_signal: AbortSignal | undefined, budgetMs?: number) => {
      budgets.push(budgetMs);
      advance(Math.min(1_000, budgetMs ?? 1_000)); // each attempt runs into its timeout
      throw new DOMException("The operation timed out.", "TimeoutError");
    };
    await expect(runner(attempt, facts("GET"))).rejects.toMatchObject({ name: "TimeoutError" });
    expect(budgets).toEqual([1_500, 500]);
  });

  it("counts the first attempt's duration against the budget", async () => {
    const { runner, advance, delays } = harness({ timeoutMs: 1_000, random: () => 0.5 });
    let calls = 0;
    const attempt = async () => {
      calls++;
      advance(950);
      return status(503);
    };
    expect((await runner(attempt, facts("GET"))).status).toBe(503);
    expect(calls).toBe(1); // 50 ms left minus the 250 ms delay: no time for another
    expect(delays).toEqual([]);
  });
});

describe("retry options", () => {
  it("refuses options of earlier versions and out-of-range numbers when the client is created", () => {
    expect(() => retryPolicy({ sleep: async () => {} } as never)).toThrow("retry: `sleep` was replaced: use `clock`");
    expect(() => retryPolicy({ now: () => 0 } as never)).toThrow("retry: `now` was replaced: use `clock`");
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow("retry: `maxAttempts` must be an integer ≥ 1");
    expect(() => retryPolicy({ baseDelayMs: -1 })).toThrow("`baseDelayMs`");
    expect(() => retryPolicy({ baseDelayMs: Number.NaN })).toThrow("`baseDelayMs`");
    expect(() => retryPolicy({ maxDelayMs: "5" as never })).toThrow("`maxDelayMs`");
    expect(() => retryPolicy({ maxElapsedMs: 60_000 } as never)).toThrow(
      "retry: `maxElapsedMs` was replaced: the whole call's deadline is the client's (or the call's) `timeoutMs`",
    );
    expect(() => retryPolicy({ statuses: "503" as never })).toThrow("retry: `statuses` must be an array of HTTP statuses");
    expect(() => retryPolicy({ methods: "GET" as never })).toThrow("retry: `methods` must be an array of HTTP method names");
    expect(() => retryPolicy({ clock: { now: () => 0 } as never })).toThrow("`clock` must be a Clock");
    expect(() => retryPolicy({ maxAttempts: 5, maxRetryAfterMs: Infinity })).not.toThrow();
  });
});
