/**
 * Each feature's Information Value under one binning method: the IV column of
 * EDA reports and the `iv` CLI.
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import { type BinningMethod, fitBinning } from "./binning.ts";

/** One feature's IV. */
export interface InformationValue {
  readonly feature: string;
  readonly iv: number;
}

/**
 * IV of each named feature (default: every column), in column order.
 *
 * @example
 * ```ts
 * const table = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
 * informationValues(table, new Uint8Array([0, 0, 1, 1]), { method: "quantile" })[0].feature; // "x"
 * ```
 */
export function informationValues(
  table: Table,
  y: Uint8Array,
  { method = "monotonic", features = Object.keys(table.columns) }: {
    method?: BinningMethod;
    features?: readonly string[];
  } = {},
): InformationValue[] {
  return features.map((feature) => ({ feature, iv: fitBinning(feature, table.columns[feature], y, { method }).iv }));
}
