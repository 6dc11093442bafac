/**
 * The one error type for bad input data: it carries where the problem is
 * (file, column, row, value) so that a CLI can print one clear line and a
 * server can answer 4xx with the same facts.
 *
 * @module
 */

/**
 * Where a data problem was found. Rows are 1-based data rows (the header is
 * not counted); lines are 1-based lines of the file (the header is line 1).
 */
export interface DataErrorLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: string;
  readonly row?: number;
  readonly value?: unknown;
}

/**
 * Bad input data, with its location in the message and as fields.
 *
 * @example
 * ```ts
 * const error = new DataError("not a number", { file: "tx.csv", column: "amount", row: 3, value: "abc" });
 * error.message; // 'tx.csv: column "amount", row 3: not a number (value: "abc")'
 * ```
 */
export class DataError extends Error {
  readonly location: DataErrorLocation;

  constructor(problem: string, location: DataErrorLocation = {}) {
    super(formatLocation(problem, location));
    this.name = "DataError";
    this.location = location;
  }
}

function formatLocation(problem: string, { file, line, column, row, value }: DataErrorLocation): string {
  const where = [
    line !== undefined ? `line ${line}` : undefined,
    column !== undefined ? `column "${column}"` : undefined,
    row !== undefined ? `row ${row}` : undefined,
  ].filter((part) => part !== undefined).join(", ");
  const prefix = [file, where].filter((part) => part).join(": ");
  const shown = value === undefined ? "" : ` (value: ${JSON.stringify(value)})`;
  return `${prefix ? `${prefix}: ` : ""}${problem}${shown}`;
}

/**
 * Runs a polars step over user data and turns what polars throws (a parse
 * error, or a Rust panic, both of which nodejs-polars surfaces as a plain
 * `Error`) into a {@link DataError} at `location`, with the first line of
 * polars' message, so that no polars message or backtrace reaches a user as
 * the error. Other errors pass through unchanged: a DataError already says
 * where, and a TypeError or RangeError is a bug of ours that keeps its stack.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const frame = pl.DataFrame({ amount: [] as number[] });
 * // Getting a value from an empty series is a panic in polars; here it is a DataError naming file and column.
 * withDataLocation({ file: "tx.csv", column: "amount" }, "cannot read the first value", () => frame.getColumn("amount").get(0));
 * ```
 */
export function withDataLocation<T>(location: DataErrorLocation, problem: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof Error) || error.constructor !== Error) throw error;
    throw new DataError(`${problem}: ${firstLine(error)}`, location);
  }
}

/**
 * The first line of an error's message (polars appends hints and backtraces on further lines).
 *
 * @example
 * ```ts
 * firstLine(new Error("found more fields than defined in 'Schema'\n\nConsider setting ...")); // "found more fields than defined in 'Schema'"
 * ```
 */
export function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0];
}
