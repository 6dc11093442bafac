import assert from "node:assert/strict";
import { heldoutSample, parseHeldoutSample } from "../../src/pipeline/heldout_sample.ts";
import type { Dataset } from "../../src/pipeline/dataset.ts";

const dataset = {
  table: {
    rows: 6,
    columns: {
      recency: { kind: "numeric", values: Float64Array.of(1, NaN, 3, 4, 5, 6) },
      channel: { kind: "categorical", values: ["web", null, "store", "web", "app", "web"] },
    },
  },
  y: Uint8Array.of(0, 1, 0, 1, 1, 0),
} as unknown as Dataset;
const split = { train: Uint32Array.of(0, 2), test: Uint32Array.of(1, 3, 4, 5), fixed: false };

Deno.test("held-out sample: the test rows with missing values kept, read back exactly", () => {
  const sample = parseHeldoutSample(JSON.stringify(heldoutSample(dataset, split)), "t");
  assert.equal(sample.testRows, 4);
  assert.deepEqual([...sample.labels], [1, 1, 1, 0]);
  assert.deepEqual([...(sample.table.columns.recency.values as Float64Array)], [NaN, 4, 5, 6]);
  assert.deepEqual(sample.table.columns.channel, { kind: "categorical", values: [null, "web", "app", "web"] });
});

Deno.test("held-out sample: above the cap, evenly spaced test rows", () => {
  const json = heldoutSample(dataset, split, 2);
  assert.equal(json.testRows, 4);
  // Test rows 1, 3, 4, 5 -> positions 0 and 2 -> rows 1 and 4.
  assert.deepEqual(json.columns.recency.values, [null, 5]);
  assert.deepEqual(json.labels, [1, 1]);
});

Deno.test("held-out sample: a malformed file is an error naming its source and the problem", () => {
  const good = heldoutSample(dataset, split);
  assert.throws(() => parseHeldoutSample("{", "run r1"), /^DataError: run r1: the held-out sample is not JSON/);
  assert.throws(() => parseHeldoutSample("{}", "run r1"), /run r1: not a held-out sample of format heldout-sample\/1/);
  assert.throws(
    () => parseHeldoutSample(JSON.stringify({ ...good, labels: [1, 2, 0, 0] }), "run r1"),
    /run r1: label of row 2 is 2, not 0 or 1/,
  );
  assert.throws(
    () =>
      parseHeldoutSample(
        JSON.stringify({ ...good, columns: { ...good.columns, recency: { kind: "numeric", values: [1] } } }),
        "run r1",
      ),
    /run r1: column recency does not have 4 values/,
  );
});
