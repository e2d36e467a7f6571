import { redactedInspect } from "../redact.js";
import { setHeaders } from "./headers.js";
import { stringOption } from "./options.js";
import type { AuthStrategy } from "./types.js";

/** Sends a token you already have as `X-Auth-Token`. It is never renewed. */
export function staticTokenAuth(token: string): AuthStrategy {
  stringOption("staticTokenAuth", "token", token, "header", true);
  return redactedInspect({
    type: "token",
    async authenticate(request: Request): Promise<Request> {
      return setHeaders(request, { "X-Auth-Token": token }, "token");
    },
  });
}
