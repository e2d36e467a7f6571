import { redactedInspect } from "../redact.js";
import { credentialStrategy } from "./headers.js";
import { stringOption } from "./options.js";
import type { AuthStrategy } from "./types.js";

/** Sends a token you already have as `X-Auth-Token`. It is never renewed. */
export function staticTokenAuth(token: string): AuthStrategy {
  stringOption("staticTokenAuth", "token", token, "header", true);
  const headers = { "X-Auth-Token": token };
  return redactedInspect(credentialStrategy({ type: "token" }, () => headers));
}
