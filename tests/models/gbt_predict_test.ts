/**
 * Compiled tree prediction and compiled Shapley values against the plain
 * node-array walks: the same numbers to the bit, thresholds exact (a
 * literal printed for the code must not round), missing values following
 * each node's direction; Shapley values that add up to f(x) − f(r) also for
 * trees too deep to compile.
 */
import assert from "node:assert/strict";
import { CompiledForest, CompiledShapley, MAX_COMPILED_EXPLAIN_DEPTH } from "../../src/models/gbt/compile.ts";
import { GradientBoostingModel, type TreeArrays } from "../../src/models/gbt/model.ts";
import { treeDepth, TreeShapley } from "../../src/models/gbt/shapley.ts";
import { fitGradientBoosting } from "../../src/models/gradient_boosting.ts";

/** The node-array walk, written out here as the reference semantics: left when x <= threshold, or x is NaN and missing goes left. */
function walk(trees: TreeArrays, baseScore: number, x: ArrayLike<number>, offset: number): number {
  let z = baseScore;
  for (const root of trees.roots) {
    let node = root;
    while (trees.feature[node] >= 0) {
      const v = x[offset + trees.feature[node]];
      const left = v <= trees.threshold[node] || (v !== v && trees.missingLeft[node] === 1);
      node = left ? trees.left[node] : trees.left[node] + 1;
    }
    z += trees.value[node];
  }
  return z;
}

/** The next double above a positive one. */
function nextUp(value: number): number {
  const bits = new BigUint64Array(Float64Array.of(value).buffer);
  bits[0] += 1n;
  return new Float64Array(bits.buffer)[0];
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Rows of 5 columns with an interaction, 10% missing cells; labels from a noisy rule. */
function data(
  rows: number,
  seed: number,
): { X: { rows: number; cols: number; names: string[]; data: Float64Array }; y: Uint8Array } {
  const next = random(seed);
  const cols = 5;
  const values = new Float64Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) values[i * cols + j] = next() < 0.1 ? NaN : Math.round(next() * 1000) / 100;
    const [a, b, c] = [values[i * cols], values[i * cols + 1], values[i * cols + 2]];
    y[i] = ((a > 5 && b > 5) || c < 2) !== next() < 0.15 ? 1 : 0;
  }
  return { X: { rows, cols, names: ["a", "b", "c", "d", "e"], data: values }, y };
}

Deno.test("compiled prediction equals the node-array walk to the bit, missing values included", () => {
  const { X, y } = data(3000, 1);
  const model = fitGradientBoosting(X, y, { nEstimators: 120, maxDepth: 4, earlyStoppingRounds: 0 });
  const test = data(2000, 2).X;
  const batch = model.predictLogOdds(test);
  for (let i = 0; i < test.rows; i++) {
    const expected = walk(model.trees, model.baseScore, test.data, i * test.cols);
    assert.equal(batch[i], expected, `row ${i}`);
    assert.equal(model.rowLogOdds(test.data, i * test.cols), expected, `row ${i} alone`);
  }
});

Deno.test("compiled thresholds are exact: values one ulp apart fall on their own sides", () => {
  const threshold = 0.1 + 0.2; // 0.30000000000000004, not 0.3
  const trees: TreeArrays = {
    roots: Int32Array.of(0, 3),
    feature: Int32Array.of(0, -1, -1, 0, -1, -1),
    threshold: Float64Array.of(threshold, 0, 0, -1e-300, 0, 0),
    left: Int32Array.of(1, -1, -1, 4, -1, -1),
    missingLeft: Uint8Array.of(1, 0, 0, 0, 0, 0),
    value: Float64Array.of(0, 1 / 3, -2 / 3, 0, 1e-17, 7),
    gain: new Float64Array(6),
  };
  const forest = new CompiledForest(trees, 0.1);
  const above = nextUp(threshold);
  assert.ok(above > threshold && above - threshold < 1e-16);
  // Tree 1: <= threshold (or missing) is 1/3. Tree 2: <= -1e-300 is 1e-17, above it (and missing) 7.
  assert.equal(forest.row([0.3], 0), 0.1 + 1 / 3 + 7);
  assert.equal(forest.row([threshold], 0), 0.1 + 1 / 3 + 7);
  assert.equal(forest.row([above], 0), 0.1 + -2 / 3 + 7);
  assert.equal(forest.row([-1e-300], 0), 0.1 + 1 / 3 + 1e-17);
  assert.equal(forest.row([-0], 0), 0.1 + 1 / 3 + 7);
  assert.equal(forest.row([NaN], 0), 0.1 + 1 / 3 + 7);
});

Deno.test("compiled Shapley values equal the array walk's to the bit and add up to f(x) − f(r)", () => {
  const { X, y } = data(3000, 3);
  const model = fitGradientBoosting(X, y, { nEstimators: 80, maxDepth: 4, earlyStoppingRounds: 0 });
  // Players: a, b alone; c, d, e as one player (like one-hot columns of a field).
  const playerOf = Int32Array.of(0, 1, 2, 2, 2);
  const test = data(500, 4).X;
  const reference = Float64Array.of(6, 6, NaN, 1, 8);
  const compiled = new CompiledShapley(model.trees, model.baseScore, playerOf, reference);
  const array = new TreeShapley(model.trees, playerOf, reference);
  const z = new Float64Array(test.rows), phi = new Float64Array(test.rows * 3);
  compiled.explain(test.data, test.rows, test.cols, 3, z, phi);
  const fr = walk(model.trees, model.baseScore, reference, 0);
  for (let i = 0; i < test.rows; i++) {
    const expected = new Float64Array(3);
    const zi = array.explainRow(test.data, i * test.cols, expected, 0, model.baseScore);
    assert.equal(z[i], zi, `row ${i}: log-odds`);
    assert.equal(z[i], walk(model.trees, model.baseScore, test.data, i * test.cols), `row ${i}: the prediction`);
    assert.deepEqual(phi.subarray(i * 3, i * 3 + 3), expected, `row ${i}: Shapley values`);
    const sum = expected[0] + expected[1] + expected[2];
    assert.ok(Math.abs(sum - (zi - fr)) <= 1e-12, `row ${i}: ${sum} vs ${zi - fr}`);
  }
});

Deno.test("trees too deep to compile are explained by the array walk, still exactly additive", () => {
  const { X, y } = data(4000, 5);
  const model = fitGradientBoosting(X, y, {
    nEstimators: 20,
    maxDepth: MAX_COMPILED_EXPLAIN_DEPTH + 2,
    minChildWeight: 0,
    earlyStoppingRounds: 0,
  });
  assert.ok(treeDepth(model.trees) > MAX_COMPILED_EXPLAIN_DEPTH, `depth ${treeDepth(model.trees)}`);
  assert.throws(
    () => new CompiledShapley(model.trees, 0, Int32Array.of(0, 1, 2, 3, 4), new Float64Array(5)),
    /too deep to compile/,
  );
  const reference = Float64Array.of(6, 6, 3, 1, 8);
  const shapley = new TreeShapley(model.trees, Int32Array.of(0, 1, 2, 3, 4), reference);
  const fr = new GradientBoostingModel(model.names, model.baseScore, model.trees, model.fit).rowLogOdds(reference);
  const test = data(300, 6).X;
  for (let i = 0; i < test.rows; i++) {
    const phi = new Float64Array(5);
    const z = shapley.explainRow(test.data, i * test.cols, phi, 0, model.baseScore);
    assert.equal(z, walk(model.trees, model.baseScore, test.data, i * test.cols));
    const sum = phi.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - (z - fr)) <= 1e-12, `row ${i}: ${sum} vs ${z - fr}`);
  }
});
