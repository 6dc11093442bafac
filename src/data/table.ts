/**
 * The in-memory shapes every layer above `data` shares: a column-oriented
 * {@link Table} of features (what preparation steps fit and transform) and a
 * dense row-major {@link DesignMatrix} (what models fit and score).
 *
 * Typed arrays rather than polars frames, because the same code path must
 * serve a 1,000,000-row batch and a single HTTP scoring request, and building
 * a polars frame per request costs more than scoring it.
 *
 * @module
 */
import pl from "nodejs-polars";

/** A numeric column; `NaN` marks a missing value. */
export interface NumericColumn {
  readonly kind: "numeric";
  readonly values: Float64Array;
}

/** A categorical column; `null` marks a missing value. */
export interface CategoricalColumn {
  readonly kind: "categorical";
  readonly values: readonly (string | null)[];
}

/** One column of a {@link Table}. */
export type Column = NumericColumn | CategoricalColumn;

/** Columns of equal length, in insertion order. */
export interface Table {
  readonly rows: number;
  readonly columns: Readonly<Record<string, Column>>;
}

/** A dense row-major matrix: `data[i * cols + j]` is row `i`, column `names[j]`. */
export interface DesignMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly names: readonly string[];
  readonly data: Float64Array;
}

const NUMERIC_DTYPES = new Set([
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
  "Bool",
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
  return NUMERIC_DTYPES.has(series.dtype.variant);
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

/**
 * The rows of a table at `indices`, in that order (repeats allowed).
 *
 * @example
 * ```ts
 * const t = { rows: 3, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3]) } } };
 * takeTableRows(t, Uint32Array.of(2, 0)).columns.x.values; // Float64Array [3, 1]
 * ```
 */
export function takeTableRows(table: Table, indices: ArrayLike<number>): Table {
  const columns: Record<string, Column> = {};
  for (const [name, column] of Object.entries(table.columns)) {
    if (column.kind === "numeric") {
      const values = new Float64Array(indices.length);
      for (let k = 0; k < indices.length; k++) values[k] = column.values[indices[k]];
      columns[name] = { kind: "numeric", values };
    } else {
      const values = new Array<string | null>(indices.length);
      for (let k = 0; k < indices.length; k++) values[k] = column.values[indices[k]];
      columns[name] = { kind: "categorical", values };
    }
  }
  return { rows: indices.length, columns };
}
