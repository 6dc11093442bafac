/**
 * Packed quantized gradients: the bit budget, exact decoding of packed sums
 * at the budget's worst case, and the packed histogram kernel against a
 * plain per-bin sum.
 */
import assert from "node:assert/strict";
import { createRandom } from "../../src/stats/random.ts";
import { packScale, quantizationBits, unpackSums } from "../../src/models/gbt/quantize.ts";
import { buildHistogram, featureBins, histogramLayout } from "../../src/models/gbt/histogram.ts";

const pack = (g: number, h: number, s: ReturnType<typeof packScale>) =>
  Math.floor(g * s.gStep + 0.5) * s.K + Math.floor(h * s.hStep + 0.5);

Deno.test("quantize: bits per value shrink with the row count; too many rows is an error naming the count", () => {
  assert.equal(quantizationBits(62_445), 10);
  assert.equal(quantizationBits(1_000_000), 6);
  assert.equal(quantizationBits(2 ** 22 - 1), 4);
  assert.throws(() => quantizationBits(2 ** 22), /4194304 training rows leave 3 bits/);
});

Deno.test("quantize: packed sums decode exactly at the budget's extremes and near the exact sums on random rows", () => {
  for (const rows of [1, 1000, 62_445, 2 ** 22 - 1]) {
    const s = packScale(rows, 2, 0.5);
    // Every row at the gradient's lower bound and the hessian's upper bound: the largest |sum|.
    const [gLow, hHigh] = unpackSums(rows * pack(-2, 0.5, s), s);
    assert.equal(gLow, -rows * Math.floor(2 * s.gStep + 0.5) * s.gUnit, `${rows} rows, g`);
    assert.equal(hHigh, rows * Math.floor(0.5 * s.hStep + 0.5) * s.hUnit, `${rows} rows, h`);
    const [gHigh, hLow] = unpackSums(rows * pack(2, 0, s), s);
    assert.equal(gHigh, rows * Math.floor(2 * s.gStep + 0.5) * s.gUnit);
    assert.equal(hLow, 0);
  }
  const random = createRandom(5);
  const rows = 50_000, s = packScale(rows, 1, 0.25);
  let total = 0, G = 0, H = 0;
  for (let i = 0; i < rows; i++) {
    const g = random.next() * 2 - 1, h = random.next() * 0.25;
    total += pack(g, h, s);
    G += g;
    H += h;
  }
  const [g, h] = unpackSums(total, s);
  // Round-to-nearest errors are at most half a unit per row and mostly cancel.
  assert.ok(Math.abs(g - G) < 0.01 * rows * s.gUnit && Math.abs(h - H) < 0.01 * rows * s.hUnit, `${g} vs ${G}`);
});

Deno.test("histogram: the packed kernel equals a per-bin sum of the rows, dense and sparse features alike", () => {
  const random = createRandom(9);
  const rows = 3000;
  // Feature 0 dense (uniform over 40 bins), 1 sparse (80% in bin 2 of 5, missing code 5), 2 one-hot (2 bins).
  const valueBins = new Int32Array([40, 5, 2]);
  const columns = new Uint8Array(3 * rows);
  for (let i = 0; i < rows; i++) {
    columns[i] = Math.floor(random.next() * 41);
    columns[rows + i] = random.next() < 0.8 ? 2 : Math.floor(random.next() * 6);
    columns[2 * rows + i] = random.next() < 0.9 ? 0 : 1;
  }
  const { offsets, size } = histogramLayout(valueBins);
  const bins = featureBins(columns, rows, valueBins, offsets);
  assert.deepEqual(Array.from(bins.sparse), [1, 2]);
  const s = packScale(rows, 1, 0.25);
  const packed = Float64Array.from({ length: rows }, () => pack(random.next() * 2 - 1, random.next() * 0.25, s));
  const order = Uint32Array.from({ length: rows }, (_, i) => i).filter(() => random.next() < 0.6);
  const hist = new Float64Array(size);
  const total = buildHistogram(hist, bins, offsets, order, 0, order.length, packed);
  const expected = new Float64Array(size);
  let expectedTotal = 0;
  for (const r of order) {
    expectedTotal += packed[r];
    for (let f = 0; f < 3; f++) expected[offsets[f] + columns[f * rows + r]] += packed[r];
  }
  assert.equal(total, expectedTotal);
  assert.deepEqual(hist, expected);
});
