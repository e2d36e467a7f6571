// The one shape every authentication strategy has, so that each works with either client. The
// strategy itself is declared where the pipeline meets the strategies (pipeline/context.ts).
import type { AuthStrategy, Discovery } from "../pipeline/context.js";

export type { AuthStrategy, Discovery };

/** Strategies that can tell which project and endpoints their credentials belong to. */
export interface DiscoverableAuth extends AuthStrategy {
  discover(): Promise<Discovery>;
}

/** Token strategies (IAM password, agency): a cached, renewable project-scoped token. */
export interface TokenAuth extends DiscoverableAuth {
  refresh(failed: Request): Promise<boolean>;
  /** The current token, obtaining or renewing it when needed. Handle it like a password. */
  getToken(): Promise<string>;
  /** Forgets the cached token; the next request obtains a new one. */
  invalidate(): void;
}
