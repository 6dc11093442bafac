/**
 * The one error type of the tracking store. Its `code` mirrors MLflow's error
 * codes where one exists (so that callers can tell "not found" from "bad
 * input"), and every problem with a file on disk names that file.
 *
 * @module
 */

/** What went wrong, in MLflow's vocabulary plus the store-specific cases. */
export type TrackingErrorCode =
  | "INVALID_PARAMETER_VALUE"
  | "RESOURCE_DOES_NOT_EXIST"
  | "RESOURCE_ALREADY_EXISTS"
  | "INVALID_STATE"
  | "CORRUPT_STORE"
  | "UNSUPPORTED_URI"
  | "LOCK_TIMEOUT"
  | "SERVER_ERROR"
  | "UNAVAILABLE";

/**
 * A tracking-store failure. When a file is involved, `path` holds it and the
 * message starts with it.
 *
 * @example
 * ```ts
 * const error = new TrackingError("CORRUPT_STORE", "missing required field 'run_id'", { path: "/m/0/abc/meta.yaml" });
 * error.message; // "/m/0/abc/meta.yaml: missing required field 'run_id'"
 * error.code; // "CORRUPT_STORE"
 * ```
 */
export class TrackingError extends Error {
  /** The kind of failure (MLflow's error codes plus store-specific ones). */
  readonly code: TrackingErrorCode;
  /** The file involved, when there is one. */
  readonly path?: string;

  /** An error of kind `code`; `options.path` names the file involved. */
  constructor(code: TrackingErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(options.path ? `${options.path}: ${message}` : message, { cause: options.cause });
    this.name = "TrackingError";
    this.code = code;
    this.path = options.path;
  }
}

/**
 * True when `error` is a {@link TrackingError} with the given code.
 *
 * @example
 * ```ts
 * isTrackingError(new TrackingError("RESOURCE_DOES_NOT_EXIST", "no run"), "RESOURCE_DOES_NOT_EXIST"); // true
 * ```
 */
export function isTrackingError(error: unknown, code?: TrackingErrorCode): error is TrackingError {
  return error instanceof TrackingError && (code === undefined || error.code === code);
}
