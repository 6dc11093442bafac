import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { NativeMemoryGuard } from "../../src/ops/native_memory.ts";

Deno.test("the memory guard collects only after the resident set grew by the headroom, then takes the new floor", () => {
  let rss = 100;
  const guard = new NativeMemoryGuard({ headroomBytes: 50, residentBytes: () => rss });
  rss = 150;
  guard.check();
  assert.equal(guard.collections, 0, "growth of exactly the headroom is allowed");
  rss = 151;
  guard.check();
  assert.equal(guard.collections, 1);
  // The collection settles: the next check records the floor (here it stayed high) rather than collecting again.
  rss = 400;
  guard.check();
  assert.equal(guard.collections, 1);
  rss = 450;
  guard.check();
  assert.equal(guard.collections, 1, "measured from the settled floor 400, not from 100");
  rss = 451;
  guard.check();
  assert.equal(guard.collections, 2);
});

Deno.test("with the guard, dropping polars frames one after another keeps the resident set flat", async () => {
  const guard = new NativeMemoryGuard({ headroomBytes: 32 * 1024 * 1024 });
  // Frames of 1,000,000 integers made by polars (8 MB native each), dropped at once: V8 sees only their small
  // wrappers (as with frames read from a file), so without the guard nothing prompts it to collect them.
  const churn = async (frames: number) => {
    for (let k = 0; k < frames; k++) {
      pl.DataFrame({ x: pl.intRange(k, k + 1_000_000, 1, pl.Int64, true) }).sum();
      await new Promise((resolve) => setTimeout(resolve, 0));
      guard.check();
    }
    return Deno.memoryUsage().rss;
  };
  const after20 = await churn(20);
  const after80 = await churn(60);
  assert.ok(guard.collections > 0);
  const grown = (after80 - after20) / 1048576;
  // Without the guard the 60 more frames stay resident: 460 MiB more in one run; with it, 20 to 115 MiB.
  assert.ok(grown < 240, `grew by ${grown.toFixed(0)} MiB over 60 more frames`);
});
