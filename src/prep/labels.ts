/**
 * The one check of 0/1 labels, for preparation steps and models alike.
 *
 * @module
 */
import { DataError } from "../data/errors.ts";

/**
 * Checks that labels match the row count and are 0 or 1, and, with
 * `bothClasses` (whatever fits a classifier), that both classes occur.
 * Throws a {@link DataError} naming the first bad row (1-based) and value.
 *
 * @example
 * ```ts
 * checkLabels(new Uint8Array([0, 1]), 2, { bothClasses: true }); // ok
 * checkLabels(new Uint8Array([0, 2]), 2); // throws: row 2: labels must be 0 or 1 (value: 2)
 * checkLabels(new Uint8Array([1, 1]), 2, { bothClasses: true }); // throws: a single class
 * ```
 */
export function checkLabels(y: Uint8Array, rows: number, { bothClasses = false } = {}): void {
  if (y.length !== rows) {
    throw new DataError(`the labels have ${y.length} entries but the table has ${rows} rows`);
  }
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 1) throw new DataError("labels must be 0 or 1", { row: i + 1, value: y[i] });
    positives += y[i];
  }
  if (bothClasses && (positives === 0 || positives === rows)) {
    throw new DataError(`the labels have a single class (${positives} positives in ${rows} rows)`);
  }
}
