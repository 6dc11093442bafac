import assert from "node:assert/strict";
import { ivBand, weightOfEvidence } from "../../src/prep/evidence.ts";

Deno.test("WoE = ln(%events / %non-events) with 0.5 smoothing; IV sums the contributions", () => {
  // Expected values computed independently (Python, math.log) from the seed's formula.
  const { woe, ivContributions, iv } = weightOfEvidence([10, 30], [40, 20]);
  assert.ok(Math.abs(woe[0] - -0.9526249194800123) < 1e-15);
  assert.ok(Math.abs(woe[1] - 0.7946035949380069) < 1e-15);
  assert.ok(Math.abs(iv - 0.7125842002024707) < 1e-15);
  assert.ok(Math.abs(ivContributions[0] + ivContributions[1] - iv) < 1e-15);
  assert.ok(woe[1] > 0, "the bin with the higher event rate has a positive WoE");
});

Deno.test("pure and empty bins get the smoothed WoE: 0.5 added to every cell", () => {
  // 5 events and 5 non-events over 3 bins: each share is (count + 0.5) / (5 + 1.5), so a pure
  // bin has shares 0.5/6.5 and 5.5/6.5, WoE = ±ln(5.5 / 0.5) = ±ln 11, and the empty bin 0.
  // IV = 2 · (10/13) · ln 11.
  const { woe, ivContributions, iv } = weightOfEvidence([0, 5, 0], [5, 0, 0]);
  assert.ok(Math.abs(woe[0] - -Math.log(11)) < 1e-15);
  assert.ok(Math.abs(woe[1] - Math.log(11)) < 1e-15);
  assert.equal(woe[2], 0);
  assert.ok(Math.abs(ivContributions[0] - (10 / 13) * Math.log(11)) < 1e-15);
  assert.ok(Math.abs(iv - (20 / 13) * Math.log(11)) < 1e-14);
});

Deno.test("IV bands", () => {
  assert.deepEqual([0.01, 0.05, 0.2, 0.4, 0.8].map(ivBand), ["useless", "weak", "medium", "strong", "suspicious"]);
});
