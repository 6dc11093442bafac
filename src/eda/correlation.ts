/**
 * Pearson correlations between numeric columns, each pair over the rows
 * where both are known (pairwise-complete, as pandas' `DataFrame.corr`), all
 * pairs in one polars `select`.
 *
 * @module
 */
import pl from "nodejs-polars";
import { columnsOfKind, numberValue } from "./columns.ts";

/** A symmetric correlation matrix; `null` where a pair has fewer than two rows or a constant column. */
export interface CorrelationMatrix {
  readonly columns: readonly string[];
  /** `values[i][j]` is the correlation of `columns[i]` with `columns[j]`. */
  readonly values: readonly (readonly (number | null)[])[];
}

/**
 * The correlation matrix of the given numeric columns (default: all numeric columns).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const matrix = correlationMatrix(pl.DataFrame({ a: [1, 2, 3], b: [3, 2, 1] }));
 * matrix.values[0][1]; // -1
 * ```
 */
export function correlationMatrix(
  frame: pl.DataFrame,
  columns: readonly string[] = columnsOfKind(frame, "numeric"),
): CorrelationMatrix {
  const pairs: [number, number][] = [];
  for (let i = 0; i < columns.length; i++) for (let j = i + 1; j < columns.length; j++) pairs.push([i, j]);
  const values = columns.map((_, i) => columns.map((_, j) => (i === j ? 1 : null as number | null)));
  if (pairs.length === 0) return { columns, values };
  const row = frame.select(...pairs.map(([i, j], k) => {
    const a = numberValue(columns[i]);
    const b = numberValue(columns[j]);
    const both = a.isNotNull().and(b.isNotNull());
    return pl.pearsonCorr(a.filter(both), b.filter(both)).alias(`r${k}`);
  })).row(0) as (number | null)[];
  pairs.forEach(([i, j], k) => {
    const r = row[k];
    const value = r === null || !Number.isFinite(r) ? null : Math.max(-1, Math.min(1, r));
    values[i][j] = value;
    values[j][i] = value;
  });
  return { columns, values };
}

/** A pair of columns and their correlation. */
export interface CorrelatedPair {
  readonly a: string;
  readonly b: string;
  readonly r: number;
}

/**
 * The pairs whose absolute correlation is at least `threshold`, strongest first.
 *
 * @example
 * ```ts
 * strongPairs({ columns: ["a", "b"], values: [[1, 0.95], [0.95, 1]] }, 0.9); // [{ a: "a", b: "b", r: 0.95 }]
 * ```
 */
export function strongPairs(matrix: CorrelationMatrix, threshold: number): CorrelatedPair[] {
  const pairs: CorrelatedPair[] = [];
  matrix.columns.forEach((a, i) =>
    matrix.columns.forEach((b, j) => {
      const r = matrix.values[i][j];
      if (j > i && r !== null && Math.abs(r) >= threshold) pairs.push({ a, b, r });
    })
  );
  return pairs.sort((x, y) => Math.abs(y.r) - Math.abs(x.r));
}
