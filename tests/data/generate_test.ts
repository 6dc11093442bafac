import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { generateTransactions } from "../../src/data/generate.ts";
import { writeTable } from "../../src/data/write_table.ts";
import { TRANSACTION_COLUMNS } from "../../src/data/schema.ts";
import { horizonLabels, labelWindow } from "../../src/data/labels.ts";
import { makeTestDir } from "../temp_dir.ts";

Deno.test("generator: same seed gives byte-identical CSV and Parquet, another seed differs", async () => {
  const dir = await makeTestDir();
  const options = { customers: 300, transactions: 3_000, seed: 11 };
  for (const ext of ["csv", "parquet"]) {
    writeTable(generateTransactions(options), `${dir}/a.${ext}`);
    writeTable(generateTransactions(options), `${dir}/b.${ext}`);
    writeTable(generateTransactions({ ...options, seed: 12 }), `${dir}/c.${ext}`);
    const [a, b, c] = ["a", "b", "c"].map((name) => Deno.readFileSync(`${dir}/${name}.${ext}`));
    assert.deepEqual(a, b, `${ext} differs for the same seed`);
    assert.notDeepEqual(a, c, `${ext} is the same for another seed`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("generator: schema, types, sizes and value ranges", () => {
  const tx = generateTransactions({ customers: 500, transactions: 5_000, seed: 3, start: new Date("2023-06-01") });
  assert.deepEqual(tx.columns, [...TRANSACTION_COLUMNS]);
  assert.equal(tx.height, 5_000);
  const types = Object.fromEntries(tx.columns.map((name) => [name, String(tx.getColumn(name).dtype.variant)]));
  assert.deepEqual(types, {
    transaction_id: "Int64",
    customer_id: "Int64",
    purchase_datetime: "Datetime",
    product_id: "Int64",
    quantity: "Int64",
    price: "Float64",
    channel: "String",
    promo_flag: "Int64",
    amount: "Float64",
  });
  const ids = tx.getColumn("customer_id");
  assert.ok(ids.min() >= 1 && ids.max() <= 500);
  const times = tx.getColumn("purchase_datetime");
  assert.ok(Number(times.min()) >= Date.UTC(2023, 5, 1));
  assert.ok(Number(times.max()) < Date.UTC(2023, 5, 1) + 365 * 86_400_000);
  assert.deepEqual(new Set(tx.getColumn("channel").dropNulls().toArray()), new Set(["web", "app", "store"]));
  // transaction ids follow time
  const sorted = tx.sort("purchase_datetime", false, true);
  assert.deepEqual(sorted.getColumn("transaction_id").toArray(), tx.getColumn("transaction_id").toArray());
});

Deno.test("generator: injected problems appear at their configured rates", () => {
  const quality = { missing: 0.05, outliers: 0.02, returns: 0.04, duplicates: 0.03 };
  const n = 40_000;
  const tx = generateTransactions({ customers: 2_000, transactions: n, seed: 5, quality });
  const near = (actual: number, expected: number, label: string) =>
    assert.ok(Math.abs(actual - expected) < expected * 0.2 + 0.002, `${label}: ${actual} vs ${expected}`);
  for (const column of ["product_id", "quantity", "price", "channel", "promo_flag"]) {
    near(tx.getColumn(column).nullCount() / n, quality.missing, `missing ${column}`);
  }
  for (const column of ["transaction_id", "customer_id", "purchase_datetime", "amount"]) {
    assert.equal(tx.getColumn(column).nullCount(), 0, `${column} must have no nulls`);
  }
  const duplicateRows = n - tx.unique().height;
  assert.equal(duplicateRows, Math.round(n * quality.duplicates));
  const unique = tx.unique({ subset: ["transaction_id"] });
  near(unique.filter(pl.col("amount").lt(0)).height / unique.height, quality.returns, "returns");
  // outliers: price far above the product's typical price
  const medianPrice = unique.getColumn("price").median();
  near(unique.filter(pl.col("price").gt(medianPrice * 15)).height / unique.height, quality.outliers, "outliers");
  // amount = quantity * price wherever both are present
  const known = unique.filter(pl.col("quantity").isNotNull().and(pl.col("price").isNotNull()));
  const error = known.select(pl.col("quantity").mul(pl.col("price")).sub(pl.col("amount")).abs().max().alias("e"));
  assert.ok(error.getColumn("e").get(0) < 0.011);
});

Deno.test("generator: default size gives a 10-30% positive rate for the 30-day label", () => {
  for (const seed of [1, 2, 42]) {
    const tx = generateTransactions({ seed });
    const rate = horizonLabels(tx, labelWindow(tx)).getColumn("label").mean();
    assert.ok(rate > 0.1 && rate < 0.3, `seed ${seed}: positive rate ${rate}`);
  }
});

Deno.test("generator: rejects impossible options", () => {
  assert.throws(() => generateTransactions({ customers: 0 }), /customers must be a positive integer/);
  assert.throws(() => generateTransactions({ quality: { missing: 1.5 } }), /quality.missing/);
});
