/**
 * Conversions between polars frames and the shared {@link Table} shape.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { Column, Table } from "./table.ts";

/** The polars dtypes that hold numbers (integers and floats). */
export const NUMBER_DTYPES: ReadonlySet<string> = new Set([
  "Int8",
  "Int16",
  "Int32",
  "Int64",
  "UInt8",
  "UInt16",
  "UInt32",
  "UInt64",
  "Float32",
  "Float64",
]);

/**
 * Whether a polars series holds numbers (booleans count as 0/1).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * isNumericSeries(pl.Series("a", [1, 2])); // true
 * ```
 */
export function isNumericSeries(series: pl.Series): boolean {
  return NUMBER_DTYPES.has(series.dtype.variant) || series.dtype.variant === "Bool";
}

/**
 * Converts polars columns to a {@link Table}: numeric and boolean columns
 * become `Float64Array` (nulls as `NaN`), everything else becomes strings.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const t = tableFromFrame(pl.DataFrame({ x: [1, null], c: ["a", null] }));
 * t.columns.x; // { kind: "numeric", values: Float64Array [1, NaN] }
 * ```
 */
export function tableFromFrame(
  frame: pl.DataFrame,
  names: readonly string[] = frame.columns,
): Table {
  const columns: Record<string, Column> = {};
  for (const name of names) {
    const series = frame.getColumn(name);
    if (isNumericSeries(series)) {
      const filled = frame.select(
        pl.col(name).cast(pl.Float64).fillNull(pl.lit(Number.NaN)),
      );
      const values = filled.getColumn(name).toTypedArray() as Float64Array;
      columns[name] = { kind: "numeric", values: Float64Array.from(values) };
    } else {
      const values = series.cast(pl.Utf8).toArray() as (string | null)[];
      columns[name] = { kind: "categorical", values };
    }
  }
  return { rows: frame.height, columns };
}

/**
 * Converts a {@link Table} back to a polars frame (for writing or display).
 *
 * @example
 * ```ts
 * const frame = frameFromTable({ rows: 1, columns: { x: { kind: "numeric", values: new Float64Array([1]) } } });
 * frame.shape; // { height: 1, width: 1 }
 * ```
 */
export function frameFromTable(table: Table): pl.DataFrame {
  const series = Object.entries(table.columns).map(([name, column]) =>
    column.kind === "numeric" ? pl.Series(name, column.values) : pl.Series(name, [...column.values], pl.Utf8)
  );
  const numeric = Object.keys(table.columns).filter((name) => table.columns[name].kind === "numeric");
  return pl.DataFrame(series).withColumns(
    ...numeric.map((name) => pl.col(name).fillNan(pl.lit(null))),
  );
}
