import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { scanCsvShape } from "../../src/data/csv_shape.ts";
import { readTable } from "../../src/data/read_table.ts";
import { DataError } from "../../src/data/errors.ts";
import { makeTestFileSync } from "../temp_dir.ts";

const write = (content: string | Uint8Array) => {
  const path = makeTestFileSync({ suffix: ".csv" });
  if (typeof content === "string") Deno.writeTextFileSync(path, content);
  else Deno.writeFileSync(path, content);
  return path;
};

Deno.test("scanCsvShape: finds rows with more or fewer fields than the header, by row and line", () => {
  // Line 4 holds a quoted line break, so the record on line 6 is data row 4.
  const path = write('id,name,amount\n1,a,2\n2,"b,c",3\n3,"two\nlines",4\n4,d,5,EXTRA\n5,e\n6,"x""y",7\n');
  const shape = scanCsvShape(path);
  assert.deepEqual(shape.header, ["id", "name", "amount"]);
  assert.equal(shape.rows, 6);
  assert.deepEqual(shape.ragged, [{ row: 4, line: 6, fields: 4 }, { row: 5, line: 7, fields: 2 }]);
  assert.deepEqual(scanCsvShape(path, { limit: 1 }).ragged, [{ row: 4, line: 6, fields: 4 }]);
});

Deno.test("scanCsvShape: row numbers agree with polars for blank lines, CRLF and a last line without a break", () => {
  const path = write("a,b\r\n1,2\r\n\r\n3,4\n\n5,6");
  const shape = scanCsvShape(path);
  const frame = pl.readCSV(path, { inferSchemaLength: 0 });
  assert.equal(shape.rows, frame.height);
  assert.equal(shape.rows, 5);
  // Blank lines are rows of nulls (polars' reading), not ragged rows.
  assert.deepEqual(shape.ragged, []);
  assert.deepEqual(frame.getColumn("a").toArray(), ["1", null, "3", null, "5"]);
  assert.deepEqual(scanCsvShape(write("a,b\n1,2,3")).ragged, [{ row: 1, line: 2, fields: 3 }]);
});

Deno.test("scanCsvShape: a record longer than a read block is followed across blocks", () => {
  const long = "x".repeat((1 << 22) + 10);
  const shape = scanCsvShape(write(`a,b\n"${long},still quoted",1\n2,3,4\n`));
  assert.equal(shape.rows, 2);
  assert.deepEqual(shape.ragged, [{ row: 2, line: 3, fields: 3 }]);
});

Deno.test('readTable: a header "x""y" is read as x"y; a duplicate header name is an error', () => {
  const frame = readTable(write('"x""y",b\n1,2\n'));
  assert.deepEqual(frame.columns, ['x"y', "b"]);
  assert.deepEqual(frame.getColumn('x"y').toArray(), [1]);
  const duplicate = write("a,a\n1,2\n");
  assert.throws(() => readTable(duplicate), {
    message: `${duplicate}: line 1, column "a": the header names this column twice`,
  });
});

Deno.test("readTable: a row with too many or too few fields fails naming the file, the line and the row", () => {
  const long = write("a,b,c\n1,2,3\n4,5,6,7\n");
  assert.throws(() => readTable(long), { message: `${long}: line 3, row 2: the row has 4 fields, the header has 3` });
  const short = write("a,b,c\n1,2,3\n4,5,6\n7,8\n");
  assert.throws(() => readTable(short), { message: `${short}: line 4, row 3: the row has 2 fields, the header has 3` });
});

Deno.test("readTable: hostile files give a DataError naming the file, never a polars error", () => {
  const latin1 = Uint8Array.from([..."amount,city\n1,Orl".split("").map((c) => c.charCodeAt(0)), 0xe9, 0x0a]);
  const cases: [string, string | Uint8Array, RegExp][] = [
    ["header only", "a,b\n", /the file has a header but no data rows/],
    ["empty", "", /the file is empty/],
    [
      "Latin-1 value",
      latin1,
      /cannot parse as CSV: invalid utf-8 sequence: the file is not UTF-8 text; save it as UTF-8/,
    ],
    ["Latin-1 header", Uint8Array.from([0x72, 0xe9, 0x66, 0x0a, 0x31, 0x0a]), /line 1: the header is not UTF-8 text/],
    ["UTF-16", Uint8Array.from([0xff, 0xfe, 0x61, 0, 0x0a, 0, 0x31, 0, 0x0a, 0]), /line 1: the header is not UTF-8/],
    ["NUL in the header", Uint8Array.from([0x61, 0, 0x62, 0x0a, 0x31, 0x0a]), /line 1: the header holds NUL bytes/],
    ["binary junk", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256), /line 1: the header is not UTF-8/],
  ];
  for (const [what, content, message] of cases) {
    const path = write(content);
    assert.throws(() => readTable(path), (error: unknown) => {
      assert.ok(error instanceof DataError, `${what}: ${error}`);
      assert.ok(error.message.startsWith(`${path}: `), `${what}: ${error.message}`);
      assert.match(error.message, message, what);
      return true;
    });
  }
});

Deno.test("readTable: an all-empty column is read as nulls (typed by its other rows: none)", () => {
  const frame = readTable(write("a,b\n1,\n2,\n"));
  assert.equal(frame.getColumn("b").nullCount(), 2);
  assert.deepEqual(frame.getColumn("a").toArray(), [1, 2]);
});
