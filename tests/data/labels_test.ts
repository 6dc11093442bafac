import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { horizonLabels, labelWindow, seedRuleLabels } from "../../src/data/labels.ts";
import { loadTransactions } from "../../src/data/transactions.ts";

const tx = pl.DataFrame({
  customer_id: [1, 1, 2, 3, 4, 4],
  purchase_datetime: [
    new Date("2024-01-01T10:00:00Z"),
    new Date("2024-02-10T00:00:00Z"),
    new Date("2024-01-31T23:00:00Z"),
    new Date("2024-02-20T00:00:00Z"),
    new Date("2024-01-15T00:00:00Z"),
    new Date("2024-03-02T00:00:00Z"),
  ],
});

Deno.test("horizon labels: history up to the end of the cutoff day, outcome in the next H days", () => {
  const window = labelWindow(tx, { cutoff: new Date("2024-01-31"), horizonDays: 30 });
  assert.equal(window.asOf.toISOString(), "2024-02-01T00:00:00.000Z");
  const labels = horizonLabels(tx, window);
  // 1 bought 02-10 (in window), 2 bought on the cutoff day only, 3 has no history, 4 bought 03-02 (30 days after 02-01 in a leap year: just out)
  assert.deepEqual(labels.toRecords(), [
    { customer_id: 1, label: 1 },
    { customer_id: 2, label: 0 },
    { customer_id: 4, label: 0 },
  ]);
  const wider = horizonLabels(tx, labelWindow(tx, { cutoff: new Date("2024-01-31"), horizonDays: 31 }));
  assert.deepEqual(wider.getColumn("label").toArray(), [1, 0, 1]);
});

Deno.test("default cutoff leaves H days after it; a cutoff outside the data is an error", () => {
  const window = labelWindow(tx, { horizonDays: 10 });
  assert.equal(window.cutoff.toISOString().slice(0, 10), "2024-02-21");
  assert.throws(
    () => labelWindow(tx, { cutoff: new Date("2023-12-01") }),
    /cutoff 2023-12-01 is outside the data, which runs from 2024-01-01 to 2024-03-02/,
  );
  assert.throws(() => labelWindow(tx, { cutoff: new Date("2024-03-02") }), /outside the data/);
  assert.throws(() => labelWindow(tx, { horizonDays: 0 }), /positive whole number of days/);
});

Deno.test("seed rule reproduces the seed's label file exactly", () => {
  const labels = seedRuleLabels(loadTransactions("../shared/data/seed/dummy_transactions.csv").frame);
  const reference = pl.readCSV("../shared/data/seed/dummy_transactions_label.csv").select("customer_id", "label");
  assert.ok(labels.frameEqual(reference.withColumns(pl.col("label").cast(pl.Int32))));
});

Deno.test("CDNOW labels from the raw log equal the reference task's labels", () => {
  const log = loadTransactions("../shared/data/real/cdnow_transactions.csv", { purchase_datetime: "date" }).frame;
  const labels = horizonLabels(log, labelWindow(log, { cutoff: new Date("1997-09-30"), horizonDays: 273 }));
  const reference = pl.readCSV("../shared/data/real/cdnow_features.csv").select("customer_id", "label");
  assert.equal(labels.height, 23_570);
  assert.ok(labels.frameEqual(reference.sort("customer_id").withColumns(pl.col("label").cast(pl.Int32))));
});
