import assert from "node:assert/strict";
import { fitYeoJohnsonLambda, SkewTransformer, yeoJohnson, yeoJohnsonLogLikelihood } from "../../src/prep/skew.ts";
import { moments } from "../../src/stats/descriptive.ts";
import { num, roundTrip, table, values } from "./helpers.ts";

const skewed = Float64Array.from({ length: 100 }, (_, i) => Math.exp(i / 10));

Deno.test("log1p is chosen for a right-skewed non-negative feature and lowers the skewness", () => {
  const transformer = SkewTransformer.fit(table({ x: { kind: "numeric", values: skewed } }));
  const [entry] = transformer.entries;
  assert.equal(entry.transform, "log1p");
  assert.equal(entry.skewness, moments(skewed).skewness);
  assert.ok(entry.skewness > 2 && Math.abs(entry.skewnessAfter) < 0.1, `${entry.skewness} -> ${entry.skewnessAfter}`);
  assert.deepEqual(values(transformer.transform(table({ x: num(Math.E - 1, -5, NaN) })), "x"), [1, 0, NaN]);
});

Deno.test("log1p is not chosen below the threshold, for negative values or for a left skew", () => {
  const t = table({
    mild: num(1, 2, 3, 4, 5, 6, 7, 8),
    negative: num(-1, 0, 0, 0, 0, 0, 0, 50),
    left: num(0, 50, 50, 50, 50, 50, 50, 50),
  });
  const reasons = SkewTransformer.fit(t).entries.map((e) => [e.transform, e.reason.split(" ")[0]]);
  assert.deepEqual(reasons, [["none", "|skewness|"], ["none", "skewness"], ["none", "left-skewed"]]);
  const strict = SkewTransformer.fit(table({ x: num(1, 2, 3, 4, 10) }), { threshold: 0.5 });
  assert.equal(strict.entries[0].transform, "log1p");
});

Deno.test("Yeo-Johnson values at known points", () => {
  assert.ok(Math.abs(yeoJohnson(3, 0.5) - 2) < 1e-15);
  assert.ok(Math.abs(yeoJohnson(3, 2) - 7.5) < 1e-14, "((3 + 1)^2 - 1) / 2");
  assert.ok(Math.abs(yeoJohnson(-3, 0.5) - -14 / 3) < 1e-12);
  assert.equal(yeoJohnson(3, 0), Math.log1p(3));
  assert.equal(yeoJohnson(-3, 2), -Math.log1p(3));
  assert.ok(Math.abs(yeoJohnson(-2.5, 1) - -2.5) < 1e-15);
});

Deno.test("Yeo-Johnson λ maximises the likelihood (checked against a fine grid)", () => {
  const data = Float64Array.from([...skewed.subarray(0, 60)].map((v, i) => (i % 7 === 0 ? -v / 10 : v)));
  const lambda = fitYeoJohnsonLambda(data);
  const likelihood = yeoJohnsonLogLikelihood(data);
  let best = -3;
  for (let l = -3; l <= 3; l += 0.001) {
    if (likelihood(l) > likelihood(best)) best = l;
  }
  assert.ok(Math.abs(lambda - best) < 0.002, `${lambda} vs grid ${best}`);
  const t = SkewTransformer.fit(table({ x: { kind: "numeric", values: data } }), { method: "yeo-johnson" });
  assert.equal(t.entries[0].transform, "yeo-johnson");
  assert.equal(t.entries[0].lambda, lambda);
  assert.ok(Math.abs(t.entries[0].skewnessAfter) < Math.abs(t.entries[0].skewness));
});

Deno.test("skew transformer JSON round trip gives identical output", () => {
  const t = table({ x: { kind: "numeric", values: skewed } });
  const transformer = SkewTransformer.fit(t, { method: "yeo-johnson" });
  const copy = SkewTransformer.fromJSON(roundTrip(transformer));
  assert.deepEqual(copy.transform(t), transformer.transform(t));
});
