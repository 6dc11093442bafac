import assert from "node:assert/strict";
import { FeatureSelection } from "../../src/prep/selection.ts";
import { cat, num, roundTrip, table } from "./helpers.ts";

const x = [1, 2, 3, 4, 5, 6];
const t = table({
  a: num(...x),
  b: num(...x.map((v) => 2 * v + (v === 3 ? 0.5 : 0))),
  c: num(6, 1, 5, 2, 4, 3),
  k: num(7, 7, 7, 7, 7, 7),
  g: cat("u", "v", "u", "v", "u", "v"),
  weak: num(1, 3, 2, 1, 3, 2),
});

Deno.test("selection: constant out, lower-IV twin out, IV threshold, every decision with its reason", () => {
  const selection = FeatureSelection.fit(t, { a: 0.3, b: 0.5, c: 0.2, k: 0, g: 0.1, weak: 0.01 });
  assert.deepEqual(selection.kept, ["b", "c", "g"]);
  assert.deepEqual(selection.decisions.map((d) => [d.feature, d.decision]), [
    ["a", "drop"],
    ["b", "keep"],
    ["c", "keep"],
    ["k", "drop"],
    ["g", "keep"],
    ["weak", "drop"],
  ]);
  const reason = (f: string) => selection.decisions.find((d) => d.feature === f)!.reason;
  assert.match(reason("a"), /^\|r\| = 0\.99\d > 0\.9 with b, which has the higher IV \(0\.5000 >= 0\.3000\)$/);
  assert.equal(reason("k"), "constant on train (always 7)");
  assert.equal(reason("weak"), "IV 0.0100 < 0.02");
  assert.equal(reason("b"), "IV 0.5000 >= 0.02");
});

Deno.test("selection thresholds are configurable and the IV filter never empties the set", () => {
  const loose = FeatureSelection.fit(t, { a: 0.3, b: 0.5, c: 0.2, g: 0.1, weak: 0.01 }, {
    maxCorrelation: 1,
    minIv: 0,
  });
  assert.deepEqual(loose.kept, ["a", "b", "c", "g", "weak"]);
  const allWeak = FeatureSelection.fit(table({ a: num(1, 2, 3), c: num(3, 1, 2) }), { a: 0.001, c: 0.005 });
  assert.deepEqual(allWeak.kept, ["c"]);
  assert.match(allWeak.decisions[1].reason, /kept as the highest-IV feature/);
});

Deno.test("selection on degenerate data: all constant is an error; one row is all constant", () => {
  assert.throws(
    () => FeatureSelection.fit(table({ k: num(1, 1), g: cat(null, null) }), {}),
    /every feature is constant/,
  );
  assert.throws(() => FeatureSelection.fit(table({ a: num(5) }), { a: 1 }), /every feature is constant/);
  const withGaps = FeatureSelection.fit(table({ a: num(NaN, NaN, NaN), b: num(1, 2, NaN) }), { b: 0.1 });
  assert.deepEqual(withGaps.decisions[0], { feature: "a", decision: "drop", reason: "no value on train" });
  const imputed = table({ a: num(2, 2, 2), b: num(1, 2, 3) });
  const source = table({ a: num(2, NaN, 2), b: num(1, 2, 3) });
  const described = FeatureSelection.fit(imputed, { b: 0.1 }, { source });
  assert.equal(described.decisions[0].reason, "constant on train (always 2, 1 missing)");
  assert.deepEqual(
    FeatureSelection.fit(table({ a: num(2, NaN, 2), b: num(1, 2, 3) }), { a: 0.5, b: 0.1 }).kept,
    ["a", "b"],
    "a missing value is a value of its own until imputation",
  );
});

Deno.test("selection JSON round trip and transform", () => {
  const selection = FeatureSelection.fromJSON(roundTrip(FeatureSelection.fit(t, { a: 0.3, b: 0.5, c: 0.2, g: 0.1 })));
  assert.deepEqual(Object.keys(selection.transform(t).columns), ["b", "c", "g"]);
});
