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
import { scopedSignal, type Scoped } from "../../timers.js";
import { isTransportFailure } from "../transient.js";

export function attemptStep(attemptTimeoutMs: number): Step {
  return async (request, context, next) => {
    const { clock } = context;
    let scoped: Scoped | undefined;
    // Below this step the deadline is the attempt's, and the signal aborts at it.
    const attempt: CallContext = {
      clock,
      sender: context.sender,
      deadline: Math.min(context.deadline, clock.now() + Math.min(attemptTimeoutMs, timeLeft(context))),
      get signal() {
        return (scoped ??= scopedSignal(context.signal, timeLeft(attempt))).signal;
      },
      untimed: () => (scoped ? undefined : { signal: context.signal, timeoutMs: timeLeft(attempt) }),
    };
    request.observer?.attemptStarted();
    try {
      const response = await next(request, attempt);
      if (response.stream && request.cleanups) request.cleanups.push(() => scoped?.dispose());
      else scoped?.dispose();
      request.observer?.attemptEnded(response.status, undefined, requestIdOf(response.headers));
      return response;
    } catch (caught) {
      scoped?.dispose();
      let error = caught;
      if (request.callerSignal?.aborted) error = request.callerSignal.reason;
      else if (!isOtcApiError(error) && isTransportFailure(error))
        error = transportError(error, { method: request.method, url: request.url, operationId: request.operationId });
      request.observer?.attemptEnded(undefined, error, undefined);
      throw error;
    }
  };
}
