/**
 * The reason codes' own invariants on real models of all four families,
 * trained on small synthetic data: on random customers every field's points
 * add up to `score − baseline_score`; a field equal to the reference adds
 * exactly 0; scoring a batch gives what scoring each record alone gives; the
 * baseline is the reference customer's own score.
 */
import assert from "node:assert/strict";
import { type ModelBundle, readBundle } from "../../src/bundle/bundle.ts";
import { Scorer } from "../../src/bundle/scorer.ts";
import { DEFAULT_TRAIN_OPTIONS } from "../../src/pipeline/options.ts";
import { train } from "../../src/pipeline/train.ts";
import { makeTestDir } from "../temp_dir.ts";

const FAMILIES = ["ml-logistic-regression", "logistic", "scorecard", "gbt"] as const;

const bundles = new Map<string, ModelBundle>();

async function bundleOf(candidate: string): Promise<ModelBundle> {
  let bundle = bundles.get(candidate);
  if (bundle === undefined) {
    const dir = await makeTestDir({ prefix: "reason-invariants-" });
    const summary = await train({
      ...DEFAULT_TRAIN_OPTIONS,
      customers: 400,
      transactions: 3200,
      candidates: [candidate],
      folds: 2,
      out: `${dir}/model`,
      cache: false,
    }, "plain");
    bundle = readBundle(summary.bundle);
    bundles.set(candidate, bundle);
    await Deno.remove(dir, { recursive: true });
  }
  return bundle;
}

/** Seeded random customers across (and a little beyond) each field's training range, some values missing. */
function randomRecords(bundle: ModelBundle, count: number, seed: number): Record<string, number | string | null>[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const record: Record<string, number | string | null> = {};
    for (const field of bundle.fields) {
      if (next() < 0.1) record[field.name] = null;
      else if (field.kind === "categorical") {
        const levels = field.levels ?? [];
        record[field.name] = levels[Math.floor(next() * levels.length)] ?? null;
      } else {
        const min = field.min ?? 0, max = field.max ?? 1;
        const value = min + (next() * 1.2 - 0.1) * (max - min);
        record[field.name] = field.nonNegative ? Math.max(0, value) : value;
      }
    }
    return record;
  });
}

for (const family of FAMILIES) {
  Deno.test(`${family}: on 200 random customers, all fields' points add up to score − baseline_score`, async () => {
    const bundle = await bundleOf(family);
    const scorer = new Scorer(bundle);
    const results = scorer.scoreRecords(randomRecords(bundle, 200, 7), { reasons: "all" });
    let nonZero = 0;
    for (const [i, result] of results.entries()) {
      assert.equal(result.reasons.length, scorer.features.length, `row ${i}: every field`);
      const sum = result.reasons.reduce((total, reason) => total + reason.points, 0);
      const gap = result.score - result.baseline_score;
      assert.ok(Math.abs(sum - gap) <= 1e-6, `row ${i}: reasons sum to ${sum}, score − baseline = ${gap}`);
      for (let k = 1; k < result.reasons.length; k++) {
        assert.ok(result.reasons[k - 1].points <= result.reasons[k].points, `row ${i}: ordered by points`);
      }
      if (Math.abs(gap) > 1e-6) nonZero++;
    }
    assert.ok(nonZero > 150, `most random customers differ from the reference (${nonZero} of 200)`);
  });

  Deno.test(`${family}: the baseline is the reference customer's score; a field at its reference adds 0`, async () => {
    const bundle = await bundleOf(family);
    const scorer = new Scorer(bundle);
    const reference = Object.fromEntries(bundle.fields.map((field) => [field.name, field.reference]));
    const [itself] = scorer.scoreRecords([reference], { reasons: "all" });
    assert.equal(itself.score, itself.baseline_score);
    assert.ok(itself.reasons.every((reason) => reason.points === 0));
    const used = scorer.features;
    for (const [i, record] of randomRecords(bundle, 40, 11).entries()) {
      const field = used[i % used.length];
      const [result] = scorer.scoreRecords([{ ...record, [field]: reference[field] }], { reasons: "all" });
      const reason = result.reasons.find((r) => r.feature === field)!;
      assert.equal(reason.points, 0, `row ${i}: ${field} at its reference value ${reference[field]}`);
      assert.equal(reason.reference_value, reference[field]);
    }
  });

  Deno.test(`${family}: a batch scores exactly as each record alone, with and without reasons`, async () => {
    const bundle = await bundleOf(family);
    const scorer = new Scorer(bundle);
    const records = randomRecords(bundle, 30, 13);
    for (const reasons of [0, 3, "all"] as const) {
      const batch = scorer.scoreRecords(records, { reasons });
      records.forEach((record, i) => assert.deepEqual(batch[i], scorer.scoreRecords([record], { reasons })[0]));
    }
    const without = scorer.scoreRecords(records, { reasons: 0 });
    const withReasons = scorer.scoreRecords(records, { reasons: 3 });
    records.forEach((_, i) => assert.equal(withReasons[i].score, without[i].score, `row ${i}: same score`));
  });
}

Deno.test("scorecard max_points: the points below each characteristic's best bin add up to score − max score", async () => {
  const bundle = await bundleOf("scorecard");
  const scorer = new Scorer(bundle);
  const best = Math.max(...scorer.scoreRecords(randomRecords(bundle, 300, 17), { reasons: 0 }).map((r) => r.score));
  for (
    const [i, result] of scorer.scoreRecords(randomRecords(bundle, 100, 19), {
      reasons: "all",
      method: "max_points",
    }).entries()
  ) {
    assert.ok(result.reasons.every((reason) => reason.points <= 1e-9), `row ${i}: no field beats its best bin`);
    const sum = result.reasons.reduce((total, reason) => total + reason.points, 0);
    assert.ok(Math.abs(sum - (result.score - result.baseline_score)) <= 1e-6, `row ${i}`);
  }
  assert.ok(scorer.baselineScore("max_points") >= best, "no customer scores above the maximum attainable");
});
