// IAM locks a user after repeated wrong passwords, and an app that retries in a loop would get
// there quickly. Once IAM has rejected a strategy's credentials (401 or 403 to a password, an
// agency, a token exchange, a signed lookup), the strategy stops asking: every later call fails
// at once with an AuthenticationError of the same status and IAM code, without a request, until
// the strategy is created anew (with credentials that have been fixed). There is no cool-down
// for IAM's own rejection: the same credentials will not start working by themselves. A 401 of
// the API to a token IAM issued is different (rejectionCoolDown below).
import { AuthenticationError } from "./errors.js";

const REJECTED = new Set([401, 403]);

/** Wraps an IAM request so that a rejection of the credentials is remembered and replayed without contacting IAM. */
export function rememberRejection<T, A extends unknown[]>(obtain: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let rejection: AuthenticationError | undefined;
  return async (...args: A) => {
    if (rejection) {
      throw new AuthenticationError(
        `${rejection.message}; not sent again: IAM rejected these credentials (create the strategy anew once they are fixed)`,
        {
          status: rejection.status,
          code: rejection.code,
          iamMessage: rejection.iamMessage,
          requestId: rejection.requestId,
          cause: rejection,
        },
      );
    }
    try {
      return await obtain(...args);
    } catch (error) {
      if (error instanceof AuthenticationError && error.status !== undefined && REJECTED.has(error.status)) rejection = error;
      throw error;
    }
  };
}

/** How long a token the API refused right after it was renewed for a 401 is not renewed again (default). */
export const DEFAULT_REJECTION_COOL_DOWN_MS = 60_000;

/**
 * The API's side of the same problem: a 401 that persists. A 401 renews the token (once per
 * request); when the API refuses the renewed token too, the credentials are accepted by IAM but
 * not by the service (a missing role, a project the user lost), and renewing on every call would
 * cost a login each. So for `coolDownMs` after that, a 401 is returned as it is, without a
 * login; after the cool-down the next 401 renews once more (the role may have been granted).
 */
export function rejectionCoolDown(coolDownMs: number, now: () => number) {
  let renewedFor401: string | undefined;
  let until = -Infinity;
  return {
    /** Whether a 401 to a request that carried `sent` may renew the token now. */
    mayRenew(sent: string | null): boolean {
      if (now() < until) return false;
      if (sent !== null && sent === renewedFor401) {
        renewedFor401 = undefined;
        until = now() + coolDownMs;
        return false;
      }
      return true;
    },
    /** A 401 renewed the token to `token`. */
    renewed(token: string): void {
      renewedFor401 = token;
    },
  };
}
