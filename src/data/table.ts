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

/**
 * The rows `indices` of `X`, in that order, as a new matrix.
 *
 * @example
 * ```ts
 * const X = { rows: 3, cols: 1, names: ["x"], data: new Float64Array([10, 20, 30]) };
 * takeRows(X, new Uint32Array([2, 0])).data; // Float64Array [30, 10]
 * ```
 */
export function takeRows(X: DesignMatrix, indices: ArrayLike<number>): DesignMatrix {
  const { cols } = X;
  const data = new Float64Array(indices.length * cols);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!(i >= 0 && i < X.rows)) throw new RangeError(`row index ${i} is outside 0..${X.rows - 1}`);
    data.set(X.data.subarray(i * cols, (i + 1) * cols), k * cols);
  }
  return { rows: indices.length, cols, names: X.names, data };
}

/**
 * The entries `indices` of a typed array (labels, weights, scores), in that order.
 *
 * @example
 * ```ts
 * takeValues(new Uint8Array([0, 1, 1]), new Uint32Array([1, 0])); // Uint8Array [1, 0]
 * ```
 */
export function takeValues<T extends Uint8Array | Float64Array>(values: T, indices: ArrayLike<number>): T {
  const out = new (values.constructor as new (n: number) => T)(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]];
  return out;
}
