import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { flow, FlowRunError, type RunOptions } from "../../src/flow/flow.ts";
import { ResultCache } from "../../src/flow/cache.ts";
import { task } from "../../src/flow/task.ts";
import { type TaskOptions } from "../../src/flow/task_options.ts";
import { testRun } from "./helpers.ts";
import { makeTestDir } from "../temp_dir.ts";

interface Input {
  frame: pl.DataFrame;
  weights: Float64Array;
  when: Date;
  lookup: Map<string, number>;
}

/** A flow around one cached task; `calls` counts body executions. */
function cachedFlow(options: TaskOptions<Input> = { cache: {} }) {
  const counter = { calls: 0 };
  const t = task((input: Input) => {
    counter.calls++;
    return {
      rows: input.frame.height,
      frame: input.frame.withColumns(pl.col("x").mul(2).alias("x2")),
      weights: input.weights,
      when: input.when,
      lookup: input.lookup,
    };
  }, { name: "featurize", ...options });
  const f = flow(async (input: Input) => await t(input), { name: "cached" });
  return { f, counter };
}

function input(overrides: Partial<Input> = {}): Input {
  return {
    frame: pl.DataFrame({ x: [1, 2, 3], c: ["a", "b", null] }),
    weights: new Float64Array([0.5, NaN, -0]),
    when: new Date(Date.UTC(2025, 5, 1)),
    lookup: new Map([["a", 1], ["b", 2]]),
    ...overrides,
  };
}

async function stateOf(f: ReturnType<typeof cachedFlow>["f"], value: Input, opts: RunOptions) {
  const run = await f.run(value, opts);
  return { run, taskRun: run.record.taskRuns[0] };
}

Deno.test("cache: same inputs hit, and values round-trip through disk", async () => {
  const opts = await testRun();
  const { f, counter } = cachedFlow();
  const first = await stateOf(f, input(), opts);
  assert.equal(first.taskRun.cache.status, "miss");
  assert.equal(first.taskRun.cache.written, true);
  const second = await stateOf(f, input(), opts);
  assert.equal(counter.calls, 1);
  assert.equal(second.taskRun.state, "Cached");
  assert.equal(second.taskRun.cache.status, "hit");
  const [a, b] = [first.run.result, second.run.result];
  assert.equal(b.rows, 3);
  assert.ok(b.frame.frameEqual(a.frame, true));
  assert.deepEqual(b.frame.getColumn("x2").toArray(), [2, 4, 6]);
  assert.ok(b.weights instanceof Float64Array);
  assert.ok(Number.isNaN(b.weights[1]) && Object.is(b.weights[2], -0));
  assert.ok(b.when instanceof Date && b.when.getTime() === a.when.getTime());
  assert.deepEqual(b.lookup, a.lookup);
});

Deno.test("cache: reordered Map and an equal frame built differently still hit", async () => {
  const opts = await testRun();
  const { f, counter } = cachedFlow();
  await f.run(input(), opts);
  const rechunked = pl.concat([pl.DataFrame({ x: [1], c: ["a"] }), pl.DataFrame({ x: [2, 3], c: ["b", null] })]);
  await f.run(input({ frame: rechunked, lookup: new Map([["b", 2], ["a", 1]]) }), opts);
  assert.equal(counter.calls, 1);
});

Deno.test("cache: a changed input misses", async () => {
  const opts = await testRun();
  const { f, counter } = cachedFlow();
  await f.run(input(), opts);
  const changes: Partial<Input>[] = [
    { frame: pl.DataFrame({ x: [1, 2, 4], c: ["a", "b", null] }) },
    { frame: pl.DataFrame({ x: [1, 2, 3], c: ["a", "b", "z"] }) },
    { frame: pl.DataFrame({ x: [1, 2, 3], d: ["a", "b", null] }) },
    { frame: pl.DataFrame({ x: [1, 2, 3], c: ["a", "b", null] }).select("c", "x") },
    { weights: new Float64Array([0.5, NaN, 0.25]) },
    { when: new Date(Date.UTC(2025, 5, 2)) },
    { lookup: new Map([["a", 1], ["b", 3]]) },
  ];
  for (const change of changes) {
    const { taskRun } = await stateOf(f, input(change), opts);
    assert.equal(taskRun.cache.status, "miss", `change ${Object.keys(change)} should miss`);
  }
  assert.equal(counter.calls, 1 + changes.length);
});

Deno.test("cache: changed task source or version misses", async () => {
  const opts = await testRun();
  const calls: string[] = [];
  const originalBody = (n: number) => {
    calls.push("original");
    return n + 1;
  };
  const original = task(originalBody, { name: "inc", cache: {} });
  const edited = task((n: number) => {
    calls.push("edited");
    return n + 1;
  }, { name: "inc", cache: {} });
  const bumped = task(originalBody, { name: "inc", cache: {}, version: 2 });
  const runWith = (t: typeof original) => flow(async () => await t(1), { name: "source" }).run(undefined, opts);
  await runWith(original);
  await runWith(original);
  await runWith(edited);
  await runWith(bumped);
  await runWith(bumped);
  assert.deepEqual(calls, ["original", "edited", "original"]);
});

Deno.test("cache: entries expire after ttlMs (miss with a warning)", async () => {
  const opts = await testRun();
  const { f, counter } = cachedFlow({ cache: { ttlMs: 1_000 } });
  await f.run(input(), opts);
  opts.clock.advance(999);
  assert.equal((await stateOf(f, input(), opts)).taskRun.state, "Cached");
  opts.clock.advance(2);
  const { run, taskRun } = await stateOf(f, input(), opts);
  assert.equal(taskRun.cache.status, "expired");
  assert.equal(taskRun.state, "Completed");
  assert.equal(counter.calls, 2);
  assert.ok(run.record.logs.some((l) => l.level === "warn" && l.message.includes("expired")));
});

Deno.test("cache: refresh runs the task and overwrites the entry", async () => {
  const opts = await testRun();
  const normal = cachedFlow();
  const refreshing = cachedFlow({ cache: { refresh: true } });
  await normal.f.run(input(), opts);
  const { taskRun } = await stateOf(refreshing.f, input(), opts);
  assert.equal(taskRun.cache.status, "refresh");
  assert.equal(refreshing.counter.calls, 1);
});

Deno.test("cache: a corrupt or truncated entry is a miss with a warning, then rewritten", async () => {
  const opts = await testRun();
  const { f, counter } = cachedFlow();
  const first = await stateOf(f, input(), opts);
  const entry = join(opts.cacheDir, first.taskRun.cache.key!);
  const blob = join(entry, "blob-0.bin");
  const bytes = await Deno.readFile(blob);
  await Deno.writeFile(blob, bytes.subarray(0, bytes.length >> 1));
  const damaged = await stateOf(f, input(), opts);
  assert.equal(damaged.taskRun.cache.status, "corrupt");
  assert.match(damaged.taskRun.cache.note!, /checksum mismatch/);
  assert.ok(damaged.run.record.logs.some((l) => l.level === "warn" && l.message.includes("unusable")));
  assert.ok(damaged.run.result.frame.frameEqual(first.run.result.frame));
  assert.equal((await stateOf(f, input(), opts)).taskRun.state, "Cached");

  await Deno.writeTextFile(join(entry, "meta.json"), "{ not json");
  assert.equal((await stateOf(f, input(), opts)).taskRun.cache.status, "corrupt");
  await Deno.writeTextFile(join(entry, "value.json"), "garbage");
  assert.equal((await stateOf(f, input(), opts)).taskRun.cache.status, "corrupt");
  assert.equal(counter.calls, 4);
});

Deno.test("cache: an unhashable input fails the task with the input path named", async () => {
  class Client {}
  const opts = await testRun();
  const t = task((_: { model: { client: Client } }) => 1, { name: "uses-client", cache: {} });
  const f = flow(async () => await t({ model: { client: new Client() } }), { name: "unhashable" });
  const error = await f.run(undefined, opts).then(() => undefined, (e) => e as FlowRunError);
  assert.ok(error);
  const message = error.record.taskRuns[0].error!.message;
  assert.match(message, /task "uses-client": no cache key: cannot hash input\.model\.client: instance of Client/);
  assert.equal(error.record.taskRuns[0].attempts.length, 0);
});

Deno.test("cache: a custom key function decides hits", async () => {
  const opts = await testRun();
  let calls = 0;
  const t = task((i: { id: string; noise: number }) => ++calls + i.noise * 0, {
    name: "by-id",
    cache: { key: (i) => i.id },
  });
  const f = flow(async (i: { id: string; noise: number }) => await t(i), { name: "custom-key" });
  await f.run({ id: "a", noise: 1 }, opts);
  await f.run({ id: "a", noise: 2 }, opts);
  await f.run({ id: "b", noise: 1 }, opts);
  assert.equal(calls, 2);
});

Deno.test("cache: an unstorable result completes the task with a warning and no entry", async () => {
  class Model {}
  const opts = await testRun();
  const t = task((_: number) => ({ model: new Model() }), { name: "returns-class", cache: {} });
  const run = await flow(async () => await t(1), { name: "unstorable" }).run(undefined, opts);
  const [taskRun] = run.record.taskRuns;
  assert.equal(taskRun.state, "Completed");
  assert.equal(taskRun.cache.written, undefined);
  assert.match(taskRun.cache.note!, /cannot store result\.model: instance of Model/);
  assert.deepEqual(await new ResultCache(opts.cacheDir).list(), []);
});

Deno.test("cache: a second process with the same inputs and code hits", async () => {
  const opts = await testRun();
  const child = async (rows: number) => {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "tests/flow/fixtures/cache_child.ts", opts.cacheDir, opts.recordsDir, String(rows)],
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    return JSON.parse(new TextDecoder().decode(stdout));
  };
  assert.deepEqual(await child(5), { height: 5, state: "Completed", cache: "miss" });
  assert.deepEqual(await child(5), { height: 5, state: "Cached", cache: "hit" });
  assert.deepEqual(await child(6), { height: 6, state: "Completed", cache: "miss" });
});

Deno.test("cache store: evicting to a size removes the least recently used entries", async () => {
  let now = 0;
  const dir = await makeTestDir();
  const cache = new ResultCache(dir, { now: () => now });
  const key = (i: number) => String(i).repeat(16);
  const payload = new Float64Array(1000);
  for (const i of [1, 2, 3]) {
    now += 10;
    await cache.set(key(i), payload, { task: `t${i}` });
  }
  const entryBytes = (await cache.list())[0].bytes;
  now += 10;
  assert.equal((await cache.get(key(1))).status, "hit");
  now += 10;
  await cache.set(key(4), payload, { task: "t4" });
  assert.deepEqual(await cache.evict(3 * entryBytes), { entries: 1, bytes: entryBytes });
  assert.deepEqual((await cache.list()).map((e) => e.task).sort(), ["t1", "t3", "t4"]);
});

Deno.test("cache store: clear by task, by age, and all", async () => {
  let now = 0;
  const dir = await makeTestDir();
  const cache = new ResultCache(dir, { now: () => now });
  await cache.set("a".repeat(16), 1, { task: "load" });
  now = 5_000;
  await cache.set("b".repeat(16), 2, { task: "load" });
  await cache.set("c".repeat(16), 3, { task: "fit" });
  now = 6_000;
  assert.equal((await cache.clear({ olderThanMs: 2_000 })).entries, 1);
  assert.equal((await cache.clear({ task: "fit" })).entries, 1);
  assert.deepEqual((await cache.list()).map((e) => e.key), ["b".repeat(16)]);
  assert.equal((await cache.clear()).entries, 1);
  assert.deepEqual(await cache.list(), []);
});
