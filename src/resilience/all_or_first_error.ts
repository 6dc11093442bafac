/**
 * Concurrent work that fails as a whole without leaving any part unobserved.
 *
 * @module
 */

/**
 * Awaits every promise, even after one rejects (so no request is left
 * running unobserved while the caller already reports or cleans up), then
 * throws the first rejection or returns the values in order. `Promise.all`
 * rejects at the first failure while the others go on.
 *
 * @example
 * ```ts
 * const [a, b] = await allOrFirstError([Promise.resolve(1), Promise.resolve("two")]); // 1, "two"
 * ```
 */
export async function allOrFirstError<T extends readonly unknown[]>(
  promises: { readonly [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
