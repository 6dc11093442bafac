/**
 * Version-1 bundles written before preparations became step lists keep
 * loading and scoring as they did. The fixtures were written by
 * `deno task train:plain` (default data and seed; `--candidates logistic` and
 * `--candidates scorecard` for the other two) at commit 19e9114, and
 * bundle_v1_scores.json holds what that commit's `Scorer.scoreRecords` returned
 * for 25 records (values across and beyond each training range, nulls, absent
 * fields, an unseen level), so these tests compare with the old code's answers.
 *
 * Reason codes changed meaning after that commit: the old code re-scored the
 * record with one field at a time set to the reference value; now each field
 * gets its exact additive contribution. For a model that is additive in its
 * fields (logistic regression, the WoE scorecard) the two are the same numbers,
 * so those bundles must give the old reasons; for trees they differ by the
 * interactions, and the gbt bundle is held to additivity instead.
 */
import assert from "node:assert/strict";
import { readBundle } from "../../src/bundle/bundle.ts";
import { FittedCandidate } from "../../src/bundle/fitted.ts";
import { Scorer, type ScoreResult } from "../../src/bundle/scorer.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const EXPECTED: Record<string, { records: unknown[]; results: ScoreResult[] }> = JSON.parse(
  Deno.readTextFileSync(new URL("bundle_v1_scores.json", FIXTURES)),
);

for (const name of ["bundle_v1", "bundle_v1_logistic", "bundle_v1_scorecard"]) {
  const path = new URL(`${name}.json`, FIXTURES).pathname;
  const additiveModel = name !== "bundle_v1";

  Deno.test(`${name}: scores, decisions and reason codes equal those of the version-1 code`, () => {
    const { records, results } = EXPECTED[name];
    const scored = new Scorer(readBundle(path)).scoreRecords(records, { reasons: 3 });
    assert.equal(scored.length, results.length);
    scored.forEach((got, i) => {
      const want = results[i];
      assert.ok(Math.abs(got.probability - want.probability) <= 1e-12, `record ${i}: probability`);
      assert.ok(Math.abs(got.score - want.score) <= 1e-9, `record ${i}: score`);
      assert.equal(got.decision, want.decision, `record ${i}: decision`);
      if (!additiveModel) return;
      assert.deepEqual(got.reasons.map((r) => [r.feature, r.value]), want.reasons.map((r) => [r.feature, r.value]));
      got.reasons.forEach((r, k) => assert.ok(Math.abs(r.points - want.reasons[k].points) <= 1e-9, `record ${i}`));
    });
    if (additiveModel) return;
    const all = new Scorer(readBundle(path)).scoreRecords(records, { reasons: "all" });
    all.forEach((got, i) => {
      const total = got.reasons.reduce((sum, r) => sum + r.points, 0);
      assert.ok(Math.abs(total - (got.score - got.baseline_score)) <= 1e-6, `record ${i}: reasons add up`);
    });
  });

  Deno.test(`${name}: the fitted candidate reads back and writes the same JSON`, () => {
    const bundle = readBundle(path);
    const again = FittedCandidate.fromJSON(bundle.fitted).toJSON();
    assert.equal(JSON.stringify(again), JSON.stringify(bundle.fitted));
  });
}
