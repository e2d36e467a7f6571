// The route of an IAM request (a token, temporary credentials, the AK/SK project lookup): the
// client's pipeline without its retry step, because a login repeated on its own could lock the
// user; the caller (the next API call) decides when to try again.
//
//   attempt (attemptTimeoutMs) → credentials (the base strategy's) → response guard → sender
import type { Clock } from "../clock.js";
import type { Redirect } from "../redirects.js";
import type { AuthStrategy } from "./context.js";
import { compose } from "./request.js";
import type { Sender } from "./senders/types.js";
import { attemptStep } from "./steps/attempt.js";
import { credentialsStep } from "./steps/credentials.js";
import { responseGuard } from "./steps/response-guard.js";
import { toWebResponse } from "./web-response.js";

/** IAM answers are small; anything larger than this is not an IAM answer. */
const MAX_IAM_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface IamRoute {
  auth: AuthStrategy | undefined;
  /** Undefined: the default sender. */
  sender: Sender | undefined;
  attemptTimeoutMs: number;
  clock: Clock;
  refuse: (redirect: Redirect) => Error;
}

/** Sends one IAM request and returns the answer with its body read (error bodies capped at 64 KiB). */
export async function sendIamRequest(
  request: { url: string; method: string; headers: Headers; body: Uint8Array | undefined },
  route: IamRoute,
): Promise<Response> {
  const run = compose(
    [attemptStep(route.attemptTimeoutMs), credentialsStep(route.auth)],
    responseGuard({ maxResponseBytes: MAX_IAM_RESPONSE_BYTES, refuse: route.refuse }),
  );
  // Its own context: the request goes on for every call waiting on it, up to its own timeout.
  const answer = await run(
    { ...request, callerSignal: undefined, readBody: true },
    { signal: undefined, deadline: Infinity, clock: route.clock, sender: route.sender },
  );
  return toWebResponse(answer);
}
