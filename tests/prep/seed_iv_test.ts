import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { tableFromFrame } from "../../src/data/frame.ts";
import type { NumericColumn } from "../../src/data/table.ts";
import { fitBinning } from "../../src/prep/binning.ts";
import { pearson } from "../../src/stats/descriptive.ts";

const frame = pl.readCSV("../shared/data/seed/features.csv");
const table = tableFromFrame(frame);
const y = Uint8Array.from((table.columns.label as NumericColumn).values);
const column = (name: string) => table.columns[name] as NumericColumn;

// The seed project's figures (issue 3), 12 decimals.
const SEED_IV: Record<string, number> = {
  recency_days: 1.715742870277,
  frequency: 5.761724924678,
  monetary: 1.755934071281,
  avg_amount: 0.048004858704,
  qty_mean: 0.194588294091,
  tenure_days: 0.200119519192,
};

Deno.test("the seed IV method reproduces the seed's values to 1e-9", () => {
  assert.equal(table.rows, 1000);
  assert.equal(y.reduce((a, b) => a + b, 0), 339);
  for (const [feature, expected] of Object.entries(SEED_IV)) {
    const binning = fitBinning(feature, column(feature), y, { method: "seed", bins: 6 });
    assert.ok(Math.abs(binning.iv - expected) < 1e-9, `${feature}: ${binning.iv} vs ${expected}`);
    assert.deepEqual(binning.bins.map((b) => b.count), [167, 167, 166, 167, 166, 167], feature);
  }
});

Deno.test("seed IV of channels: the issue's 0.197683337524 is not reachable by any tie order", () => {
  // channels takes 3 values (15 / 177 / 808 rows); ranks ties by row order, like pandas rank("first").
  // The figure for it cannot be reproduced: 0.3554 with row order, and random tie orders give
  // 0.30-0.44 (measured over 2,000 permutations). Pinned here so that a change is noticed; see the report.
  const binning = fitBinning("channels", column("channels"), y, { method: "seed", bins: 6 });
  assert.ok(Math.abs(binning.iv - 0.355352372889) < 1e-9, `${binning.iv}`);
});

Deno.test("no pair of the seed features has |r| > 0.9", () => {
  const features = [...Object.keys(SEED_IV), "channels"];
  let max = 0;
  for (let i = 0; i < features.length; i++) {
    for (let j = i + 1; j < features.length; j++) {
      max = Math.max(max, Math.abs(pearson(column(features[i]).values, column(features[j]).values)));
    }
  }
  assert.ok(max > 0.3 && max < 0.9, `max |r| = ${max}`);
});
