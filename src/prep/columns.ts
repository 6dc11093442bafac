/**
 * Reading a fitted feature out of any {@link Table} the same way in every
 * step: an absent column is all-missing (a scoring request may omit optional
 * fields), and a column of the other kind is coerced (a CSV may read a code
 * column as numbers) or rejected with the row of the first bad value.
 *
 * @module
 */
import type { Column, Table } from "../data/table.ts";
import { DataError } from "../data/errors.ts";
import { coerceNumber } from "./coerce.ts";

/** The two kinds of feature a {@link Table} column can hold. */
export type FeatureKind = Column["kind"];

/**
 * An in-place operation on the first `rows` values of a numeric column: how
 * every numeric step exposes its fitted effect on one feature, so that a
 * composed preparation can chain steps on one scratch buffer without
 * allocating per step.
 */
export type ColumnKernel = (values: Float64Array, rows: number) => void;

/**
 * The numeric values of `feature` copied into `target` (allocated when not
 * given): `NaN` for an absent column, text parsed as numbers.
 *
 * @example
 * ```ts
 * const t = { rows: 2, columns: { x: { kind: "categorical" as const, values: ["1.5", null] } } };
 * copyNumeric(t, "x"); // Float64Array [1.5, NaN]
 * ```
 */
export function copyNumeric(table: Table, feature: string, target?: Float64Array): Float64Array {
  const out = target ?? new Float64Array(table.rows);
  const column = table.columns[feature];
  if (column === undefined) {
    out.fill(Number.NaN, 0, table.rows);
  } else if (column.kind === "numeric") {
    out.set(column.values.length === table.rows ? column.values : column.values.subarray(0, table.rows));
  } else {
    for (let i = 0; i < table.rows; i++) out[i] = coerceNumber(column.values[i], feature, i);
  }
  return out;
}

/**
 * The categorical values of `feature`: all `null` for an absent column,
 * numbers turned into their JavaScript spelling (`1` -> `"1"`, `NaN` -> `null`).
 *
 * @example
 * ```ts
 * const t = { rows: 2, columns: { c: { kind: "numeric" as const, values: new Float64Array([1, NaN]) } } };
 * readCategorical(t, "c"); // ["1", null]
 * ```
 */
export function readCategorical(table: Table, feature: string): readonly (string | null)[] {
  const column = table.columns[feature];
  if (column === undefined) return new Array<null>(table.rows).fill(null);
  if (column.kind === "categorical") return column.values;
  return Array.from(column.values, (v) => (Number.isFinite(v) ? String(v) : null));
}

/**
 * The features a step works on: the requested ones (each must be a column),
 * or every column of the wanted kind.
 *
 * @example
 * ```ts
 * const t = { rows: 0, columns: { x: { kind: "numeric" as const, values: new Float64Array() } } };
 * pickFeatures(t, undefined, "numeric"); // ["x"]
 * ```
 */
export function pickFeatures(table: Table, requested: readonly string[] | undefined, kind?: FeatureKind): string[] {
  if (requested === undefined) {
    return Object.keys(table.columns).filter((name) => kind === undefined || table.columns[name].kind === kind);
  }
  for (const name of requested) {
    if (table.columns[name] === undefined) {
      throw new DataError(`feature "${name}" is not a column of the table`, { column: name });
    }
  }
  return requested.filter((name) => kind === undefined || table.columns[name].kind === kind);
}

/**
 * A new {@link Table} with some columns replaced or added (insertion order
 * kept, new names appended); untouched columns are shared, not copied.
 *
 * @example
 * ```ts
 * const t = { rows: 1, columns: { x: { kind: "numeric" as const, values: new Float64Array([1]) } } };
 * withColumns(t, { x: { kind: "numeric", values: new Float64Array([2]) } }).columns.x.values; // [2]
 * ```
 */
export function withColumns(table: Table, replacements: Readonly<Record<string, Column>>): Table {
  return { rows: table.rows, columns: { ...table.columns, ...replacements } };
}

/**
 * A copy of `table` where each listed feature's numeric values went through
 * its kernel (features without one are left as they are). The shared body of
 * the numeric steps' `transform`.
 *
 * @example
 * ```ts
 * const t = { rows: 2, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2]) } } };
 * const double: ColumnKernel = (v, rows) => { for (let i = 0; i < rows; i++) v[i] *= 2; };
 * transformNumeric(t, ["x"], () => double).columns.x.values; // Float64Array [2, 4]
 * ```
 */
export function transformNumeric(
  table: Table,
  features: readonly string[],
  kernelOf: (feature: string) => ColumnKernel | undefined,
): Table {
  const replaced: Record<string, Column> = {};
  for (const feature of features) {
    const kernel = kernelOf(feature);
    if (kernel === undefined) continue;
    const values = copyNumeric(table, feature);
    kernel(values, table.rows);
    replaced[feature] = { kind: "numeric", values };
  }
  return withColumns(table, replaced);
}
