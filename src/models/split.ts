/**
 * Seeded stratified splits: a hold-out split and K folds, as index arrays.
 *
 * They live in the model layer, not in `evaluate`, because the
 * gradient-boosting model splits off its own early-stopping fold and a lower
 * layer may not import a higher one; `evaluate` uses them for selection.
 *
 * @module
 */
import { createRandom } from "../stats/random.ts";
import { DataError } from "../data/errors.ts";

/**
 * Row indices of a train / test partition, each ascending.
 */
export interface IndexSplit {
  readonly train: Uint32Array;
  readonly test: Uint32Array;
}

/** Indices of each class, each shuffled with the seed. */
function shuffledByClass(labels: Uint8Array, seed: number): [Uint32Array, Uint32Array] {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > 1) throw new DataError(`split: label of row ${i} is ${labels[i]}, expected 0 or 1`);
    positives += labels[i];
  }
  const byClass: [Uint32Array, Uint32Array] = [new Uint32Array(labels.length - positives), new Uint32Array(positives)];
  const fill = [0, 0];
  for (let i = 0; i < labels.length; i++) byClass[labels[i]][fill[labels[i]]++] = i;
  const random = createRandom(seed);
  random.shuffle(byClass[0]);
  random.shuffle(byClass[1]);
  return byClass;
}

/**
 * Splits rows so that each class is divided in the proportion `testSize`
 * (rounded per class), seeded.
 *
 * @example
 * ```ts
 * const { train, test } = stratifiedSplit(new Uint8Array([0, 0, 0, 0, 1, 1, 1, 1]), { testSize: 0.25, seed: 1 });
 * [train.length, test.length]; // [6, 2]
 * ```
 */
export function stratifiedSplit(labels: Uint8Array, options: { testSize?: number; seed?: number } = {}): IndexSplit {
  const testSize = options.testSize ?? 0.25;
  if (!(testSize > 0 && testSize < 1)) throw new RangeError(`split: testSize must be in (0, 1), got ${testSize}`);
  const isTest = new Uint8Array(labels.length);
  for (const members of shuffledByClass(labels, options.seed ?? 0)) {
    const n = Math.round(members.length * testSize);
    for (let k = 0; k < n; k++) isTest[members[k]] = 1;
  }
  return partition(isTest);
}

/**
 * K stratified folds (default 5): each class is dealt round-robin over the
 * folds after a seeded shuffle, so fold sizes and class rates differ by at
 * most one row per class. Fold `k` is `{ train: all other rows, test: fold k }`.
 *
 * @example
 * ```ts
 * const folds = stratifiedKFold(new Uint8Array([0, 0, 0, 1, 1, 1]), { k: 3, seed: 7 });
 * folds.map((f) => f.test.length); // [2, 2, 2]
 * ```
 */
export function stratifiedKFold(labels: Uint8Array, options: { k?: number; seed?: number } = {}): IndexSplit[] {
  const k = options.k ?? 5;
  if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`k-fold: k must be an integer >= 2, got ${k}`);
  const fold = new Uint32Array(labels.length);
  let dealt = 0;
  for (const [label, members] of shuffledByClass(labels, options.seed ?? 0).entries()) {
    if (members.length < k) {
      throw new DataError(`k-fold: class ${label} has ${members.length} rows, fewer than k = ${k}`);
    }
    // Continue the deal where the previous class stopped, so fold sizes stay balanced overall.
    for (let m = 0; m < members.length; m++) fold[members[m]] = (dealt + m) % k;
    dealt += members.length;
  }
  return Array.from({ length: k }, (_, f) => partition(Uint8Array.from(fold, (g) => g === f ? 1 : 0)));
}

function partition(isTest: Uint8Array): IndexSplit {
  let tests = 0;
  for (let i = 0; i < isTest.length; i++) tests += isTest[i];
  const train = new Uint32Array(isTest.length - tests), test = new Uint32Array(tests);
  for (let i = 0, a = 0, b = 0; i < isTest.length; i++) {
    if (isTest[i]) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}
