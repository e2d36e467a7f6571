// The shared machinery of token strategies: a cached project-scoped token sent as X-Auth-Token,
// renewed a margin before expiry (one renewal shared by all concurrent callers) and on a 401.
// Once IAM rejects the credentials, no further token request is made (rejections.ts).
import { systemClock, type Clock } from "../clock.js";
import { endpointFromCatalog, regionOfProject } from "../endpoints.js";
import { redactedInspect } from "../redact.js";
import { credentialStrategy } from "./headers.js";
import type { IssuedToken } from "./iam.js";
import type { CallContext, OutgoingRequest } from "../pipeline/context.js";
import { renewCredentials } from "../pipeline/context.js";
import { numberOption } from "../options/check.js";
import { DEFAULT_REJECTION_COOL_DOWN_MS, rejectionCoolDown, rememberRejection } from "./rejections.js";
import { renewable } from "./renewable.js";
import type { Discovery, TokenAuth } from "./types.js";

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

export interface TokenCacheOptions {
  /** Renew the token this long before it expires (default 5 minutes). */
  refreshMarginMs?: number | undefined;
  /** The clock token lifetimes are counted on (default: the system clock); injectable for tests. */
  clock?: Clock | undefined;
  /**
   * After the API refused a token renewed for a 401, how long a 401 is returned as it is instead
   * of logging in again (default 60 000 ms; see rejections.ts).
   */
  rejectionCoolDownMs?: number | undefined;
}

export function createTokenAuth(
  type: string,
  issue: (context?: CallContext) => Promise<IssuedToken>,
  options: TokenCacheOptions & { region?: string | undefined; allowInsecureHttp?: boolean | undefined },
  where = type,
): TokenAuth {
  const clock = options.clock ?? systemClock;
  const coolDownMs =
    numberOption(where, "rejectionCoolDownMs", options.rejectionCoolDownMs, { min: 0, infinity: true }) ?? DEFAULT_REJECTION_COOL_DOWN_MS;
  const issueOnce = rememberRejection(issue);
  const cache = renewable(
    async (context?: CallContext) => {
      const issued = await issueOnce(context);
      return { value: issued, expiresAt: issued.expiresAt };
    },
    { marginMs: options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS, now: () => clock.now() },
  );
  const coolDown = rejectionCoolDown(coolDownMs, () => clock.now());

  const renewAfter401 = async (failed: OutgoingRequest, context?: CallContext): Promise<boolean> => {
    // If the failed request carried an older token, someone already renewed it: just replay.
    const sent = failed.headers.get("x-auth-token");
    const current = cache.peek();
    if (sent && current && sent !== current.token) return true;
    if (!coolDown.mayRenew(sent)) return false;
    coolDown.renewed((await cache.renew(context)).token);
    return true;
  };

  const strategy = {
    type,
    refresh: (failed: Request): Promise<boolean> => renewAfter401(failed),
    [renewCredentials]: renewAfter401,
    async getToken(): Promise<string> {
      return (await cache.get()).token;
    },
    invalidate(): void {
      cache.clear();
    },
    async discover(): Promise<Discovery> {
      const issued = await cache.get();
      const region = options.region ?? regionOfProject(issued.projectName);
      const where = { region, projectId: issued.projectId, allowInsecureHttp: options.allowInsecureHttp };
      return {
        projectId: issued.projectId,
        projectName: issued.projectName,
        region,
        endpoints: {
          vbs: endpointFromCatalog(issued.catalog, "vbs", where),
          cbr: endpointFromCatalog(issued.catalog, "cbr", where),
        },
      };
    },
  };
  return redactedInspect(
    credentialStrategy(strategy, async (_request, _body, context) => ({ "X-Auth-Token": (await cache.get(context)).token })),
  );
}
