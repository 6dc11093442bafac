import assert from "node:assert/strict";
import { createRandom } from "../../src/stats/random.ts";
import { takeTableRows, takeValues } from "../../src/data/table.ts";
import { FittedCandidate } from "../../src/bundle/fitted.ts";
import { plainRunner } from "../../src/flow/step_runner.ts";
import { CANDIDATES, chooseCandidates } from "../../src/pipeline/candidates.ts";
import { loadDataset } from "../../src/pipeline/dataset.ts";
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from "../../src/pipeline/options.ts";
import { runPipeline } from "../../src/pipeline/pipeline.ts";
import { splitDataset } from "../../src/pipeline/split.ts";
import {
  assembleCandidate,
  type FoldOutcome,
  planFoldBatches,
  trainCandidate,
  trainFoldBatch,
} from "../../src/pipeline/train_candidate.ts";

const SMALL: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, customers: 400, transactions: 3_200, seed: 9, folds: 3 };

Deno.test("fold plan: every candidate's folds and refit land in exactly one lane, lanes balanced", () => {
  for (const lanes of [1, 2, 3, 8]) {
    const batches = planFoldBatches(CANDIDATES, 5, lanes);
    assert.equal(batches.length, lanes);
    const seen = batches.flat().map((u) => `${u.candidate}/${u.fold}`).sort();
    const expected = CANDIDATES.flatMap((_, c) => [0, 1, 2, 3, 4, 5].map((f) => `${c}/${f}`)).sort();
    assert.deepEqual(seen, expected);
  }
  // Two lanes: each gets three of the six expensive gbt fits, not all six on one core.
  const gbt = CANDIDATES.findIndex((c) => c.family === "gbt");
  for (const units of planFoldBatches(CANDIDATES, 5, 2)) {
    assert.equal(units.filter((u) => u.candidate === gbt).length, 3);
  }
  // ml-logistic-regression and logistic differ only in imbalance: each fold of theirs shares a lane (and a fit).
  const [ml, logistic] = ["ml-logistic-regression", "logistic"].map((name) =>
    CANDIDATES.findIndex((c) => c.name === name)
  );
  for (const lanes of [2, 3, 8]) {
    for (const units of planFoldBatches(CANDIDATES, 5, lanes)) {
      const folds = (candidate: number) => units.filter((u) => u.candidate === candidate).map((u) => u.fold).sort();
      assert.deepEqual(folds(ml), folds(logistic), `${lanes} lanes`);
    }
  }
});

Deno.test("fold batches: any batching and order of units assembles the same result as one candidate at a time", async () => {
  const dataset = await loadDataset(SMALL);
  const split = splitDataset(dataset, { testSize: 0.25, seed: SMALL.seed });
  const table = takeTableRows(dataset.table, split.train), y = takeValues(dataset.y, split.train);
  // ml-logistic-regression shares logistic's preparation fits (imbalance aside) when they run in one batch.
  const specs = chooseCandidates(["ml-logistic-regression", "logistic", "gbt"]);
  const [a, b] = planFoldBatches(specs, 3, 2);
  // Run the lanes in reverse order, each reversed: outcomes arrive in another order than the plan's.
  const outcomes: FoldOutcome[] = [
    ...trainFoldBatch({ specs, table, y, folds: 3, seed: SMALL.seed, units: [...b].reverse() }),
    ...trainFoldBatch({ specs, table, y, folds: 3, seed: SMALL.seed, units: [...a].reverse() }),
  ];
  specs.forEach((spec, c) => {
    const batched = assembleCandidate(spec, c, outcomes, y, 3, SMALL.seed);
    const alone = trainCandidate({ spec, table, y, folds: 3, seed: SMALL.seed });
    assert.deepEqual(batched.oof, alone.oof);
    assert.deepEqual(batched.cv, alone.cv);
    assert.equal(JSON.stringify(batched.fitted), JSON.stringify(alone.fitted));
    assert.ok(batched.oof.every((p) => p > 0 && p < 1), "every training row has an out-of-fold probability");
  });
  assert.throws(
    () => assembleCandidate(specs[1], 1, outcomes.filter((o) => o.unit.fold !== 1), y, 3, SMALL.seed),
    { name: "ModelError", message: /logistic: 2 of 3 folds and 1 refit done/ },
  );
});

Deno.test("--monotone reaches the gbt candidate: its scores never rise with recency or fall with frequency", async () => {
  const options = { ...SMALL, candidates: ["gbt"], monotone: { recency_days: -1, frequency: 1 } };
  const { results, dataset, split } = await runPipeline(options, plainRunner);
  const fitted = FittedCandidate.fromJSON(results[0].fitted);
  const X = fitted.design(takeTableRows(dataset.table, split.test));
  const random = createRandom(4);
  for (const [name, direction] of [["recency_days", -1], ["frequency", 1]] as const) {
    const col = X.names.indexOf(name);
    let worst = 0;
    for (let r = 0; r < 100; r++) {
      const start = Math.floor(random.next() * X.rows) * X.cols;
      const row = Array.from(X.data.subarray(start, start + X.cols));
      let previous = direction * -Infinity;
      for (let v = 0; v <= 400; v += 4) {
        row[col] = v;
        const z = fitted.model.rowLogOdds(row);
        worst = Math.max(worst, direction * (previous - z));
        previous = z;
      }
    }
    assert.equal(worst, 0, `${name} breaks its constraint by ${worst}`);
  }
});

Deno.test("--monotone on a categorical or unknown feature stops before training, naming it", async () => {
  await assert.rejects(
    runPipeline({ ...SMALL, candidates: ["gbt"], monotone: { preferred_channel: 1 } }, plainRunner),
    /--monotone: "preferred_channel" is not a numeric feature \(numeric features: recency_days, /,
  );
});
