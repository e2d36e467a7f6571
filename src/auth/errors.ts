// The one error type every strategy throws when IAM (or a signed IAM call) refuses or fails.
// It carries what a user can act on (status, IAM code and message, request id) and never a
// credential: messages are built only from IAM's error fields, not from requests or raw bodies.

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
  readonly status: number | undefined;
  readonly code: string | number | undefined;
  readonly iamMessage: string | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, details: AuthenticationErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.code = details.code;
    this.iamMessage = details.iamMessage;
    this.requestId = details.requestId;
  }

  toJSON() {
    return { name: this.name, message: this.message, status: this.status, code: this.code, iamMessage: this.iamMessage, requestId: this.requestId };
  }
}

const MAX_MESSAGE = 300;

/** Reads IAM's error fields (`error_code`/`error_msg`, `{error:{code,message}}`, one wrapper deep). */
export function readIamError(body: unknown): { code?: string | number; message?: string } {
  const pick = (o: Record<string, unknown>) => {
    if (typeof o.error_code === "string" && typeof o.error_msg === "string") return { code: o.error_code, message: o.error_msg };
    if ((typeof o.code === "string" || typeof o.code === "number") && typeof o.message === "string") return { code: o.code, message: o.message };
    return undefined;
  };
  if (body === null || typeof body !== "object") return {};
  const top = pick(body as Record<string, unknown>);
  if (top) return top;
  for (const value of Object.values(body as Record<string, unknown>)) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const nested = pick(value as Record<string, unknown>);
      if (nested) return nested;
    }
  }
  return {};
}

/** Builds the error for a non-2xx IAM answer; consumes the response body. */
export async function authenticationErrorFrom(response: Response, what: string): Promise<AuthenticationError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const { code, message } = readIamError(body);
  const iamMessage = message?.slice(0, MAX_MESSAGE);
  const requestId = response.headers.get("x-request-id") ?? response.headers.get("x-openstack-request-id") ?? undefined;
  const detail = [code, iamMessage].filter((part) => part !== undefined && part !== "").join(": ");
  return new AuthenticationError(`${what} failed with HTTP ${response.status}${detail ? ` (${detail})` : ""}`, {
    status: response.status,
    code,
    iamMessage,
    requestId,
  });
}
