import assert from "node:assert/strict";
import { type FeatureBinning, fitBinning, numericBinIndex } from "../../src/prep/binning.ts";
import { OTHER_LEVEL } from "../../src/prep/levels.ts";

const LN3 = Math.log(3);
const close = (a: number, b: number, tolerance = 1e-12) => assert.ok(Math.abs(a - b) < tolerance, `${a} vs ${b}`);

function numeric(values: number[]) {
  return { kind: "numeric" as const, values: Float64Array.from(values) };
}

/** Rows whose event pattern per block of 10 follows `rates` (events first in each block). */
function blocks(rates: number[]) {
  const values: number[] = [];
  const y: number[] = [];
  rates.forEach((rate, b) => {
    for (let k = 0; k < 10; k++) {
      values.push(b * 10 + k);
      y.push(k < rate * 10 ? 1 : 0);
    }
  });
  return { column: numeric(values), y: Uint8Array.from(y) };
}

const rates = (b: FeatureBinning) => b.bins.map((bin) => bin.eventRate);

Deno.test("quantile binning: hand-checked cuts, counts, WoE and IV", () => {
  const y = Uint8Array.from([0, 0, 0, 1, 0, 1, 1, 0, 1, 1]);
  const binning = fitBinning("x", numeric([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), y, {
    method: "quantile",
    bins: 2,
    minBinShare: 0,
  });
  assert.deepEqual(binning.cuts, [5.5]);
  assert.deepEqual(binning.bins.map((b) => [b.label, b.count, b.events, b.eventRate]), [
    ["(-inf, 5.5]", 5, 1, 0.2],
    ["(5.5, inf)", 5, 4, 0.8],
  ]);
  // %events = (1 + .5) / (5 + 1) = .25 and %non-events = .75 in the first bin: WoE = ln(1/3), IV = ln 3.
  close(binning.bins[0].woe, -LN3);
  close(binning.bins[1].woe, LN3);
  close(binning.iv, LN3);
  close(binning.bins[0].iv + binning.bins[1].iv, binning.iv);
  assert.equal(binning.missingBin, 0, "missing values go to the median's bin when train had none");
});

Deno.test("ties stay in one bin and small bins merge into the neighbour with the closer event rate", () => {
  const values = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2];
  const y = Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  const split = fitBinning("x", numeric(values), y, { method: "quantile", bins: 4, minBinShare: 0 });
  assert.deepEqual(split.bins.map((b) => b.count), [8, 2], "all zeros share a bin");
  const merged = fitBinning("x", numeric(values), y, { method: "quantile", bins: 4, minBinShare: 0.3 });
  assert.deepEqual(merged.bins.map((b) => b.count), [10]);
});

Deno.test("monotonic binning pools adjacent violators (known result) and keeps the direction", () => {
  const { column, y } = blocks([0.1, 0.2, 0.1, 0.4, 0.5, 0.4, 0.7, 0.8, 0.7, 0.9]);
  const binning = fitBinning("x", column, y, { method: "monotonic", preBins: 10, bins: 10, minBinShare: 0 });
  assert.deepEqual(rates(binning), [0.1, 0.15, 0.4, 0.45, 0.7, 0.75, 0.9]);
  assert.deepEqual(binning.bins.map((b) => b.count), [10, 20, 10, 20, 10, 20, 10]);
  // Cuts are type-7 quantiles of 0..99 at the pooled deciles: 9.9, 29.7, ...
  [9.9, 29.7, 39.6, 59.4, 69.3, 89.1].forEach((cut, i) => close(binning.cuts![i], cut));

  const down = blocks([0.9, 0.7, 0.8, 0.7, 0.5, 0.4, 0.5, 0.2, 0.1, 0.2]);
  const decreasing = fitBinning("x", down.column, down.y, {
    method: "monotonic",
    preBins: 10,
    bins: 10,
    minBinShare: 0,
  });
  assert.deepEqual(rates(decreasing), [0.9, 0.75, 0.7, 0.5, 0.45, 0.2, 0.15]);
});

Deno.test("monotonic binning respects the bin limit, stays monotonic and keeps most of the IV", () => {
  const { column, y } = blocks([0.1, 0.2, 0.1, 0.4, 0.5, 0.4, 0.7, 0.8, 0.7, 0.9]);
  const full = fitBinning("x", column, y, { method: "monotonic", preBins: 10, bins: 10, minBinShare: 0 });
  const three = fitBinning("x", column, y, { method: "monotonic", preBins: 10, bins: 3, minBinShare: 0 });
  assert.equal(three.bins.length, 3);
  assert.ok(rates(three).every((r, i, all) => i === 0 || r >= all[i - 1]));
  // Not "<= full.iv": the 0.5 smoothing per bin makes IVs with different bin counts not strictly nested.
  assert.ok(three.iv > 0.8 * full.iv, `${three.iv} vs ${full.iv}`);
});

Deno.test("missing values get their own bin", () => {
  const values = [1, 2, 3, 4, NaN, NaN];
  const y = Uint8Array.from([0, 0, 1, 1, 1, 1]);
  const binning = fitBinning("x", numeric(values), y, { method: "quantile", bins: 2, minBinShare: 0 });
  assert.deepEqual(binning.bins.map((b) => [b.label, b.count, b.events]), [
    ["(-inf, 2.5]", 2, 0],
    ["(2.5, inf)", 2, 2],
    ["missing", 2, 2],
  ]);
  assert.equal(binning.missingBin, 2);
  assert.equal(binning.bins[2].missing, true);
});

Deno.test("numericBinIndex: right-closed bins and the missing bin", () => {
  const cuts = Float64Array.from([1, 5]);
  assert.deepEqual([0, 1, 1.5, 5, 9, NaN].map((v) => numericBinIndex(cuts, 3, v)), [0, 0, 1, 1, 2, 3]);
});

Deno.test("categorical binning: levels ordered by event rate, rare levels pooled, unknown to the pooled bin", () => {
  const levels: (string | null)[] = [];
  const y: number[] = [];
  const add = (level: string | null, n: number, events: number) => {
    for (let k = 0; k < n; k++) {
      levels.push(level);
      y.push(k < events ? 1 : 0);
    }
  };
  add("b", 20, 10);
  add("c", 20, 18);
  add("a", 20, 2);
  add("d", 3, 3);
  add("e", 2, 0);
  const binning = fitBinning("c", { kind: "categorical", values: levels }, Uint8Array.from(y), {
    method: "quantile",
    minLevelCount: 10,
  });
  assert.deepEqual(binning.bins.map((b) => [b.levels, b.count, b.events]), [
    [["a"], 20, 2],
    [["b"], 20, 10],
    [[OTHER_LEVEL], 5, 3],
    [["c"], 20, 18],
  ]);
  assert.equal(binning.unknownBin, 2);
  assert.equal(binning.missingBin, 0, "no missing on train: the mode's bin (ties: smallest level)");
  const monotonic = fitBinning("c", { kind: "categorical", values: [...levels, null] }, Uint8Array.from([...y, 1]), {
    method: "monotonic",
    bins: 2,
    minLevelCount: 10,
  });
  // Greedy least-IV-loss merging (checked by hand in Python): b+(other) first, then with c.
  assert.deepEqual(monotonic.bins.map((b) => b.levels ?? "missing"), [["a"], ["b", OTHER_LEVEL, "c"], "missing"]);
  assert.equal(monotonic.missingBin, 2);
});

Deno.test("binning rejects empty columns and bad options", () => {
  assert.throws(() => fitBinning("x", numeric([]), new Uint8Array()), /cannot bin an empty column/);
  assert.throws(() => fitBinning("x", numeric([1]), Uint8Array.of(1), { bins: 0 }), /bins must be a positive/);
  assert.throws(
    () => fitBinning("x", numeric([1]), Uint8Array.of(1), { method: "tree" as "seed" }),
    /unknown binning method "tree"/,
  );
});
