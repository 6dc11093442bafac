import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { parseDateColumns } from "../../src/eda/columns.ts";
import { summarizeColumns } from "../../src/eda/summary.ts";

Deno.test("numeric summary matches hand-computed statistics (pandas conventions)", () => {
  const frame = pl.DataFrame({ x: [1, 2, 3, 4, 10, null, NaN] });
  const [x] = summarizeColumns(frame);
  assert.equal(x.kind, "numeric");
  assert.equal(x.count, 5);
  assert.equal(x.missing, 2, "null and NaN are both missing");
  assert.equal(x.missingShare, 2 / 7);
  assert.equal(x.distinct, 5);
  const s = x.stats!;
  // Deviations from the mean 4: -3, -2, -1, 0, 6; squares sum to 50; sample variance 50 / 4.
  assert.equal(s.mean, 4);
  assert.ok(Math.abs(s.std! - Math.sqrt(12.5)) < 1e-12);
  assert.deepEqual([s.min, s.q25, s.median, s.q75, s.max], [1, 2, 3, 4, 10]);
  // m2 = 50/5 = 10, m3 = (-27 - 8 - 1 + 0 + 216)/5 = 36, g1 = 36 / 10^1.5, G1 = g1 * sqrt(5 * 4) / 3.
  assert.ok(Math.abs(s.skew! - (36 / 10 ** 1.5) * Math.sqrt(20) / 3) < 1e-12);
});

Deno.test("quantiles interpolate linearly between order statistics", () => {
  const [x] = summarizeColumns(pl.DataFrame({ x: [10, 20, 30, 40] }));
  assert.deepEqual([x.stats!.q25, x.stats!.median, x.stats!.q75], [17.5, 25, 32.5]);
});

Deno.test("categorical summary: counts, distinct, top labels most frequent first with alphabetical ties", () => {
  const frame = pl.DataFrame({
    c: ["b", "a", "b", null, "c", "a", "b", "d"],
    flag: [true, false, true, true, null, false, true, true],
  });
  const [c, flag] = summarizeColumns(frame, { topLevels: 3 });
  assert.equal(c.kind, "categorical");
  assert.deepEqual([c.count, c.missing, c.distinct], [7, 1, 4]);
  assert.deepEqual(c.top, [{ value: "b", count: 3 }, { value: "a", count: 2 }, { value: "c", count: 1 }]);
  assert.equal(c.stats, undefined);
  assert.equal(flag.kind, "categorical", "booleans are labels in EDA");
  assert.deepEqual(flag.top, [{ value: "true", count: 5 }, { value: "false", count: 2 }]);
});

Deno.test("date columns: range and counts; text dates are parsed first", () => {
  const frame = parseDateColumns(pl.DataFrame({
    when: ["2024-03-01 10:00:00", null, "2024-01-15 08:30:00", "2024-03-01 10:00:00"],
    day: ["1997-01-02", "1997-01-01", null, "1997-02-01"],
    text: ["2024-01-01", "soon", null, "x"],
  }));
  assert.deepEqual(frame.columns.map((name) => frame.getColumn(name).dtype.variant), ["Datetime", "Date", "String"]);
  const [when, day, text] = summarizeColumns(frame);
  assert.equal(when.kind, "datetime");
  assert.deepEqual([when.count, when.missing, when.distinct], [3, 1, 2]);
  assert.deepEqual(when.range, { min: "2024-01-15T08:30:00.000Z", max: "2024-03-01T10:00:00.000Z" });
  assert.deepEqual(day.range, { min: "1997-01-01T00:00:00.000Z", max: "1997-02-01T00:00:00.000Z" });
  assert.equal(text.kind, "categorical", "a column with a non-date value stays text");
});

Deno.test("all-missing and empty columns give null statistics, not NaN", () => {
  const [x] = summarizeColumns(pl.DataFrame({ x: [null, null] }).withColumns(pl.col("x").cast(pl.Float64)));
  assert.deepEqual([x.count, x.missing, x.missingShare], [0, 2, 1]);
  assert.deepEqual(Object.values(x.stats!), [null, null, null, null, null, null, null, null]);
});
