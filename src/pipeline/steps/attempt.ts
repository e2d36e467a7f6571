// One attempt: its own timeout over everything below it (credentials, headers, and the body,
// however it is read), never longer than what is left of the call. A body left to the caller to
// stream keeps the attempt's timer until the call is over. Failures below HTTP become OtcApiErrors
// (errors.ts transportError names the kind); the caller's own abort rejects with its reason.
import { isOtcApiError, requestIdOf, transportError } from "../../errors.js";
import { timeLeft, type CallContext } from "../context.js";
import type { Step } from "../request.js";
import { scopedSignal } from "../timers.js";
import { isTransportFailure } from "../transient.js";

export function attemptStep(attemptTimeoutMs: number): Step {
  return async (request, context, next) => {
    const ms = Math.min(attemptTimeoutMs, timeLeft(context));
    const clock = context.clock;
    const scoped = scopedSignal(context.signal, ms);
    const attempt: CallContext = { ...context, signal: scoped.signal, deadline: Math.min(context.deadline, clock.now() + ms) };
    request.observer?.attemptStarted();
    try {
      const response = await next(request, attempt);
      if (response.stream && request.cleanups) request.cleanups.push(scoped.dispose);
      else scoped.dispose();
      request.observer?.attemptEnded(response.status, undefined, requestIdOf(response.headers));
      return response;
    } catch (caught) {
      scoped.dispose();
      let error = caught;
      if (request.callerSignal?.aborted) error = request.callerSignal.reason;
      else if (!isOtcApiError(error) && isTransportFailure(error))
        error = transportError(error, { method: request.method, url: request.url, operationId: request.operationId });
      request.observer?.attemptEnded(undefined, error, undefined);
      throw error;
    }
  };
}
