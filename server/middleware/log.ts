/**
 * Structured logs: one JSON object per line on stderr, so that a log
 * collector can parse them and a test can capture them.
 *
 * @module
 */

/** Where log lines go; tests pass a collecting function. */
export type Logger = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

/**
 * A logger writing JSON lines to stderr.
 *
 * @example
 * ```ts
 * const log = jsonLogger();
 * log("info", "model loaded", { version: 3 }); // {"time":"...","level":"info","msg":"model loaded","version":3}
 * ```
 */
export function jsonLogger(write: (line: string) => void = (line) => console.error(line)): Logger {
  return (level, message, fields = {}) => {
    write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }));
  };
}

/**
 * A logger that drops everything (tests that do not look at logs).
 *
 * @example
 * ```ts
 * silentLogger("info", "not shown");
 * ```
 */
export const silentLogger: Logger = () => {};
