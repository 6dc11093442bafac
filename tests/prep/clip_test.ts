import assert from "node:assert/strict";
import { Clipper } from "../../src/prep/clip.ts";
import { cat, num, roundTrip, table, values } from "./helpers.ts";

const ramp = Float64Array.from({ length: 101 }, (_, i) => i);

Deno.test("quantile clipping: bounds at the 1st and 99th percentile, clip counts on train", () => {
  const train = table({ x: { kind: "numeric", values: ramp }, c: cat(...Array(101).fill("a")) });
  const clipper = Clipper.fit(train);
  assert.deepEqual(clipper.bounds, [{ feature: "x", lower: 1, upper: 99, clippedLow: 1, clippedHigh: 1 }]);
  assert.deepEqual(values(clipper.transform(table({ x: num(-5, 50, 1000, NaN) })), "x"), [1, 50, 99, NaN]);
});

Deno.test("IQR fences: Q1 - 1.5 IQR and Q3 + 1.5 IQR", () => {
  const clipper = Clipper.fit(table({ x: num(1, 2, 3, 4, 100) }), { method: "iqr" });
  assert.deepEqual(clipper.bounds, [{ feature: "x", lower: -1, upper: 7, clippedLow: 0, clippedHigh: 1 }]);
  assert.deepEqual(values(clipper.transform(table({ x: num(1, 100, -9) })), "x"), [1, 7, -1]);
  const wider = Clipper.fit(table({ x: num(1, 2, 3, 4, 100) }), { method: "iqr", k: 3 });
  assert.equal(wider.bounds[0].upper, 10);
});

Deno.test("clipping leaves flags, constant-fence and empty features alone, with the reason", () => {
  const flag = Float64Array.from({ length: 200 }, (_, i) => (i === 0 ? 1 : 0));
  const mostlyZero = Float64Array.from({ length: 200 }, (_, i) => (i < 3 ? i + 5 : 0));
  const clipper = Clipper.fit(
    table({
      flag: { kind: "numeric", values: flag },
      mostlyZero: { kind: "numeric", values: mostlyZero },
      empty: { kind: "numeric", values: new Float64Array(200).fill(NaN) },
    }),
    { method: "iqr" },
  );
  assert.deepEqual(clipper.bounds.map((b) => b.skipped), [
    "2 distinct values on train",
    "fences collapse to 0",
    "no values on train",
  ]);
  assert.equal(clipper.kernel("flag"), undefined);
});

Deno.test("clipper JSON round trip and bad quantiles", () => {
  const clipper = Clipper.fit(table({ x: { kind: "numeric", values: ramp } }), { lower: 0.05, upper: 0.9 });
  const copy = Clipper.fromJSON(roundTrip(clipper));
  const probe = table({ x: num(-1, 4, 50, 95) });
  assert.deepEqual(values(copy.transform(probe), "x"), [5, 5, 50, 90]);
  assert.throws(() => Clipper.fit(table({ x: num(1, 2) }), { lower: 0.9, upper: 0.1 }), /0 <= lower < upper <= 1/);
});
