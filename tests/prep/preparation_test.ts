import assert from "node:assert/strict";
import type { Table } from "../../src/data/table.ts";
import { createRandom } from "../../src/stats/random.ts";
import { Preparation, type PreparationOptions } from "../../src/prep/preparation.ts";
import { tableFromRecords } from "../../src/prep/records.ts";
import pl from "nodejs-polars";
import { loadFeatureTable } from "../../src/data/feature_table.ts";
import { tableFromFrame } from "../../src/data/frame.ts";
import { cat, labels, num, roundTrip, table } from "./helpers.ts";

const LN3 = Math.log(3);

const small = table({
  x: num(1, 2, 3, 4, NaN),
  c: cat("a", "b", "a", null, "b"),
});
const smallY = labels(0, 1, 0, 1, 1);
const smallOptions: PreparationOptions = {
  clip: false,
  transform: false,
  selection: false,
  onehot: { minCount: 1 },
  impute: { indicators: true },
};

function row(matrix: { cols: number; data: Float64Array }, i: number): number[] {
  return [...matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols)];
}

Deno.test("one-hot preparation: hand-computed design matrix", () => {
  const prep = Preparation.fit(small, smallY, smallOptions);
  assert.deepEqual(prep.names, ["x", "x_missing", "c=a", "c=b", "c_missing"]);
  // x: median 2.5 fills the gap -> [1, 2, 3, 4, 2.5], mean 2.5, population std 1.
  // c: "a" and "b" tie at 2; the mode is the smaller, "a".
  const m = prep.transform(small);
  assert.deepEqual(row(m, 0), [-1.5, 0, 1, 0, 0]);
  assert.deepEqual(row(m, 3), [1.5, 0, 1, 0, 1]);
  assert.deepEqual(row(m, 4), [0, 1, 0, 1, 0]);
  const request = prep.transform(tableFromRecords([{ x: null, c: "zzz" }, {}], prep.schema));
  assert.deepEqual(row(request, 0), [0, 1, 0, 0, 0], "unknown level: all zeros");
  assert.deepEqual(row(request, 1), [0, 1, 1, 0, 1], "absent fields are missing and imputed");
});

Deno.test("WoE preparation: every feature becomes its bin's WoE, no scaling by default", () => {
  const x = num(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
  const y = labels(0, 0, 0, 1, 0, 1, 1, 0, 1, 1);
  const prep = Preparation.fit(table({ x }), y, {
    encoding: "woe",
    binning: { method: "quantile", bins: 2, minBinShare: 0 },
  });
  assert.deepEqual(prep.names, ["x"]);
  assert.equal(prep.steps.scaler, undefined);
  const m = prep.transform(tableFromRecords([{ x: 7 }, { x: 1 }, { x: null }], prep.schema));
  [LN3, -LN3, -LN3].forEach((expected, i) => assert.ok(Math.abs(m.data[i] - expected) < 1e-12));
  assert.ok(Math.abs(prep.report.iv[0].iv - LN3) < 1e-12);
  assert.match(prep.report.notes[0], /not applied with WoE encoding/);
});

/** A mixed table like real customer data: skewed amounts, gaps, a categorical with rare levels, a twin feature. */
function synthetic(rows: number, seed: number): { table: Table; y: Uint8Array } {
  const random = createRandom(seed);
  const amount = new Float64Array(rows);
  const twin = new Float64Array(rows);
  const recency = new Float64Array(rows);
  const noise = new Float64Array(rows);
  const channel: (string | null)[] = [];
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    amount[i] = random.next() < 0.05 ? NaN : Math.exp(3 + random.normal());
    twin[i] = Number.isNaN(amount[i]) ? 50 : amount[i] * 1.01 + random.normal() * 0.01;
    recency[i] = Math.floor(random.exponential(1 / 30));
    noise[i] = random.normal();
    const u = random.next();
    channel.push(u < 0.5 ? "web" : u < 0.8 ? "app" : u < 0.9785 ? "store" : u < 0.98 ? "tv" : null);
    const logit = -1 + 0.02 * (Number.isNaN(amount[i]) ? 20 : amount[i]) - 0.03 * recency[i] +
      (channel[i] === "app" ? 0.8 : 0);
    y[i] = random.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return {
    table: {
      rows,
      columns: {
        amount: { kind: "numeric", values: amount },
        twin: { kind: "numeric", values: twin },
        recency: { kind: "numeric", values: recency },
        noise: { kind: "numeric", values: noise },
        channel: { kind: "categorical", values: channel },
      },
    },
    y,
  };
}

const train = synthetic(3000, 1);
const test = synthetic(1000, 2);

const variants: Record<string, PreparationOptions> = {
  default: {},
  woe: { encoding: "woe" },
  "yeo-johnson, iqr, minmax, indicators, missing level": {
    transform: { method: "yeo-johnson" },
    clip: { method: "iqr" },
    scale: "minmax",
    impute: { categorical: "missing", indicators: true },
  },
  "woe, scaled, seed bins": { encoding: "woe", scale: "standard", binning: { method: "seed" } },
};

for (const [name, options] of Object.entries(variants)) {
  Deno.test(`preparation (${name}): JSON round trip transforms identically, batch = one row at a time`, () => {
    const prep = Preparation.fit(train.table, train.y, options);
    const copy = Preparation.fromJSON(roundTrip(prep));
    assert.deepEqual(copy.toJSON(), roundTrip(prep), "JSON -> object -> JSON is stable");
    const batch = prep.transform(test.table);
    assert.deepEqual(copy.transform(test.table), batch);
    assert.ok(batch.data.every(Number.isFinite), "no NaN reaches the design matrix");
    const records = Array.from(
      { length: 50 },
      (_, i) =>
        Object.fromEntries(
          Object.entries(test.table.columns).map(([field, column]) => {
            const value = column.values[i];
            return [field, typeof value === "number" && Number.isNaN(value) ? null : value];
          }),
        ),
    );
    records.forEach((record, i) => {
      assert.deepEqual(row(copy.transform(tableFromRecords([record], copy.schema)), 0), row(batch, i), `row ${i}`);
    });
  });
}

Deno.test("preparation report: selection drops the twin and the noise, with reasons; clip counts; transforms", () => {
  const prep = Preparation.fit(train.table, train.y);
  const report = prep.report;
  const decision = (f: string) => report.selection.find((d) => d.feature === f)!;
  assert.equal(decision("twin").decision, "drop");
  assert.match(decision("twin").reason, /> 0\.9 with amount/);
  assert.equal(decision("noise").decision, "drop");
  assert.match(decision("noise").reason, /^IV 0\.0\d+ < 0\.02$/);
  assert.deepEqual(Object.keys(prep.schema), ["amount", "recency", "channel"]);
  assert.deepEqual(prep.names, ["amount", "recency", "channel=app", "channel=store", "channel=web", "channel=(other)"]);
  const amountClip = report.clipping.find((c) => c.feature === "amount")!;
  assert.ok(amountClip.clippedLow >= 28 && amountClip.clippedLow <= 30, `${amountClip.clippedLow}`);
  assert.equal(report.transforms.find((t) => t.feature === "amount")!.transform, "log1p");
  assert.equal(report.imputation.find((e) => e.feature === "channel")!.value, "web");
  assert.equal(report.features.find((f) => f.feature === "channel")!.levels, 4);
  assert.equal(report.rows, 3000);
  assert.deepEqual(report.iv.map((e) => e.feature).slice(0, 1), ["recency"]);
});

Deno.test("no leakage: transforming other data leaves every fitted value unchanged", () => {
  const prep = Preparation.fit(train.table, train.y);
  const fitted = JSON.stringify(prep);
  const trainCopy = structuredClone(train.table);
  const altered: Table = {
    rows: test.table.rows,
    columns: {
      ...test.table.columns,
      amount: { kind: "numeric", values: new Float64Array(test.table.rows).fill(1e9) },
      channel: { kind: "categorical", values: new Array(test.table.rows).fill("new") },
    },
  };
  prep.transform(test.table);
  prep.transform(altered);
  prep.transform(tableFromRecords([{ amount: -5 }], prep.schema));
  assert.equal(JSON.stringify(prep), fitted);
  assert.deepEqual(train.table, trainCopy, "fitting does not modify the training table");
  const refit = Preparation.fit(train.table, train.y);
  refit.transform(altered);
  assert.equal(JSON.stringify(refit), fitted, "test rows never influence a fitted value");
  const other = Preparation.fit(test.table, test.y);
  assert.notEqual(JSON.stringify(other), fitted, "the check above can fail: other rows give other parameters");
});

Deno.test("training set: class weights, oversampling and undersampling with the sampled positive rate", () => {
  const base = train.y.reduce((a, b) => a + b, 0) / train.y.length;
  const weighted = Preparation.fit(train.table, train.y, { imbalance: { method: "weights" } });
  const set = weighted.trainingSet(train.table, train.y);
  assert.equal(set.positiveRate, base);
  const positiveWeight = set.weights!.reduce((sum, w, i) => sum + (train.y[i] === 1 ? w : 0), 0);
  assert.ok(Math.abs(positiveWeight - train.y.length / 2) < 1e-6);
  const positives = train.y.reduce((a, b) => a + b, 0);
  assert.equal(weighted.report.imbalance.classWeights?.positive, train.y.length / (2 * positives));
  const over = Preparation.fit(train.table, train.y, { imbalance: { method: "over", seed: 5 } })
    .trainingSet(train.table, train.y);
  assert.equal(over.positiveRate, 0.5);
  assert.equal(over.matrix.rows, over.y.length);
  const under = Preparation.fit(train.table, train.y, { imbalance: { method: "under", seed: 5, ratio: 0.5 } })
    .trainingSet(train.table, train.y);
  assert.ok(Math.abs(under.positiveRate - 1 / 3) < 0.001);
});

Deno.test("withImbalance: the same fit with another imbalance equals fitting with it", () => {
  const plain = Preparation.fit(train.table, train.y);
  for (const imbalance of [{ method: "over", seed: 5 }, { method: "weights" }] as const) {
    const fitted = Preparation.fit(train.table, train.y, { imbalance });
    const shared = plain.withImbalance(imbalance);
    assert.equal(JSON.stringify(shared), JSON.stringify(fitted));
    assert.deepEqual(shared.trainingSet(train.table, train.y), fitted.trainingSet(train.table, train.y));
    assert.deepEqual(shared.report.imbalance, fitted.report.imbalance);
  }
  assert.equal(plain.options.imbalance.method, "none", "the original is unchanged");
});

Deno.test("preparation input errors are clear", () => {
  assert.throws(() => Preparation.fit(small, labels(1, 1, 1, 1, 1)), /single class \(5 positives in 5 rows\)/);
  assert.throws(() => Preparation.fit(small, smallY, { features: ["nope"] }), /feature "nope" is not a column/);
  assert.throws(() => Preparation.fit(small, smallY, { encoding: "ordinal" as "woe" }), /unknown encoding/);
  const prep = Preparation.fit(small, smallY, smallOptions);
  assert.throws(
    () => prep.transform(table({ x: cat("1", "two") })),
    /column "x", row 2: not a number \(value: "two"\)/,
  );
  assert.throws(() => prep.transformInto(small, new Float64Array(3)), /output buffer holds 3 values/);
  assert.throws(() => Preparation.fromJSON({ type: "preparation", version: 9 }), /version 9 is not supported/);
});

Deno.test("tiny and degenerate training data: constant and empty columns dropped with reasons, JSON stable", () => {
  const tiny = table({
    x: num(1, 5, 2, 8),
    constant: num(3, 3, 3, 3),
    empty: num(NaN, NaN, NaN, NaN),
    c: cat("a", null, "a", "b"),
    same: cat("z", "z", null, "z"),
  });
  const y = labels(0, 1, 0, 1);
  for (const encoding of ["onehot", "woe"] as const) {
    const prep = Preparation.fit(tiny, y, { encoding });
    const reasons = Object.fromEntries(prep.report.selection.map((d) => [d.feature, d.reason]));
    assert.equal(reasons.constant, "constant on train (always 3)", encoding);
    assert.equal(reasons.empty, "no value on train", encoding);
    if (encoding === "onehot") assert.equal(reasons.same, 'constant on train (always "z", 1 missing)');
    else assert.notEqual(prep.report.selection.find((d) => d.feature === "same")?.reason.slice(0, 8), "constant");
    assert.ok(!Object.keys(prep.schema).includes("constant") && Object.keys(prep.schema).length >= 1, encoding);
    const json = roundTrip<unknown>(prep);
    assert.deepEqual(Preparation.fromJSON(json).toJSON(), json, `${encoding}: no NaN or Infinity lost in JSON`);
    const m = prep.transform(tableFromRecords([{}, { x: 1e12, c: "new" }], prep.schema));
    assert.ok(m.data.every(Number.isFinite), encoding);
  }
});

Deno.test("online shoppers: the reference's design matrix (10 standardised numeric + 65 one-hot columns)", () => {
  const loaded = loadFeatureTable("../shared/data/real/online_shoppers_split.csv", { target: "Revenue" });
  const split = loaded.frame.getColumn("split").toArray();
  const rows = split.map((s, i) => (s === "train" ? i : -1)).filter((i) => i >= 0);
  const trainFrame = loaded.frame.filter(pl.col("split").eq(pl.lit("train"))).drop("split");
  const trainY = Uint8Array.from(rows, (i) => loaded.target.y[i]);
  const codes = ["Month", "OperatingSystems", "Browser", "Region", "TrafficType", "VisitorType", "Weekend"];
  const prep = Preparation.fit(tableFromFrame(trainFrame), trainY, {
    categorical: codes,
    clip: false,
    transform: false,
    selection: false,
    onehot: { minCount: 1 },
  });
  assert.equal(prep.cols, 75);
  assert.equal(trainY.length, 9247);
  assert.equal(prep.outputs.filter((o) => o.role === "value").length, 10);
  assert.equal(prep.schema.Region, "categorical");
  const m = prep.transform(tableFromFrame(trainFrame));
  for (let j = 0; j < 10; j++) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < m.rows; i++) {
      sum += m.data[i * m.cols + j];
      squares += m.data[i * m.cols + j] ** 2;
    }
    assert.ok(Math.abs(sum / m.rows) < 1e-12 && Math.abs(squares / m.rows - 1) < 1e-9, prep.names[j]);
  }
  assert.ok(prep.names.includes("Region=9") && prep.names.includes("Month=Nov"));
});
