import assert from "node:assert/strict";
import pl from "nodejs-polars";
import type { ModelBundle } from "../../src/bundle/bundle.ts";
import { openInput } from "../../src/ops/batch_input.ts";
import { makeTestDir } from "../temp_dir.ts";

Deno.test("a table read in chunks of any size, across read blocks and out of order, returns each row once", async () => {
  const dir = await makeTestDir();
  try {
    // More rows than two read blocks, so chunks straddle blocks and the prefetched block is used.
    const rows = 600_000;
    const file = `${dir}/features.parquet`;
    pl.DataFrame({ customer_id: pl.intRange(0, rows, 1, pl.Int64, true), x: pl.intRange(0, rows, 1, pl.Int64, true) })
      .writeParquet(file);
    // A table is recognised by its columns; the bundle is only consulted for transaction logs.
    const input = openInput({ data: file, bundle: {} as ModelBundle, features: ["x"] });
    assert.equal(input.rows, rows);
    for (const chunk of [50_000, 70_001, 300_000, rows]) {
      const seen: number[] = [];
      for (let offset = 0; offset < rows; offset += chunk) {
        const frame = input.read(offset, Math.min(chunk, rows - offset));
        for (const x of frame.getColumn("x").toArray()) seen.push(Number(x));
      }
      assert.equal(seen.length, rows, `chunk ${chunk}`);
      assert.ok(seen.every((x, i) => x === i), `chunk ${chunk}: rows out of order or repeated`);
    }
    const back = input.read(10, 3);
    assert.deepEqual(back.getColumn("x").toArray().map(Number), [10, 11, 12]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
