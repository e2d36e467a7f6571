// The one error type every strategy throws when IAM (or a signed IAM call) refuses or fails.
// It carries what a user can act on (status, IAM code and message, request id) and never a
// credential: messages are built only from IAM's error fields, not from requests or raw bodies.
import { readErrorText } from "../error-body.js";
import { quoteServiceText, readServiceError, requestIdOf } from "../errors.js";
import { InvalidHeaderError } from "../pipeline/context.js";

export interface AuthenticationErrorDetails {
  /** HTTP status of IAM's answer; undefined for network errors and malformed answers. */
  status?: number | undefined;
  /** IAM's error code, e.g. `IAM.0062` (wrong password) or Keystone's numeric 401. */
  code?: string | number | undefined;
  /** IAM's own message. */
  iamMessage?: string | undefined;
  /** `X-Request-Id` / `X-Openstack-Request-Id` of the answer, for support cases. */
  requestId?: string | undefined;
  cause?: unknown;
}

export class AuthenticationError extends Error {
  override readonly name = "AuthenticationError";
  declare readonly status: number | undefined;
  declare readonly code: string | number | undefined;
  declare readonly iamMessage: string | undefined;
  declare readonly requestId: string | undefined;

  constructor(message: string, details: AuthenticationErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.code = details.code;
    this.iamMessage = details.iamMessage;
    this.requestId = details.requestId;
  }

  toJSON() {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      code: this.code,
      iamMessage: this.iamMessage,
      requestId: this.requestId,
    };
  }
}

export { InvalidHeaderError };

const MAX_MESSAGE = 300;

/**
 * Builds the error for a non-2xx IAM answer, naming the IAM endpoint (its origin) that answered;
 * reads at most 64 KiB of its body, and quotes at most 200 characters of IAM's message.
 */
export async function authenticationErrorFrom(response: Response, what: string): Promise<AuthenticationError> {
  const { text } = await readErrorText(response);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const { code, message } = readServiceError(body);
  const iamMessage = message?.slice(0, MAX_MESSAGE);
  const detail = [code, iamMessage]
    .filter((part) => part !== undefined && part !== "")
    .map((part) => quoteServiceText(String(part)))
    .join(": ");
  const from = originOf(response.url);
  return new AuthenticationError(
    `${what} failed with HTTP ${response.status}${from ? ` from ${from}` : ""}${detail ? ` (${detail})` : ""}`,
    {
      status: response.status,
      code,
      iamMessage,
      requestId: requestIdOf(response.headers, body),
    },
  );
}

function originOf(url: string): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}
