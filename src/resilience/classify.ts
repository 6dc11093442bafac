/**
 * Which failures are worth another attempt. A failure caused by the input
 * (a bad value in a data file, a bad option, a model that does not fit the
 * request) happens again on every attempt: retrying it only wastes the
 * backoff and buries the one useful message under repeats.
 *
 * @module
 */

/**
 * Names of the error classes that mean "the input is wrong". Matched by name
 * so this infrastructure module need not import the domain modules that
 * define them (`DataError` in src/data, `UsageError` in src/cli, ...).
 */
const DETERMINISTIC_ERRORS = new Set([
  "DataError",
  "UsageError",
  "RangeError",
  "ValidationError",
  "ModelError",
  "UnsupportedValueError",
]);

/**
 * Whether `error` would fail the same way on every attempt (never retry it).
 *
 * @example
 * ```ts
 * class DataError extends Error {
 *   override name = "DataError";
 * }
 * isDeterministic(new DataError("tx.csv: column \"amount\", row 3: not a number")); // true
 * isDeterministic(new Deno.errors.ConnectionReset("reset by peer")); // false
 * ```
 */
export function isDeterministic(error: unknown): boolean {
  return error instanceof Error && DETERMINISTIC_ERRORS.has(error.name);
}
