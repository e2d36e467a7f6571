// A cached value with an expiry (a token, temporary credentials) that is renewed a margin before
// it expires. Concurrent callers share one in-flight renewal; a failed renewal rejects everyone
// waiting on it, and the next call tries again.

export interface Expiring<T> {
  value: T;
  /** Local clock time (ms since epoch) at which the value stops being valid. */
  expiresAt: number;
}

export interface Renewable<T> {
  /** The cached value if still fresh, else a renewed one. */
  get(): Promise<T>;
  /** Renews now (joining a renewal already in flight) and returns the new value. */
  renew(): Promise<T>;
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

export function renewable<T>(obtain: () => Promise<Expiring<T>>, options: RenewableOptions): Renewable<T> {
  let current: (Expiring<T> & { margin: number }) | undefined;
  let inFlight: Promise<T> | undefined;

  const renew = (): Promise<T> => {
    inFlight ??= (async () => {
      try {
        const obtainedAt = options.now();
        const next = await obtain();
        // A margin longer than half the lifetime would renew on every call: cap it there.
        current = { ...next, margin: Math.min(options.marginMs, Math.max(0, (next.expiresAt - obtainedAt) / 2)) };
        return current.value;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return {
    get() {
      if (inFlight) return inFlight;
      if (current && options.now() < current.expiresAt - current.margin) return Promise.resolve(current.value);
      return renew();
    },
    renew,
    peek: () => current?.value,
    clear() {
      current = undefined;
    },
  };
}
