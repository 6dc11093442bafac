/**
 * Reason codes against answers derived by hand: hand-built models (a
 * two-feature logistic model, a one-hot field, a Platt-calibrated model, a WoE
 * scorecard with known bin points, tree ensembles with an AND interaction)
 * whose contributions are computed in the test from the model's definition,
 * not from the scorer.
 */
import type { WoeStep } from "../../src/prep/woe.ts";
import assert from "node:assert/strict";
import { BUNDLE_FORMAT, BUNDLE_VERSION, type ModelBundle } from "../../src/bundle/bundle.ts";
import { FittedCandidate } from "../../src/bundle/fitted.ts";
import { type Reason, Scorer } from "../../src/bundle/scorer.ts";
import type { Table } from "../../src/data/table.ts";
import { CalibratedModel } from "../../src/models/calibration.ts";
import type { FittedClassifier } from "../../src/models/classifier.ts";
import { GradientBoostingModel, type TreeArrays } from "../../src/models/gbt/model.ts";
import { LinearModel } from "../../src/models/linear.ts";
import { Preparation, type PreparationOptions } from "../../src/prep/preparation.ts";

/** Points per unit of log-odds at the default scaling (20 points to double the odds). */
const FACTOR = 20 / Math.LN2;
/** Points at log-odds 0: 600 points at odds 50:1. */
const OFFSET = 600 - FACTOR * Math.log(50);

/** A preparation that passes numeric fields through unchanged (and one-hot encodes categorical ones). */
const IDENTITY: PreparationOptions = {
  impute: false,
  clip: false,
  transform: false,
  scale: false,
  selection: false,
  onehot: { minCount: 1 },
};

function fitPreparation(table: Table, options: PreparationOptions = IDENTITY): Preparation {
  return Preparation.fit(table, Uint8Array.from({ length: table.rows }, (_, i) => i % 2), options);
}

function numericTable(columns: Record<string, number[]>): Table {
  const entries = Object.entries(columns);
  return {
    rows: entries[0][1].length,
    columns: Object.fromEntries(
      entries.map(([name, values]) => [name, { kind: "numeric" as const, values: Float64Array.from(values) }]),
    ),
  };
}

/** The smallest bundle a Scorer reads: a fitted candidate, its reference customer and the default scaling. */
function bundleOf(
  preparation: Preparation,
  model: FittedClassifier,
  reference: Record<string, number | string | null>,
  logOddsShift = 0,
): ModelBundle {
  const fitted = new FittedCandidate("hand-built", preparation, model, logOddsShift);
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    candidate: "hand-built",
    description: "",
    fields: Object.entries(preparation.schema).map(([name, kind]) => ({ name, kind, reference: reference[name] })),
    definition: { kind: "table", targetColumn: "y" },
    positiveLabel: "1",
    fitted: fitted.toJSON(),
    scaling: { basePoints: 600, baseOdds: 50, pdo: 20 },
    threshold: { probability: 0.5, rule: { by: "f1" } },
    featureReference: [],
    scoreReference: { edges: [], shares: [] },
    metrics: {
      cv: { meanAuc: 0, stdAuc: 0, meanLogloss: 0 },
      test: {},
      trainRows: 0,
      testRows: 0,
      basePositiveRate: 0.5,
    },
    fingerprints: { data: "", code: "" },
  };
}

function pointsByField(reasons: readonly Reason[]): Record<string, number> {
  return Object.fromEntries(reasons.map((reason) => [reason.feature, reason.points]));
}

function assertClose(actual: number, expected: number, what: string, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);
}

Deno.test("two-feature logistic model: each field's points are factor·w·(x − reference), the rest sums to baseline", () => {
  const preparation = fitPreparation(numericTable({ a: [0, 1, 2, 3], b: [3, 2, 1, 0] }));
  const model = new LinearModel("logistic", ["a", "b"], 0.3, Float64Array.of(0.8, -0.5), {});
  // A prior-correction shift of -1 moves score and baseline alike.
  const scorer = new Scorer(bundleOf(preparation, model, { a: 2, b: 1 }, -1));
  const [result] = scorer.scoreRecords([{ a: 5, b: 4 }], { reasons: "all" });
  // By hand: a adds 0.8·(5 − 2) = 2.4 log-odds, b adds −0.5·(4 − 1) = −1.5.
  assertClose(result.score, OFFSET + FACTOR * (0.3 + 0.8 * 5 - 0.5 * 4 - 1), "score");
  assertClose(result.baseline_score, OFFSET + FACTOR * (0.3 + 0.8 * 2 - 0.5 * 1 - 1), "baseline_score");
  assert.deepEqual(result.reasons.map((r) => [r.feature, r.value, r.reference_value]), [["b", 4, 1], ["a", 5, 2]]);
  assertClose(result.reasons[0].points, -1.5 * FACTOR, "b"); // -43.28 points
  assertClose(result.reasons[1].points, 2.4 * FACTOR, "a"); // +69.25 points
  // With a count, only fields that lower the score are reasons.
  const [top] = scorer.scoreRecords([{ a: 5, b: 4 }], { reasons: 3 });
  assert.deepEqual(top.reasons.map((r) => r.feature), ["b"]);
});

Deno.test("a one-hot field is one player: its columns move together; a field at the reference adds 0", () => {
  const table: Table = {
    rows: 4,
    columns: {
      x: { kind: "numeric", values: Float64Array.of(0, 1, 2, 3) },
      channel: { kind: "categorical", values: ["web", "app", "store", "web"] },
    },
  };
  const preparation = fitPreparation(table);
  assert.deepEqual(preparation.names, ["x", "channel=app", "channel=store", "channel=web"]);
  const model = new LinearModel("logistic", preparation.names, 0, Float64Array.of(1, 0.4, -0.7, 0.2), {});
  const scorer = new Scorer(bundleOf(preparation, model, { x: 1, channel: "web" }));
  const [result] = scorer.scoreRecords([{ x: 1, channel: "store" }], { reasons: "all" });
  // channel: the store column's weight in, the web column's out: −0.7 − 0.2 = −0.9 log-odds.
  const got = pointsByField(result.reasons);
  assertClose(got.channel, (-0.7 - 0.2) * FACTOR, "channel");
  assert.equal(got.x, 0);
  assert.equal(result.reasons[0].reference_value, "web");
});

Deno.test("Platt calibration: contributions scale by the slope, its intercept cancels", () => {
  const preparation = fitPreparation(numericTable({ a: [0, 1, 2, 3] }));
  const base = new LinearModel("logistic", ["a"], 0.1, Float64Array.of(0.5), {});
  const model = new CalibratedModel(base, { method: "platt", slope: 2, intercept: -3 });
  const [result] = new Scorer(bundleOf(preparation, model, { a: 4 })).scoreRecords([{ a: 1 }], { reasons: "all" });
  // z = 2·(0.1 + 0.5·a) − 3: a = 1 against a = 4 is 2·0.5·(1 − 4) = −3 log-odds.
  assertClose(result.reasons[0].points, -3 * FACTOR, "a");
  assertClose(result.baseline_score, OFFSET + FACTOR * (2 * (0.1 + 0.5 * 4) - 3), "baseline_score");
});

Deno.test("WoE scorecard: a field's points are the difference of its bins' points; max_points against the best bin", () => {
  // x: bins (-inf, 2.5] and (2.5, inf); c: two levels. Labels make both informative.
  const table: Table = {
    rows: 8,
    columns: {
      x: { kind: "numeric", values: Float64Array.of(1, 1, 2, 2, 3, 3, 4, 4) },
      c: { kind: "categorical", values: ["u", "v", "u", "u", "v", "v", "u", "v"] },
    },
  };
  const y = Uint8Array.of(0, 0, 0, 1, 1, 0, 1, 1);
  const preparation = Preparation.fit(table, y, {
    encoding: "woe",
    selection: false,
    binning: { method: "quantile", bins: 2, minBinShare: 0, minLevelCount: 1 },
  });
  const bins = (feature: string) => (preparation.steps.woe as WoeStep).encoder.binning(feature)!.bins;
  const [xLow, xHigh] = bins("x").filter((bin) => !bin.missing);
  assert.equal(xLow.upper, 2.5);
  const woeOf = (level: string) => bins("c").find((bin) => bin.levels?.includes(level))!.woe;
  const beta = { x: 0.9, c: 0.6 };
  const model = new LinearModel("logistic", ["x", "c"], -0.2, Float64Array.of(beta.x, beta.c), {});
  const scorer = new Scorer(bundleOf(preparation, model, { x: 4, c: "u" }));
  // A bin's points: factor·β·woe (plus an equal share of intercept and offset, which cancels in differences).
  const points = (b: number, woe: number) => FACTOR * b * woe;
  const [result] = scorer.scoreRecords([{ x: 1, c: "v" }], { reasons: "all" });
  const got = pointsByField(result.reasons);
  assertClose(got.x, points(beta.x, xLow.woe) - points(beta.x, xHigh.woe), "x");
  assertClose(got.c, points(beta.c, woeOf("v")) - points(beta.c, woeOf("u")), "c");
  assert.ok(got.x < 0, `x in its low bin costs points (${got.x})`);

  assert.deepEqual(scorer.methods, ["reference", "max_points"]);
  const [max] = scorer.scoreRecords([{ x: 1, c: "v" }], { reasons: "all", method: "max_points" });
  const best = (b: number, feature: string) => Math.max(...bins(feature).map((bin) => points(b, bin.woe)));
  const maxGot = pointsByField(max.reasons);
  assertClose(maxGot.x, points(beta.x, xLow.woe) - best(beta.x, "x"), "x below its best bin");
  assertClose(maxGot.c, points(beta.c, woeOf("v")) - best(beta.c, "c"), "c below its best bin");
  assertClose(
    max.baseline_score,
    OFFSET + FACTOR * -0.2 + best(beta.x, "x") + best(beta.c, "c"),
    "baseline = the maximum attainable score",
  );
  assertClose(max.score, result.score, "the method changes the reasons, not the score");
  assert.equal(max.reasons.find((r) => r.feature === "x")?.reference_value, xHigh.label);

  const gbtLike = new Scorer(bundleOf(fitPreparation(numericTable({ a: [0, 1, 2, 3] })), stump(), { a: 0 }));
  assert.deepEqual(gbtLike.methods, ["reference"]);
  assert.throws(() => gbtLike.scoreRecords([{ a: 1 }], { method: "max_points" }), /max_points needs a WoE scorecard/);
});

/** `a <= 0.5 ? -1 : 1` on column 0. */
function stump(): GradientBoostingModel {
  return new GradientBoostingModel(["a"], 0, {
    roots: Int32Array.of(0),
    feature: Int32Array.of(0, -1, -1),
    threshold: Float64Array.of(0.5, 0, 0),
    left: Int32Array.of(1, -1, -1),
    missingLeft: new Uint8Array(3),
    value: Float64Array.of(0, -1, 1),
    gain: new Float64Array(3),
  }, { trees: 1, earlyStopped: false, validationLoss: null, validationRows: 0, params: {} });
}

/**
 * Tree 1: "a > 0 AND b > 0" is worth 1, anything else 0.
 * Tree 2: "c <= 5" is worth −0.2, otherwise 0.3.
 * Base score 0.1.
 */
function andEnsemble(): GradientBoostingModel {
  const trees: TreeArrays = {
    roots: Int32Array.of(0, 5),
    //                       0: a<=0  1: leaf  2: b<=0  3: leaf  4: leaf  5: c<=5  6: leaf  7: leaf
    feature: Int32Array.of(0, -1, 1, -1, -1, 2, -1, -1),
    threshold: Float64Array.of(0, 0, 0, 0, 0, 5, 0, 0),
    left: Int32Array.of(1, -1, 3, -1, -1, 6, -1, -1),
    missingLeft: new Uint8Array(8),
    value: Float64Array.of(0, 0, 0, 0, 1, 0, -0.2, 0.3),
    gain: new Float64Array(8),
  };
  return new GradientBoostingModel(["a", "b", "c"], 0.1, trees, {
    trees: 2,
    earlyStopped: false,
    validationLoss: null,
    validationRows: 0,
    params: {},
  });
}

Deno.test("AND interaction: a customer failing both sides of a rule gets half the lost points on each field", () => {
  const preparation = fitPreparation(numericTable({ a: [-1, 0, 1, 2], b: [-1, 0, 1, 2], c: [1, 4, 6, 9] }));
  const scorer = new Scorer(bundleOf(preparation, andEnsemble(), { a: 1, b: 1, c: 10 }));
  // The reference passes the rule (1 + 0.3); x = (-1, -1, 10) fails it (0 + 0.3). Setting a or b alone to the
  // reference still fails the rule, so the old one-field-at-a-time method found no reason at all. Shapley:
  // v(∅) = 1, v({a}) = v({b}) = 1, v({a, b}) = 0 in tree 1, so φ_a = φ_b = ½·(0 − 1) = −0.5 log-odds each.
  const [result] = scorer.scoreRecords([{ a: -1, b: -1, c: 10 }], { reasons: 3 });
  assert.deepEqual(result.reasons.map((r) => r.feature), ["a", "b"]);
  assertClose(result.reasons[0].points, -0.5 * FACTOR, "a");
  assertClose(result.reasons[1].points, -0.5 * FACTOR, "b");
  assertClose(result.score, OFFSET + FACTOR * (0.1 + 0 + 0.3), "score");
  assertClose(result.baseline_score, OFFSET + FACTOR * (0.1 + 1 + 0.3), "baseline_score");

  // x = (-1, 1, 3): the rule fails on a alone (−1), and c's stump costs 0.3 − (−0.2) = 0.5; b matches: 0.
  const [other] = scorer.scoreRecords([{ a: -1, b: 1, c: 3 }], { reasons: "all" });
  assert.deepEqual(pointsByField(other.reasons), { a: -1 * FACTOR, c: -0.5 * FACTOR, b: 0 });
});

Deno.test("tree Shapley with both sides: x needs {a, b}, the reference needs {a}", () => {
  // a <= 0 ? (b <= 0 ? 2 : 0) : 1. x = (-1, -1) scores 2, the reference (1, 1) scores 1.
  const model = new GradientBoostingModel(["a", "b"], 0, {
    roots: Int32Array.of(0),
    feature: Int32Array.of(0, 1, -1, -1, -1),
    threshold: Float64Array.of(0, 0, 0, 0, 0),
    left: Int32Array.of(1, 3, -1, -1, -1),
    missingLeft: new Uint8Array(5),
    value: Float64Array.of(0, 0, 1, 2, 0),
    gain: new Float64Array(5),
  }, { trees: 1, earlyStopped: false, validationLoss: null, validationRows: 0, params: {} });
  const preparation = fitPreparation(numericTable({ a: [-1, 0, 1, 2], b: [-1, 0, 1, 2] }));
  const scorer = new Scorer(bundleOf(preparation, model, { a: 1, b: 1 }));
  // v(∅) = f(1, 1) = 1, v({a}) = f(-1, 1) = 0, v({b}) = f(1, -1) = 1, v({a, b}) = 2.
  // φ_a = ½[(0 − 1) + (2 − 1)] = 0; φ_b = ½[(1 − 1) + (2 − 0)] = 1.
  const [result] = scorer.scoreRecords([{ a: -1, b: -1 }], { reasons: "all" });
  const got = pointsByField(result.reasons);
  assertClose(got.a, 0, "a", 1e-12);
  assertClose(got.b, 1 * FACTOR, "b");
  // Missing values follow the node's missing direction (right here): b missing is b > 0, i.e. φ_b = 0.
  const [missing] = scorer.scoreRecords([{ a: -1 }], { reasons: "all" });
  assertClose(pointsByField(missing.reasons).a, -1 * FACTOR, "a with b missing");
});
