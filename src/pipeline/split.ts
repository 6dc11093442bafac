/**
 * The train/test split of a run: the dataset's fixed split when it has one,
 * else a seeded stratified split.
 *
 * @module
 */
import { stratifiedSplit } from "../models/split.ts";
import type { Dataset } from "./dataset.ts";

/** Row indices of the training and test rows. */
export interface RunSplit {
  readonly train: Uint32Array;
  readonly test: Uint32Array;
  readonly fixed: boolean;
}

/**
 * Splits a dataset.
 *
 * @example
 * ```ts
 * import type { Dataset } from "./dataset.ts";
 * declare const dataset: Dataset;
 * const { train, test } = splitDataset(dataset, { testSize: 0.25, seed: 42 });
 * ```
 */
export function splitDataset(dataset: Dataset, { testSize, seed }: { testSize: number; seed: number }): RunSplit {
  if (dataset.fixedSplit) {
    const split = dataset.fixedSplit;
    const train: number[] = [];
    const test: number[] = [];
    split.forEach((isTest, i) => (isTest ? test : train).push(i));
    return { train: Uint32Array.from(train), test: Uint32Array.from(test), fixed: true };
  }
  if (!(testSize > 0 && testSize < 1)) throw new RangeError(`the test size must be in (0, 1), got ${testSize}`);
  return { ...stratifiedSplit(dataset.y, { testSize, seed }), fixed: false };
}
