// One attempt: its own timeout over everything below it (credentials, headers, and the body,
// however it is read), never longer than what is left of the call. A body left to the caller to
// stream keeps the attempt's timer until the call is over. Failures below HTTP become OtcApiErrors
// (errors.ts transportError names the kind); the caller's own abort rejects with its reason.
//
// The attempt's signal is made when something asks for it (a wait for credentials, a sender that
// needs one): a sender that keeps timeouts itself gets the caller's signal and the time left
// instead, so that an attempt that waits for nothing makes no AbortSignal and no second timer.
import { isOtcApiError, requestIdOf, transportError } from "../../errors.js";
import { timeLeft, type CallContext } from "../context.js";
import type { Step } from "../request.js";
import type { Sender } from "../senders/types.js";
import { scopedSignal, type Scoped } from "../timers.js";
import { isTransportFailure } from "../transient.js";

/** The context below the attempt step: its deadline is the attempt's, its signal aborts at it. */
class AttemptContext implements CallContext {
  private scoped: Scoped | undefined;
  readonly clock;
  readonly sender: Sender | undefined;
  readonly deadline: number;

  constructor(
    private readonly call: CallContext,
    ms: number,
  ) {
    this.clock = call.clock;
    this.sender = call.sender;
    this.deadline = Math.min(call.deadline, call.clock.now() + ms);
  }

  get signal(): AbortSignal | undefined {
    return (this.scoped ??= scopedSignal(this.call.signal, this.deadline === Infinity ? Infinity : timeLeft(this))).signal;
  }

  untimed(): { signal: AbortSignal | undefined; timeoutMs: number } | undefined {
    return this.scoped === undefined ? { signal: this.call.signal, timeoutMs: this.deadline === Infinity ? Infinity : timeLeft(this) } : undefined;
  }

  dispose(): void {
    this.scoped?.dispose();
  }
}

export function attemptStep(attemptTimeoutMs: number): Step {
  return async (request, context, next) => {
    const attempt = new AttemptContext(context, Math.min(attemptTimeoutMs, timeLeft(context)));
    request.observer?.attemptStarted();
    try {
      const response = await next(request, attempt);
      if (response.stream && request.cleanups) request.cleanups.push(() => attempt.dispose());
      else attempt.dispose();
      request.observer?.attemptEnded(response.status, undefined, requestIdOf(response.headers));
      return response;
    } catch (caught) {
      attempt.dispose();
      let error = caught;
      if (request.callerSignal?.aborted) error = request.callerSignal.reason;
      else if (!isOtcApiError(error) && isTransportFailure(error)) error = transportError(error, { method: request.method, url: request.url, operationId: request.operationId });
      request.observer?.attemptEnded(undefined, error, undefined);
      throw error;
    }
  };
}
