// A cached value with an expiry (a token, temporary credentials) that is renewed a margin before
// it expires. Concurrent callers share one in-flight renewal (single flight); each caller waits
// for it no longer than its own call allows (its deadline and signal), while the renewal goes on
// for the others. A failed renewal rejects everyone waiting on it, and the next call tries again.
import type { CallContext } from "../pipeline/context.js";
import { untilAborted } from "../timers.js";

export interface Expiring<T> {
  value: T;
  /** Local clock time (ms since epoch) at which the value stops being valid. */
  expiresAt: number;
}

export interface Renewable<T> {
  /** The cached value if still fresh, else a renewed one; waits no longer than `context` allows. */
  get(context?: CallContext): Promise<T>;
  /** Renews now (joining a renewal already in flight) and returns the new value. */
  renew(context?: CallContext): Promise<T>;
  /** The cached value without renewing, or undefined. */
  peek(): T | undefined;
  /** Drops the cached value. */
  clear(): void;
}

export interface RenewableOptions {
  /** Renew this many milliseconds before expiry. */
  marginMs: number;
  now: () => number;
}

/**
 * `obtain` receives the context of the call that started the renewal, for its sender: the
 * renewal itself must not end with that call's deadline, because other calls wait on it too.
 */
export function renewable<T>(obtain: (context?: CallContext) => Promise<Expiring<T>>, options: RenewableOptions): Renewable<T> {
  let current: (Expiring<T> & { margin: number }) | undefined;
  let inFlight: Promise<T> | undefined;

  const renew = (context?: CallContext): Promise<T> => {
    if (!inFlight) {
      const started = (async () => {
        try {
          const obtainedAt = options.now();
          const next = await obtain(context);
          // A margin longer than half the lifetime would renew on every call: cap it there.
          current = { ...next, margin: Math.min(options.marginMs, Math.max(0, (next.expiresAt - obtainedAt) / 2)) };
          return current.value;
        } finally {
          inFlight = undefined;
        }
      })();
      // Everyone waiting may have left (their deadlines passed): the failure is then nobody's.
      started.catch(() => {});
      inFlight = started;
    }
    return untilAborted(inFlight, context?.signal);
  };

  return {
    get(context) {
      if (inFlight) return untilAborted(inFlight, context?.signal);
      if (current && options.now() < current.expiresAt - current.margin) return Promise.resolve(current.value);
      return renew(context);
    },
    renew,
    peek: () => current?.value,
    clear() {
      current = undefined;
    },
  };
}
