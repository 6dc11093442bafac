/**
 * The training distribution of each input feature, stored in the model
 * bundle so drift reports compare a batch with the real training rows: ten
 * quantile bands per numeric feature, one band per frequent level (rare
 * levels pooled), and the share of missing values.
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import { binIndex, quantileEdges } from "../stats/bin_edges.ts";

/**
 * A numeric feature's training distribution.
 */
export interface NumericReference {
  readonly name: string;
  readonly kind: "numeric";
  /** Band upper bounds: value `x` is in band `b` when `edges[b-1] < x <= edges[b]` (outer bands open). */
  readonly edges: readonly number[];
  /** Share of all training rows in each band (`edges.length + 1` of them). */
  readonly shares: readonly number[];
  /** Share of training rows with a missing value. */
  readonly missing: number;
}

/**
 * A categorical feature's training distribution.
 */
export interface CategoricalReference {
  readonly name: string;
  readonly kind: "categorical";
  /** Level groups, one band each. */
  readonly groups: readonly (readonly string[])[];
  /** Share of all training rows in each group. */
  readonly shares: readonly number[];
  readonly missing: number;
  /** The group that takes levels listed in no group (pooled rare levels); absent: such levels form an extra band. */
  readonly otherGroup?: number;
}

/**
 * One feature's training distribution.
 */
export type FeatureReference = NumericReference | CategoricalReference;

/** Levels beyond this many (by training frequency) share one band. */
const MAX_LEVEL_BANDS = 20;

/**
 * The training distribution of each named feature of a table.
 *
 * @example
 * ```ts
 * const table = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, NaN]) } } };
 * featureReferenceOf(table, ["x"])[0].missing; // 0.25
 * ```
 */
export function featureReferenceOf(table: Table, names: readonly string[]): FeatureReference[] {
  return names.map((name) => {
    const column = table.columns[name];
    const rows = table.rows;
    if (column.kind === "numeric") {
      const edges = quantileEdges(column.values, 10);
      const counts = new Float64Array(edges.length + 1);
      let missing = 0;
      for (const value of column.values) {
        if (Number.isNaN(value)) missing++;
        else counts[binIndex(edges, value)]++;
      }
      return {
        name,
        kind: "numeric",
        edges: [...edges],
        shares: [...counts].map((c) => c / rows),
        missing: missing / rows,
      };
    }
    const counts = new Map<string, number>();
    let missing = 0;
    for (const value of column.values) {
      if (value === null) missing++;
      else counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const kept = ranked.slice(0, MAX_LEVEL_BANDS);
    const pooled = ranked.slice(MAX_LEVEL_BANDS);
    const groups = kept.map(([level]) => [level]);
    const shares = kept.map(([, count]) => count / rows);
    if (pooled.length > 0) {
      groups.push(pooled.map(([level]) => level));
      shares.push(pooled.reduce((sum, [, count]) => sum + count, 0) / rows);
    }
    return {
      name,
      kind: "categorical",
      groups,
      shares,
      missing: missing / rows,
      ...(pooled.length > 0 ? { otherGroup: groups.length - 1 } : {}),
    };
  });
}
