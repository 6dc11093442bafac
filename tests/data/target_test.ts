import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { parseBinaryTarget } from "../../src/data/target.ts";
import { loadFeatureTable } from "../../src/data/feature_table.ts";

Deno.test("binary targets in their usual spellings pick the event class", () => {
  const cases: [unknown[], string, number[]][] = [
    [[0, 1, 1, 0], "1", [0, 1, 1, 0]],
    [[0.0, 1.0, 0.0], "1", [0, 1, 0]],
    [["FALSE", "TRUE", "false"], "TRUE", [0, 1, 0]],
    [[true, false], "true", [1, 0]],
    [["Yes", "no", "YES"], "Yes", [1, 0, 1]],
  ];
  for (const [values, positive, y] of cases) {
    const target = parseBinaryTarget(pl.Series("t", values));
    assert.equal(target.positive, positive);
    assert.deepEqual([...target.y], y);
  }
});

Deno.test("an ambiguous pair needs --positive, which is matched case-insensitively", () => {
  const series = pl.Series("risk", ["good", "bad", "good"]);
  assert.throws(
    () => parseBinaryTarget(series),
    /cannot tell which target label is the event: found good, bad; name it with --positive/,
  );
  const target = parseBinaryTarget(series, { positive: "BAD" });
  assert.deepEqual([...target.y], [0, 1, 0]);
  assert.equal(target.positive, "bad");
  assert.throws(
    () => parseBinaryTarget(series, { positive: "ugly" }),
    /--positive ugly is not a label of the target; found: good, bad/,
  );
});

Deno.test("targets that are not binary, or have gaps, are rejected with the labels found", () => {
  assert.throws(() => parseBinaryTarget(pl.Series("t", [1, 1, 1])), /only one class \(1\)/);
  assert.throws(() => parseBinaryTarget(pl.Series("t", ["a", "b", "c"])), /not binary: found 3 labels \(a, b, c\)/);
  assert.throws(
    () => parseBinaryTarget(pl.Series("t", [0, null, 1]), { file: "f.csv" }),
    /f.csv: column "t", row 2: the target has a missing value/,
  );
});

Deno.test("feature tables: the real datasets load with their targets", () => {
  const shoppers = loadFeatureTable("../shared/data/real/online_shoppers_intention.csv", { target: "Revenue" });
  assert.equal(shoppers.frame.height, 12_330);
  assert.equal(shoppers.frame.columns.includes("Revenue"), false);
  assert.equal(shoppers.target.y.reduce((a, b) => a + b, 0), 1_908);
  const seed = loadFeatureTable("../shared/data/seed/features.csv", { target: "label" });
  assert.equal(seed.target.y.reduce((a, b) => a + b, 0), 339);
  assert.throws(
    () => loadFeatureTable("../shared/data/seed/features.csv", { target: "churn" }),
    /features.csv: target column "churn" is not in the table; found: customer_id, recency_days/,
  );
});
