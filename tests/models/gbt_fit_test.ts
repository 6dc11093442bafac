import assert from "node:assert/strict";
import { createRandom } from "../../src/stats/random.ts";
import { rocAuc } from "../../src/evaluate/roc.ts";
import { fitBinCuts, fitGradientBoosting } from "../../src/models/gradient_boosting.ts";
import type { DesignMatrix } from "../../src/data/table.ts";

/**
 * Labels that rise with `up` and fall with `down` overall, but wiggle: a free
 * model follows the wiggles, so it is not monotone along either column.
 */
function wiggly(rows: number, seed: number): { X: DesignMatrix; y: Uint8Array } {
  const random = createRandom(seed);
  const data = new Float64Array(rows * 3), y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const up = random.next() * 10, down = random.next() * 10, free = random.next() * 10;
    data.set([up, down, free], i * 3);
    const z = 0.4 * up + 1.5 * Math.sin(2 * up) - 0.4 * down + 1.5 * Math.cos(2 * down) + Math.sin(free);
    y[i] = random.next() < 1 / (1 + Math.exp(-(z - 0.2))) ? 1 : 0;
  }
  return { X: { rows, cols: 3, names: ["up", "down", "free"], data }, y };
}

/** Largest violation of the direction along column `col` when sweeping it over `grid` on each of `rows` random rows. */
function worstViolation(
  model: { rowLogOdds(row: ArrayLike<number>): number },
  col: number,
  direction: 1 | -1,
  seed: number,
): number {
  const random = createRandom(seed);
  let worst = 0;
  for (let r = 0; r < 200; r++) {
    const row = [random.next() * 10, random.next() * 10, random.next() * 10];
    let previous = -Infinity * direction;
    for (let step = 0; step <= 100; step++) {
      row[col] = -0.5 + step * 0.11;
      const z = model.rowLogOdds(row);
      worst = Math.max(worst, direction * (previous - z));
      previous = z;
    }
  }
  return worst;
}

Deno.test("gbt: monotone constraints make predictions monotone along each constrained column on random rows", () => {
  const { X, y } = wiggly(4000, 11);
  const params = { nEstimators: 150, maxDepth: 4, earlyStoppingRounds: 0, seed: 3 };
  const free = fitGradientBoosting(X, y, params);
  // The data really is non-monotone: unconstrained, the model follows the wiggles both ways.
  assert.ok(worstViolation(free, 0, 1, 5) > 0.05);
  assert.ok(worstViolation(free, 1, -1, 5) > 0.05);
  const constrained = fitGradientBoosting(X, y, { ...params, monotone: { up: 1, down: -1 } });
  assert.equal(worstViolation(constrained, 0, 1, 5), 0);
  assert.equal(worstViolation(constrained, 1, -1, 5), 0);
  // The unconstrained column still gets splits.
  assert.ok(constrained.importance()[2] > 0);
  // Still a useful model: it ranks held-out rows by their monotone trend.
  const test = wiggly(2000, 12);
  assert.ok(rocAuc(constrained.predictProba(test.X), test.y) > 0.75);
});

Deno.test("gbt: a monotone constraint on an unknown column or with a bad direction is an error naming it", () => {
  const { X, y } = wiggly(200, 1);
  assert.throws(
    () => fitGradientBoosting(X, y, { nEstimators: 2, monotone: { recency: -1 } }),
    /monotone constraint on "recency", which is not a column \(up, down, free\)/,
  );
  assert.throws(() => fitGradientBoosting(X, y, { nEstimators: 2, monotone: { up: 2 } }), /"up" must be -1, 0 or 1/);
});

Deno.test("gbt: cut points cut once (fitBinCuts) give the same model as cutting in the fit; a subset keeps them", () => {
  const { X, y } = wiggly(3000, 21);
  const params = { nEstimators: 30, earlyStoppingRounds: 0, seed: 2 };
  const cuts = fitBinCuts(X, params);
  assert.deepEqual(Object.keys(cuts), ["up", "down", "free"]);
  assert.ok(cuts.up.length > 200 && cuts.up.every((e, i) => i === 0 || e > cuts.up[i - 1]));
  assert.equal(
    JSON.stringify(fitGradientBoosting(X, y, { ...params, binEdges: cuts })),
    JSON.stringify(fitGradientBoosting(X, y, params)),
  );
  // A fit on the first 500 rows splits only at the shared cuts of all 3000 (its own would be other midpoints).
  const subset = { ...X, rows: 500, data: X.data.subarray(0, 1500) };
  const model = fitGradientBoosting(subset, y.subarray(0, 500), { ...params, binEdges: cuts });
  const { feature, threshold } = model.trees;
  let splits = 0;
  feature.forEach((f, k) => {
    if (f < 0) return;
    splits++;
    const own = cuts[X.names[f]];
    assert.ok(own.includes(threshold[k]) || threshold[k] === Number.MAX_VALUE, `${threshold[k]} is not a shared cut`);
  });
  assert.ok(splits > 30);
});
