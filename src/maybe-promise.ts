// A value that is at hand or on its way. Signing on Node and this package's strategies are
// synchronous, so the call path carries on at once instead of taking a promise hop per step.
// (`andThen`, not `then`: a module that exports `then` is itself thenable, and `await import()`
// of it would call that.)

export type MaybePromise<T> = T | Promise<T>;

/** Goes on with `value` at once, or once it resolves. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
