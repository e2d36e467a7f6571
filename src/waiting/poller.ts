// The polling engine: polls a target until its status says success (resolve) or failure
// (OperationFailedError), waiting between polls by a jittered, growing backoff with a floor,
// within the wait's deadline (WaitTimeoutError; the poll in flight is aborted then). Polls that
// fail for a passing reason are polled through; any other failure ends the wait at once.
import { OperationFailedError, WaitTimeoutError } from "../errors.js";
import { Backoff } from "./backoff.js";
import type { WaitSettings } from "./options.js";
import { DEADLINE, GONE, pollAgain, pollWithin } from "./poll.js";
import { checkPathParams, type Reading, type Target } from "./target.js";

/** A poll's outcome: the body read, the resource gone, or a passing failure. */
type Outcome = { data: unknown } | { gone: true } | { failure: unknown };

class Poller {
  private readonly started: number;
  private polls = 0;
  private last: Reading | undefined;
  private resource: unknown;

  constructor(
    private readonly client: object,
    private readonly target: Target,
    private readonly settings: WaitSettings,
  ) {
    this.started = settings.clock.now();
  }

  async run(): Promise<unknown> {
    const { signal, initialDelayMs } = this.settings;
    const backoff = new Backoff(this.settings);
    signal?.throwIfAborted();
    if (initialDelayMs > 0) await this.pause(initialDelayMs);
    while (true) {
      signal?.throwIfAborted();
      const outcome = await this.poll();
      this.polls++;
      if ("gone" in outcome) {
        this.report({ status: undefined, percent: 100, resource: undefined });
        return undefined;
      }
      if ("data" in outcome && this.settled(outcome.data)) return this.resource;
      if ("failure" in outcome)
        this.report({ status: this.last?.status, percent: this.last?.percent, resource: this.resource, error: outcome.failure });
      if (this.elapsed() >= this.settings.maxWaitMs) throw this.timedOut();
      await this.pause(backoff.next());
    }
  }

  private async poll(): Promise<Outcome> {
    try {
      const data = await pollWithin(this.client, this.target, this.settings.maxWaitMs - this.elapsed(), this.settings.signal);
      return data === GONE ? { gone: true } : { data };
    } catch (error) {
      if (error === DEADLINE) throw this.timedOut();
      if (this.settings.signal?.aborted || !pollAgain(error)) throw error;
      return { failure: error };
    }
  }

  /** Reads a polled body: true when it ends the wait with success; throws on a failure status. */
  private settled(data: unknown): boolean {
    const reading = this.target.read(data);
    this.last = reading;
    this.resource = this.target.result(data);
    this.report({ status: reading.status, percent: reading.percent, resource: this.resource });
    if (reading.verdict === "success") return true;
    if (reading.verdict === "pending") return false;
    const detail = [reading.code, reading.reason].filter((p) => p !== undefined && p !== "").join(": ");
    throw new OperationFailedError(`${this.target.what} ended with status ${reading.status ?? "(none)"}${detail ? `: ${detail}` : ""}`, {
      status: reading.status ?? "",
      code: reading.code,
      reason: reading.reason,
      operationId: this.target.operationId,
      resource: data,
    });
  }

  private report(progress: { status: string | undefined; percent: number | undefined; resource: unknown; error?: unknown }): void {
    this.settings.onProgress?.({ ...progress, polls: this.polls, elapsedMs: this.elapsed(), resource: progress.resource as never });
  }

  /** Waits through the clock, never past the deadline. */
  private async pause(ms: number): Promise<void> {
    await this.settings.clock.sleep(Math.min(ms, this.settings.maxWaitMs - this.elapsed()), this.settings.signal);
    if (this.elapsed() >= this.settings.maxWaitMs) throw this.timedOut();
  }

  private elapsed(): number {
    return this.settings.clock.now() - this.started;
  }

  private timedOut(): WaitTimeoutError {
    const { maxWaitMs } = this.settings;
    return new WaitTimeoutError(
      `${this.target.what} did not finish within maxWaitMs ${maxWaitMs} ms (last status ${this.last?.status ?? "unknown"} after ${this.polls} polls)`,
      {
        lastStatus: this.last?.status,
        resource: this.resource,
        elapsedMs: this.elapsed(),
        polls: this.polls,
      },
    );
  }
}

/** Polls `target` until it settles; the target's path parameters are checked before the first poll. */
export function poll<T>(client: object, target: Target, settings: WaitSettings): Promise<T> {
  checkPathParams(target);
  return new Poller(client, target, settings).run() as Promise<T>;
}
