// IAM locks a user after repeated wrong passwords, and an app that retries in a loop would get
// there quickly. Once IAM has rejected a strategy's credentials (401 or 403 to a password, an
// agency, a token exchange, a signed lookup), the strategy stops asking: every later call fails
// at once with an AuthenticationError of the same status and IAM code, without a request, until
// the strategy is created anew (with credentials that have been fixed). There is no cool-down:
// the same credentials will not start working by themselves.
import { AuthenticationError } from "./errors.js";

const REJECTED = new Set([401, 403]);

/** Wraps an IAM request so that a rejection of the credentials is remembered and replayed without contacting IAM. */
export function rememberRejection<T>(obtain: () => Promise<T>): () => Promise<T> {
  let rejection: AuthenticationError | undefined;
  return async () => {
    if (rejection) {
      throw new AuthenticationError(`${rejection.message}; not sent again: IAM rejected these credentials (create the strategy anew once they are fixed)`, {
        status: rejection.status,
        code: rejection.code,
        iamMessage: rejection.iamMessage,
        requestId: rejection.requestId,
        cause: rejection,
      });
    }
    try {
      return await obtain();
    } catch (error) {
      if (error instanceof AuthenticationError && error.status !== undefined && REJECTED.has(error.status)) rejection = error;
      throw error;
    }
  };
}
