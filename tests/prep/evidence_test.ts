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

Deno.test("pure and empty bins keep finite WoE", () => {
  const { woe, iv } = weightOfEvidence([0, 5, 0], [5, 0, 0]);
  assert.ok([...woe].every(Number.isFinite) && Number.isFinite(iv));
  assert.equal(woe[2], 0);
});

Deno.test("IV bands", () => {
  assert.deepEqual([0.01, 0.05, 0.2, 0.4, 0.8].map(ivBand), ["useless", "weak", "medium", "strong", "suspicious"]);
});
