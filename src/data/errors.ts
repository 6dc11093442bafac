/**
 * The one error type for bad input data: it carries where the problem is
 * (file, column, row, value) so that a CLI can print one clear line and a
 * server can answer 4xx with the same facts.
 *
 * @module
 */

/** Where a data problem was found. Rows are 1-based data rows (the header is not counted). */
export interface DataErrorLocation {
  readonly file?: string;
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

function formatLocation(problem: string, { file, column, row, value }: DataErrorLocation): string {
  const where = [
    column !== undefined ? `column "${column}"` : undefined,
    row !== undefined ? `row ${row}` : undefined,
  ].filter((part) => part !== undefined).join(", ");
  const prefix = [file, where].filter((part) => part).join(": ");
  const shown = value === undefined ? "" : ` (value: ${JSON.stringify(value)})`;
  return `${prefix ? `${prefix}: ` : ""}${problem}${shown}`;
}
