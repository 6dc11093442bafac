import assert from "node:assert/strict";
import { WoeEncoder } from "../../src/prep/woe.ts";
import { cat, labels, num, roundTrip, table, values } from "./helpers.ts";

const LN3 = Math.log(3);
const train = table({
  x: num(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
  c: cat("a", "a", "a", "a", "a", "b", "b", "b", "b", "b"),
});
const y = labels(0, 0, 0, 1, 0, 1, 1, 0, 1, 1);
const options = { method: "quantile", bins: 2, minBinShare: 0, minLevelCount: 1 } as const;

Deno.test("WoE encoding replaces values by their bin's WoE; unknowns and missing follow the fitted rules", () => {
  const encoder = WoeEncoder.fit(train, y, options);
  const out = encoder.transform(table({ x: num(0, 5.5, 5.6, 1e9, NaN), c: cat("a", "b", "zz", null, "b") }));
  const close = (actual: readonly unknown[], expected: number[]) =>
    expected.forEach((e, i) => assert.ok(Math.abs((actual[i] as number) - e) < 1e-12, `${actual[i]} vs ${e}`));
  close(values(out, "x"), [-LN3, -LN3, LN3, LN3, -LN3]);
  // "a" and "b" tie on count; the mode (and so the unknown/missing bin) is the smaller level, "a".
  close(values(out, "c"), [-LN3, LN3, -LN3, -LN3, LN3]);
});

Deno.test("binOf gives the bin index by the encoding's rules", () => {
  const encoder = WoeEncoder.fit(train, y, options);
  assert.deepEqual([0, 5.5, 5.6, NaN, "7"].map((v) => encoder.binOf("x", v)), [0, 0, 1, 0, 1]);
  assert.deepEqual(["a", "b", "zz", null].map((v) => encoder.binOf("c", v)), [0, 1, 0, 0]);
  assert.throws(() => encoder.binOf("nope", 1), /no binning was fitted for feature "nope"/);
});

Deno.test("IV table is sorted by IV with bands", () => {
  const encoder = WoeEncoder.fit(
    // noise: each value holds half of its rows as events, like the population, so its IV is exactly 0.
    table({ ...train.columns, noise: num(1, 1, 2, 1, 2, 1, 2, 2, 2, 2) }),
    y,
    options,
  );
  const ivs = encoder.ivTable();
  assert.deepEqual(ivs.map((e) => e.feature), ["c", "x", "noise"]);
  assert.ok(Math.abs(ivs[1].iv - LN3) < 1e-12);
  assert.equal(ivs[0].band, "suspicious");
  assert.equal(ivs[2].iv, 0);
  assert.equal(ivs[2].band, "useless");
});

Deno.test("WoE encoder JSON round trip gives identical output; labels are checked", () => {
  const encoder = WoeEncoder.fit(train, y, { method: "monotonic" });
  const copy = WoeEncoder.fromJSON(roundTrip(encoder));
  const probe = table({ x: num(-3, 4.5, NaN, 100), c: cat(null, "b", "q", "a") });
  assert.deepEqual(copy.transform(probe), encoder.transform(probe));
  assert.throws(() => WoeEncoder.fit(train, labels(0, 1)), /2 entries but the table has 10 rows/);
  assert.throws(() => WoeEncoder.fit(train, labels(0, 1, 2, 0, 0, 0, 0, 0, 0, 0)), /labels must be 0 or 1/);
});
