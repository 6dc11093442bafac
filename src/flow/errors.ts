/**
 * Errors raised by the flow runtime. Each carries the facts a caller needs to
 * react (which task, which input path, which run) as fields, and says them in
 * its message so a CLI can print one line.
 *
 * @module
 */

/**
 * A task attempt ran longer than its `timeoutMs`.
 *
 * @example
 * ```ts
 * new TaskTimeoutError("fit", 500).message; // 'task "fit" timed out after 500 ms'
 * ```
 */
export class TaskTimeoutError extends Error {
  constructor(readonly taskName: string, readonly timeoutMs: number) {
    super(`task "${taskName}" timed out after ${timeoutMs} ms`);
    this.name = "TaskTimeoutError";
  }
}

/**
 * Work stopped because its flow run failed or was cancelled.
 *
 * @example
 * ```ts
 * new CancelledError("flow run failed").name; // "CancelledError"
 * ```
 */
export class CancelledError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "CancelledError";
  }
}

/**
 * A task was not run because a task run it consumes did not produce a result.
 *
 * @example
 * ```ts
 * new UpstreamFailedError("train", ["load-data-1a2b"], "file not found").message;
 * // 'task "train" not run: upstream load-data-1a2b did not complete (file not found)'
 * ```
 */
export class UpstreamFailedError extends Error {
  constructor(readonly taskName: string, readonly upstream: readonly string[], readonly upstreamMessage: string) {
    super(`task "${taskName}" not run: upstream ${upstream.join(", ")} did not complete (${upstreamMessage})`);
    this.name = "UpstreamFailedError";
  }
}

/**
 * A value the runtime must hash or store has a part it cannot handle; `path`
 * names that part (`input.model.fit`, `result.frames[2]`).
 *
 * @example
 * ```ts
 * new UnsupportedValueError("input.client", "instance of Client", "hash").message;
 * // 'cannot hash input.client: instance of Client (supported: ...)'
 * ```
 */
export class UnsupportedValueError extends Error {
  constructor(readonly path: string, readonly found: string, readonly action: "hash" | "store" | "send") {
    super(
      `cannot ${action} ${path}: ${found} (supported: primitives, plain objects, arrays, Map, Set, Date, ` +
        `typed arrays, ArrayBuffer, polars DataFrame/Series)`,
    );
    this.name = "UnsupportedValueError";
  }
}

/** Plain-data form of an error, as saved in run records. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/**
 * Converts anything thrown into {@link ErrorInfo}.
 *
 * @example
 * ```ts
 * errorInfo(new RangeError("x")).name; // "RangeError"
 * errorInfo("plain string").message; // "plain string"
 * ```
 */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: "Error", message: String(error) };
}
