/**
 * The models' own failure: a fit or a score that cannot be computed on
 * well-formed input (the optimiser did not converge, the log-odds overflowed).
 * Bad input is a `DataError` (src/data/errors.ts), a bad argument a `RangeError`.
 *
 * @module
 */
/**
 * A model could not be fitted or could not score, for a numerical reason.
 *
 * @example
 * ```ts
 * const error = new ModelError("logistic regression: the Hessian is not positive definite");
 * error.name; // "ModelError"
 * ```
 */
export class ModelError extends Error {
  /** Names the class in messages and for the CLI, which prints it as one line. */
  override readonly name = "ModelError";
}
