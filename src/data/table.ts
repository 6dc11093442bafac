/**
 * The in-memory shapes every layer above `data` shares: a column-oriented
 * {@link Table} of features (what preparation steps fit and transform) and a
 * dense row-major {@link DesignMatrix} (what models fit and score).
 *
 * Typed arrays rather than polars frames, because the same code path must
 * serve a 1,000,000-row batch and a single HTTP scoring request, and building
 * a polars frame per request costs more than scoring it. This module does not
 * load polars (conversions live in `frame.ts`), so Workers that only fit and
 * score stay light.
 *
 * @module
 */
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
