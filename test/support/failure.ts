// What a promise settles with, for tests that inspect errors.

/**
 * The error `promise` rejects with. Fails the test when it resolves, or when the error does not
 * pass `check` (a type guard such as `isOtcApiError`), which also types the result.
 */
export async function failure(promise: Promise<unknown>): Promise<unknown>;
export async function failure<E>(promise: Promise<unknown>, check: (error: unknown) => error is E): Promise<E>;
export async function failure(promise: Promise<unknown>, check?: (error: unknown) => boolean): Promise<unknown> {
  const settled = await promise.then(
    (value) => ({ rejected: false, value }),
    (error: unknown) => ({ rejected: true, value: error }),
  );
  if (!settled.rejected) throw new Error(`expected a rejection, got ${String(settled.value)}`);
  if (check && !check(settled.value)) throw new Error(`rejected with an error of another kind: ${String(settled.value)}`);
  return settled.value;
}

/** Whatever `promise` settles with: its value, or the error it rejects with. */
export function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => value,
    (error: unknown) => error,
  );
}
