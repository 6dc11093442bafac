/**
 * Data preparation as fitted, JSON-serialisable steps: fit on the training
 * split, apply to any table (a split, a batch, one scoring request).
 *
 * The usual entry point is {@link Preparation}; the steps are exported for
 * notebooks, reports and tests that need one of them alone.
 *
 * @example
 * ```ts
 * import { Preparation, tableFromRecords } from "./mod.ts";
 * const train = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
 * const prep = Preparation.fit(train, new Uint8Array([0, 0, 1, 1]));
 * prep.transform(tableFromRecords([{ x: 2.5 }], prep.schema)).data; // Float64Array [0]
 * ```
 *
 * @module
 */
export * from "./preparation.ts";
export * from "./records.ts";
export * from "./impute.ts";
export * from "./clip.ts";
export * from "./skew.ts";
export * from "./onehot.ts";
export * from "./binning.ts";
export * from "./evidence.ts";
export * from "./woe.ts";
export * from "./selection.ts";
export * from "./scale.ts";
export * from "./imbalance.ts";
export * from "./levels.ts";
export type { ColumnKernel, FeatureKind } from "./columns.ts";
export type { Encoding, FitContext, FittedStep, LevelBlock, LevelEncoder, StepDefinition } from "./step.ts";
export type { CategoricalColumn, Column, DesignMatrix, NumericColumn, Table } from "../data/table.ts";
