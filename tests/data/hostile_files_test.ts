// Every training loader against files a hostile but fair user could bring: each gives a DataError naming the
// file (and the column, line or row when there is one), never a polars error or panic.
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { DataError, withDataLocation } from "../../src/data/errors.ts";
import { loadFeatureTable } from "../../src/data/feature_table.ts";
import { loadTransactions } from "../../src/data/transactions.ts";
import { loadDataset } from "../../src/pipeline/dataset.ts";
import { DEFAULT_TRAIN_OPTIONS } from "../../src/pipeline/options.ts";
import { makeTestFileSync } from "../temp_dir.ts";

const SHOPPERS = "../shared/data/real/online_shoppers_split.csv";

const write = (content: string | Uint8Array) => {
  const path = makeTestFileSync({ suffix: ".csv" });
  if (typeof content === "string") Deno.writeTextFileSync(path, content);
  else Deno.writeFileSync(path, content);
  return path;
};

/** A copy of the shoppers table with every value of `column` empty. */
function withEmptyColumn(column: string): string {
  const [header, ...rows] = Deno.readTextFileSync(SHOPPERS).trimEnd().split("\n");
  const k = header.split(",").indexOf(column);
  assert.ok(k >= 0);
  const blanked = rows.map((row) => row.split(",").map((value, i) => (i === k ? "" : value)).join(","));
  return write(`${header}\n${blanked.join("\n")}\n`);
}

function assertDataError(action: () => unknown, file: string, message: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof DataError, String(error));
    assert.ok(error.message.startsWith(`${file}: `), error.message);
    assert.match(error.message, message);
    return true;
  });
}

Deno.test("a feature table whose BounceRates column is all empty trains without it, with a notice naming file and column", async () => {
  const file = withEmptyColumn("BounceRates");
  const dataset = await loadDataset({ ...DEFAULT_TRAIN_OPTIONS, data: file, target: "Revenue", splitColumn: "split" });
  const names = dataset.fields.map((field) => field.name);
  assert.ok(!names.includes("BounceRates"));
  // The 17 other columns besides the target and the split column stay.
  assert.equal(names.length, 16);
  assert.ok(names.includes("ExitRates"));
  assert.ok(
    dataset.notices.includes(
      `column BounceRates of ${file} is empty (no value in any row) and is not used as a feature.`,
    ),
    dataset.notices.join("\n"),
  );
  assert.equal(dataset.y.length, 12_330);
});

Deno.test("a feature table whose only feature column is empty fails naming the file", async () => {
  const file = write("x,y\n,0\n,1\n");
  await assert.rejects(
    () => loadDataset({ ...DEFAULT_TRAIN_OPTIONS, data: file, target: "y" }),
    { name: "DataError", message: `${file}: no usable feature columns are left` },
  );
});

Deno.test("transaction logs: hostile files name the file and the line, row or column", () => {
  const header = "customer_id,purchase_datetime,amount";
  const cases: [string, string | Uint8Array, RegExp][] = [
    ["header only", `${header}\n`, /the file has a header but no data rows/],
    [
      "extra field",
      `${header}\n1,2024-01-02,3.5\n2,2024-01-03,4.5,9\n`,
      /line 3, row 2: the row has 4 fields, the header has 3/,
    ],
    [
      "missing field",
      `${header}\n1,2024-01-02,3.5\n2,2024-01-03\n`,
      /line 3, row 2: the row has 2 fields, the header has 3/,
    ],
    [
      "all-empty amount",
      `${header}\n1,2024-01-02,\n2,2024-01-03,\n`,
      /column "amount", row 1: missing value in a required column/,
    ],
    [
      "all-empty date",
      `${header}\n1,,1\n2,,2\n`,
      /column "purchase_datetime", row 1: missing value in a required column/,
    ],
    ["NUL in a value", `${header}\n1,2024-01-02,3\u00005\n`, /column "amount", row 1: not a number/],
    [
      "Latin-1",
      Uint8Array.from([...new TextEncoder().encode(`${header},city\n1,2024-01-02,3,Orl`), 0xe9, 0x0a]),
      /not UTF-8/,
    ],
    ["binary junk", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256), /line 1: the header is not UTF-8/],
  ];
  for (const [, content, message] of cases) {
    const path = write(content);
    assertDataError(() => loadTransactions(path), path, message);
  }
});

Deno.test("feature tables: hostile files name the file and the line, row or column", () => {
  const cases: [string, string, RegExp][] = [
    ["header only", "x,y\n", /the file has a header but no data rows/],
    ["extra field", "x,y\n1,0\n2,1,5\n", /line 3, row 2: the row has 3 fields, the header has 2/],
    ["all-empty target", "x,y\n1,\n2,\n", /column "y", row 1: the target has a missing value/],
  ];
  for (const [, content, message] of cases) {
    const path = write(content);
    assertDataError(() => loadFeatureTable(path, { target: "y" }), path, message);
  }
  assert.deepEqual(loadFeatureTable(write('"x""y",y\n1,0\n2,1\n'), { target: "y" }).frame.columns, ['x"y']);
});

Deno.test("withDataLocation: a polars panic becomes a DataError at the location; our own bugs keep their type", () => {
  const empty = pl.Series("amount", [], pl.Float64);
  assert.throws(
    () => withDataLocation({ file: "tx.csv", column: "amount" }, "cannot read a value", () => empty.get(0)),
    {
      name: "DataError",
      message: 'tx.csv: column "amount": cannot read a value: index: 0 out of bounds for len: 0',
    },
  );
  const bug = new TypeError("x is undefined");
  assert.throws(() =>
    withDataLocation({ file: "tx.csv" }, "cannot read", () => {
      throw bug;
    }), (error) => error === bug);
  const located = new DataError("not a number", { file: "tx.csv", row: 2 });
  assert.throws(() =>
    withDataLocation({ file: "other.csv" }, "cannot read", () => {
      throw located;
    }), (e) => e === located);
});
