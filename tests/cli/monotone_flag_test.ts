import assert from "node:assert/strict";
import { parseMonotone, trainOptionsFromFlags } from "../../src/cli/train_flags.ts";

Deno.test("--monotone: name=±1 pairs into TrainOptions; a malformed entry is a usage error naming it", () => {
  assert.deepEqual(trainOptionsFromFlags({ monotone: "recency_days=-1, frequency=+1,tenure_days=0" }).monotone, {
    recency_days: -1,
    frequency: 1,
    tenure_days: 0,
  });
  assert.equal(trainOptionsFromFlags({}).monotone, undefined);
  for (const bad of ["recency_days", "recency_days=2", "=1", "frequency=up"]) {
    assert.throws(() => parseMonotone(bad), (e: Error) => e.name === "UsageError" && e.message.includes(`"${bad}"`));
  }
});
