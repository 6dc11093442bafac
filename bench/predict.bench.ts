/**
 * `deno task bench predict`: gradient-boosted tree prediction side by side
 * with XGBoost (Debian's `python3-xgboost`, one thread) on the same matrix
 * and the same model size, and the cost of exact reason codes (compiled
 * baseline Shapley values) against prediction alone.
 *
 * The matrix is the gbt candidate's design matrix of the synthetic data at
 * 100,000 customers / 1,000,000 transactions, split 2/3 train, 1/3 test. Both
 * libraries fit 300 trees of depth 4 with 256 bins (ours: 255 value bins and
 * a missing-value bin), λ = 1, η = 0.1 on the
 * training rows and predict the test rows (log-odds); each figure is the best
 * of several passes, alternating ours and XGBoost's, since the machine is shared.
 *
 * Run: `deno task bench predict` (needs `/usr/bin/python3` with xgboost; without it, only our figures).
 *
 * @module
 */
import { takeTableRows, takeValues } from "../src/data/table.ts";
import { CompiledShapley } from "../src/models/gbt/compile.ts";
import { fitGradientBoosting } from "../src/models/gradient_boosting.ts";
import { CANDIDATES } from "../src/pipeline/candidates.ts";
import { loadDataset } from "../src/pipeline/dataset.ts";
import { DEFAULT_TRAIN_OPTIONS } from "../src/pipeline/options.ts";
import { splitDataset } from "../src/pipeline/split.ts";
import { Preparation } from "../src/prep/preparation.ts";

const PASSES = 5;
const ROUNDS = 3;
const PYTHON = "/usr/bin/python3";

const XGBOOST_SCRIPT = `
import sys, time, json
import numpy as np
import xgboost as xgb
folder, cols, passes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(folder + "/train.f64").reshape(-1, cols)
y = np.fromfile(folder + "/train.u8", dtype=np.uint8)
T = np.fromfile(folder + "/test.f64").reshape(-1, cols)
params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 4, "eta": 0.1, "lambda": 1,
          "max_bin": 256, "min_child_weight": 1, "nthread": 1}
booster = xgb.train(params, xgb.DMatrix(X, label=y, missing=np.nan, nthread=1), num_boost_round=300)
booster.set_param({"nthread": 1})
# inplace_predict: no DMatrix prediction cache (predict() on the same DMatrix returns cached margins).
booster.inplace_predict(T, predict_type="margin", missing=np.nan)
best = float("inf")
for _ in range(passes):
    began = time.perf_counter()
    booster.inplace_predict(T, predict_type="margin", missing=np.nan)
    best = min(best, time.perf_counter() - began)
print(json.dumps({"rows": T.shape[0], "seconds": best, "version": xgb.__version__}))
`;

const began = performance.now();
const dataset = await loadDataset({ ...DEFAULT_TRAIN_OPTIONS, customers: 100_000, transactions: 1_000_000 });
const { train, test } = splitDataset(dataset, { testSize: 1 / 3, seed: 42 });
const spec = CANDIDATES.find((candidate) => candidate.family === "gbt")!;
const trainTable = takeTableRows(dataset.table, train);
const trainY = takeValues(dataset.y, train);
const preparation = Preparation.fit(trainTable, trainY, spec.preparation);
const X = preparation.transform(trainTable);
const T = preparation.transform(takeTableRows(dataset.table, test));
const model = fitGradientBoosting(X, trainY, {
  nEstimators: 300,
  maxDepth: 4,
  learningRate: 0.1,
  lambda: 1,
  earlyStoppingRounds: 0,
});
console.log(
  `setup ${((performance.now() - began) / 1000).toFixed(1)} s: ${X.rows} train × ${X.cols} columns, ` +
    `${T.rows} test rows; ours: ${model.trees.roots.length} trees, ${model.trees.feature.length} nodes`,
);

const folder = await Deno.makeTempDir({ prefix: "predict-bench-" });
Deno.writeFileSync(`${folder}/train.f64`, new Uint8Array(X.data.buffer));
Deno.writeFileSync(`${folder}/train.u8`, trainY);
Deno.writeFileSync(`${folder}/test.f64`, new Uint8Array(T.data.buffer));

async function xgboostRowsPerSecond(): Promise<{ rate: number; version: string } | undefined> {
  try {
    const output = await new Deno.Command(PYTHON, {
      args: ["-c", XGBOOST_SCRIPT, folder, String(X.cols), String(PASSES)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (output.code !== 0) {
      console.log(`XGBoost: not measured (${new TextDecoder().decode(output.stderr).trim().split("\n").at(-1)})`);
      return undefined;
    }
    const result = JSON.parse(new TextDecoder().decode(output.stdout));
    return { rate: result.rows / result.seconds, version: result.version };
  } catch (error) {
    console.log(`XGBoost: not measured (${(error as Error).message})`);
    return undefined;
  }
}

function bestRate(run: () => void): number {
  run();
  let best = Infinity;
  for (let pass = 0; pass < PASSES; pass++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return T.rows / (best / 1000);
}

// The reference row: the median of the training rows column by column (what a bundle's reference customer is like).
const reference = Float64Array.from({ length: X.cols }, (_, j) => {
  const column = Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + j]).filter((v) => v === v).sort();
  return column[column.length >> 1] ?? NaN;
});
const players = Int32Array.from({ length: X.cols }, (_, j) => j);
const compileStart = performance.now();
const explainer = new CompiledShapley(model.trees, model.baseScore, players, reference);
const compileMs = performance.now() - compileStart;
const z = new Float64Array(T.rows), phi = new Float64Array(T.rows * X.cols);

const ours: number[] = [], explained: number[] = [], xgboost: number[] = [];
let version = "";
for (let round = 0; round < ROUNDS; round++) {
  const anchor = await xgboostRowsPerSecond();
  if (anchor) {
    xgboost.push(anchor.rate);
    version = anchor.version;
  }
  ours.push(bestRate(() => model.predictLogOdds(T)));
  explained.push(bestRate(() => {
    phi.fill(0);
    explainer.explain(T.data, T.rows, T.cols, X.cols, z, phi);
  }));
}
await Deno.remove(folder, { recursive: true });

const rate = (values: number[]) => Math.max(...values);
const format = (value: number) => Math.round(value).toLocaleString("en-US").padStart(10);
console.log(`\nPredicting ${T.rows} rows, best of ${PASSES} passes × ${ROUNDS} alternating rounds (rows/s):`);
console.log(`ours, compiled trees                          ${format(rate(ours))}`);
if (xgboost.length > 0) {
  console.log(`XGBoost ${version}, 1 thread, inplace_predict     ${format(rate(xgboost))}`);
  console.log(`ratio ours / XGBoost                          ${(rate(ours) / rate(xgboost)).toFixed(2).padStart(10)}`);
}
console.log(
  `ours + exact Shapley values of all ${X.cols} columns ${format(rate(explained))}  ` +
    `(cost ${(rate(ours) / rate(explained)).toFixed(2)}× prediction; explainer compiled in ${compileMs.toFixed(0)} ms)`,
);
