import type { AuthStrategy } from "./types.js";
import { redactedInspect } from "../redact.js";
import { setHeaders } from "./headers.js";

/** Sends a token you already have as `X-Auth-Token`. It is never renewed. */
export function staticTokenAuth(token: string): AuthStrategy {
  if (typeof token !== "string" || token.trim() === "") {
    throw new TypeError("staticTokenAuth: token must be a non-empty string");
  }
  return redactedInspect({
    type: "token",
    async authenticate(request: Request): Promise<Request> {
      return setHeaders(request, { "X-Auth-Token": token });
    },
  });
}
