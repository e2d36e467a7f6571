// The one timer and abort helper of the package. Node fires a timer longer than 2^31−1 ms after
// 1 ms, so every wait here is split into steps no longer than that; a caller's signal shared by
// many concurrent calls gets ONE listener however many calls follow it (linkSignal), so that 50
// calls on one AbortSignal raise no MaxListenersExceededWarning.

/** The longest delay a timer takes as it is (2^31−1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Timer {
  /** Stops the timer; calling it again does nothing. */
  cancel(): void;
}

/**
 * Calls `fire` after `ms` (clamped at 0; Infinity never fires), chaining timers of at most
 * MAX_TIMER_MS so that long delays are not cut to 1 ms. `unref`: the timer does not keep the
 * process alive (for timeouts of work that may be left behind).
 */
export function after(ms: number, fire: () => void, unref = false): Timer {
  let handle: ReturnType<typeof setTimeout> | undefined;
  if (ms === Infinity || Number.isNaN(ms)) return { cancel: () => {} };
  let left = Math.max(0, ms);
  const arm = () => {
    const step = Math.min(left, MAX_TIMER_MS);
    left -= step;
    handle = setTimeout(left > 0 ? arm : fire, step);
    if (unref) (handle as { unref?: () => void }).unref?.();
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
}

/** The reason a deadline aborts with: a TimeoutError, as AbortSignal.timeout uses. */
export function timeoutReason(): DOMException {
  return new DOMException("The operation timed out.", "TimeoutError");
}

const noop = () => {};

/** A TimeoutError (an attempt's or a deadline's), as AbortSignal.timeout and this package raise it. */
export function isTimeout(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "TimeoutError";
}

type Follower = (reason: unknown) => void;
/** One abort listener per followed signal, fanning out to every follower. */
const followers = new WeakMap<AbortSignal, Set<Follower>>();

/**
 * Calls `onAbort` with the signal's reason when `signal` aborts; returns the unlink. However many
 * followers a signal has, it holds one listener, removed when the last follower unlinks.
 */
export function linkSignal(signal: AbortSignal, onAbort: Follower): () => void {
  let set = followers.get(signal);
  if (!set) {
    const created = new Set<Follower>();
    set = created;
    const dispatch = () => {
      followers.delete(signal);
      for (const follower of [...created]) follower(signal.reason);
    };
    followers.set(signal, created);
    signal.addEventListener("abort", dispatch, { once: true });
    (created as Set<Follower> & { dispatch?: () => void }).dispatch = dispatch;
  }
  const own = set;
  own.add(onAbort);
  return () => {
    if (!own.delete(onAbort) || own.size > 0) return;
    if (followers.get(signal) === own) followers.delete(signal);
    signal.removeEventListener("abort", (own as Set<Follower> & { dispatch?: () => void }).dispatch!);
  };
}

export interface Scoped {
  /** Aborts at the deadline (TimeoutError) or with the parent's reason; without either, undefined. */
  readonly signal: AbortSignal | undefined;
  /** Stops the timer and unlinks the parent; the signal stays as it is. */
  dispose(): void;
}

/**
 * A signal that aborts after `ms` with a TimeoutError (Infinity: never), or as soon as `parent`
 * aborts, with its reason. One controller, one timer (unreferenced: the work it bounds keeps the
 * process alive, not the timer), one shared parent listener.
 */
export function scopedSignal(parent: AbortSignal | undefined, ms: number): Scoped {
  // No deadline: the parent's signal as it is (nothing to follow, nothing to clean up).
  if (ms === Infinity) return { signal: parent, dispose: noop };
  const controller = new AbortController();
  if (parent?.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, dispose: noop };
  }
  let unlink: (() => void) | undefined;
  const expire = () => {
    unlink?.();
    controller.abort(timeoutReason());
  };
  const timer = after(ms, expire, true);
  if (parent) {
    unlink = linkSignal(parent, (reason) => {
      timer.cancel();
      controller.abort(reason);
    });
  }
  return {
    signal: controller.signal,
    dispose() {
      timer.cancel();
      unlink?.();
    },
  };
}

/**
 * Waits for `promise`, but leaves (rejecting with the signal's reason) as soon as `signal`
 * aborts; the promise goes on for whoever else waits on it. Without a signal it is the promise.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const unlink = linkSignal(signal, reject);
    promise.then(
      (value) => {
        unlink();
        resolve(value);
      },
      (error: unknown) => {
        unlink();
        reject(error);
      },
    );
  });
}
