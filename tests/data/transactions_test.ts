import assert from "node:assert/strict";
import { loadTransactions, parseColumnMapping } from "../../src/data/transactions.ts";
import { DataError } from "../../src/data/errors.ts";
import { generateTransactions } from "../../src/data/generate.ts";
import { writeTable } from "../../src/data/write_table.ts";
import { makeTestFileSync } from "../temp_dir.ts";

const write = (text: string, ext = "csv") => {
  const path = makeTestFileSync({ suffix: `.${ext}` });
  Deno.writeTextFileSync(path, text);
  return path;
};

Deno.test("loads the seed's transaction CSV with canonical types", () => {
  const { frame, notices } = loadTransactions("../shared/data/seed/dummy_transactions.csv");
  assert.equal(frame.height, 8_000);
  assert.deepEqual(notices, []);
  assert.equal(frame.getColumn("purchase_datetime").dtype.variant, "Datetime");
  // The sum of the file's amount column, computed independently (awk and Python's decimal both give 501790.70).
  assert.equal(frame.getColumn("amount").sum().toFixed(2), "501790.70");
  const first = frame.row(0);
  assert.deepEqual(first.slice(0, 2), [1, 103]);
  assert.equal((first[2] as Date).toISOString(), "2024-12-14T14:00:00.000Z");
  assert.equal(first[8], 117.91);
});

Deno.test("maps differing column names and reports absent optional columns", () => {
  const { frame, notices } = loadTransactions("../shared/data/real/cdnow_transactions.csv", {
    purchase_datetime: "date",
  });
  assert.deepEqual(frame.columns, ["customer_id", "purchase_datetime", "quantity", "amount"]);
  assert.equal(frame.height, 69_659);
  assert.equal(notices.length, 5);
  assert.match(notices.join("\n"), /channel is absent/);
  assert.deepEqual(parseColumnMapping("customer_id=cust, amount=value"), { customer_id: "cust", amount: "value" });
  assert.throws(() => parseColumnMapping("client=cust"), /bad column mapping "client=cust"/);
});

Deno.test("round-trips a generated log through Parquet and CSV", () => {
  const tx = generateTransactions({ customers: 50, transactions: 400, seed: 9 });
  for (const ext of ["parquet", "csv"]) {
    const path = makeTestFileSync({ suffix: `.${ext}` });
    writeTable(tx, path);
    const loaded = loadTransactions(path).frame;
    assert.ok(loaded.frameEqual(tx, true), `${ext} round trip`);
  }
});

Deno.test("bad transaction files fail with file, column, row and value", () => {
  const cases: [string, RegExp][] = [
    [
      "customer_id,purchase_datetime,amount\n1,2024-01-01,5\n2,2024-13-01,3\n",
      /column "purchase_datetime", row 2: not a date.*"2024-13-01"/,
    ],
    [
      "customer_id,purchase_datetime,amount\n1,2024-01-01,5\n2,2024-01-02,abc\n",
      /column "amount", row 2: not a number.*"abc"/,
    ],
    [
      "customer_id,purchase_datetime,amount\n1,2024-01-01,5\nx7,2024-01-02,1\n",
      /column "customer_id", row 2: not a number.*"x7"/,
    ],
    [
      "customer_id,purchase_datetime,amount\n1,2024-01-01,5\n,2024-01-02,1\n",
      /column "customer_id", row 2: missing value/,
    ],
    [
      "customer_id,date,amount\n1,2024-01-01,5\n",
      /missing required column\(s\) purchase_datetime; found: customer_id, date, amount/,
    ],
    ["customer_id,purchase_datetime,amount,quantity\n1,2024-01-01,5,two\n", /column "quantity", row 1: not a number/],
    ["customer_id,purchase_datetime,amount\n", /header but no data rows/],
    ["", /the file is empty/],
  ];
  for (const [text, message] of cases) {
    const path = write(text);
    assert.throws(() => loadTransactions(path), (error: Error) => {
      assert.ok(error instanceof DataError, `${error}`);
      assert.ok(error.message.startsWith(path), error.message);
      assert.match(error.message, message);
      return true;
    });
  }
  assert.throws(() => loadTransactions("/nonexistent/tx.csv"), /\/nonexistent\/tx.csv: file not found/);
  assert.throws(() => loadTransactions(write("a", "txt")), /unsupported file type/);
  assert.throws(
    () => loadTransactions(write("customer_id,purchase_datetime,amount\n1,2024-01-01,5\n"), { amount: "value" }),
    /mapped column "value" \(for amount\) is not in the file/,
  );
});
