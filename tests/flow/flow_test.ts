import assert from "node:assert/strict";
import { flow, FlowRunError } from "../../src/flow/flow.ts";
import { readRunRecord } from "../../src/flow/record.ts";
import { task } from "../../src/flow/task.ts";
import { TaskFuture } from "../../src/flow/future.ts";
import { deferred, testRun, tick } from "./helpers.ts";

Deno.test("futures and map: results come back in input order whatever the finishing order", async () => {
  const opts = await testRun();
  const gates = [deferred(), deferred(), deferred()];
  const finished: number[] = [];
  const slowSquare = task(async (i: number) => {
    await gates[i].promise;
    finished.push(i);
    return i * i;
  }, { name: "square" });
  const f = flow(async () => {
    const futures = slowSquare.map([0, 1, 2]);
    assert.ok(futures.every((future) => future instanceof TaskFuture));
    await tick();
    assert.deepEqual(futures.map((future) => future.state), ["Running", "Running", "Running"]);
    for (const i of [2, 0, 1]) {
      gates[i].resolve();
      await tick();
    }
    return await Promise.all(futures);
  }, { name: "map-order" });
  const run = await f.run(undefined, opts);
  assert.deepEqual(finished, [2, 0, 1]);
  assert.deepEqual(run.result, [0, 1, 4]);
  assert.deepEqual(run.record.taskRuns.map((t) => t.state), ["Completed", "Completed", "Completed"]);
});

Deno.test("failure: downstream task runs are NotRun, the flow fails, the record is saved", async () => {
  const opts = await testRun();
  const ran: string[] = [];
  const load = task(() => {
    ran.push("load");
    throw new Error("source file missing");
  }, { name: "load" });
  const clean = task((rows: number[]) => (ran.push("clean"), rows), { name: "clean" });
  const fit = task((rows: number[]) => (ran.push("fit"), rows.length), { name: "fit" });
  const report = task(() => (ran.push("report"), "ok"), { name: "report" });
  const f = flow(async () => {
    const rows = load.submit();
    const cleaned = clean.submit(rows);
    const model = fit.submit(cleaned);
    const side = report.submit();
    await side;
    return await model;
  }, { name: "broken" });
  const error = await f.run(undefined, opts).then(() => undefined, (e) => e as FlowRunError);
  assert.ok(error instanceof FlowRunError);
  assert.deepEqual(ran.sort(), ["load", "report"]);
  const saved = await readRunRecord(opts.recordsDir, error.record.id);
  assert.equal(saved.state, "Failed");
  const states = Object.fromEntries(saved.taskRuns.map((t) => [t.task, t.state]));
  assert.deepEqual(states, { load: "Failed", clean: "NotRun", fit: "NotRun", report: "Completed" });
  const byTask = Object.fromEntries(saved.taskRuns.map((t) => [t.task, t]));
  assert.deepEqual(byTask.clean.upstream, [byTask.load.id]);
  assert.deepEqual(byTask.fit.upstream, [byTask.clean.id]);
  assert.match(byTask.clean.error!.message, /not run: upstream load-\w+ did not complete \(source file missing\)/);
  assert.match(error.message, /ended Failed/);
});

Deno.test("failure: a flow that catches a task failure completes", async () => {
  const opts = await testRun();
  const bad = task(() => {
    throw new Error("nope");
  }, { name: "bad" });
  const f = flow(async () => {
    try {
      await bad();
      return "unreachable";
    } catch {
      return "fallback";
    }
  }, { name: "handled" });
  const run = await f.run(undefined, opts);
  assert.equal(run.result, "fallback");
  assert.equal(run.record.state, "Completed");
  assert.equal(run.record.taskRuns[0].state, "Failed");
});

Deno.test("isolation: two flows running at once keep their own task runs, logs and results", async () => {
  const opts = await testRun();
  const gate = deferred();
  const step = task(async (input: { tag: string; n: number }, { logger }) => {
    logger.info(`step ${input.tag}${input.n}`);
    await gate.promise;
    return { tag: input.tag, n: input.n };
  }, { name: "step" });
  const f = flow(async (tag: string) => {
    const parts = await Promise.all(step.map([1, 2].map((n) => ({ tag, n }))));
    return parts.map((p) => `${p.tag}${p.n}`).join(",");
  }, { name: "parallel" });
  const both = Promise.all([f.run("a", opts), f.run("b", opts)]);
  await tick();
  gate.resolve();
  const [a, b] = await both;
  assert.equal(a.result, "a1,a2");
  assert.equal(b.result, "b1,b2");
  assert.notEqual(a.id, b.id);
  for (const [run, tag] of [[a, "a"], [b, "b"]] as const) {
    assert.equal(run.record.taskRuns.length, 2);
    const stepLogs = run.record.logs.filter((l) => l.message.startsWith("step")).map((l) => l.message).sort();
    assert.deepEqual(stepLogs, [`step ${tag}1`, `step ${tag}2`]);
    const ids = new Set(run.record.taskRuns.map((t) => t.id));
    assert.ok(run.record.logs.every((l) => l.taskRunId === undefined || ids.has(l.taskRunId)));
  }
});

Deno.test("flow retries: a retried flow reuses the task runs that completed", async () => {
  const opts = await testRun();
  const calls = { load: 0, fit: 0 };
  const load = task((rows: number) => (calls.load++, Array.from({ length: rows }, (_, i) => i)), { name: "load" });
  const fit = task((rows: number[]) => {
    if (++calls.fit === 1) throw new Error("worker lost");
    return rows.length;
  }, { name: "fit" });
  const f = flow(async (rows: number) => await fit(await load(rows)), {
    name: "resumable",
    retries: 1,
    retryDelayMs: 500,
  });
  const run = await f.run(4, opts);
  assert.equal(run.result, 4);
  assert.deepEqual(calls, { load: 1, fit: 2 });
  assert.deepEqual(opts.clock.sleeps, [500]);
  const [load1, fit1, load2, fit2] = run.record.taskRuns;
  assert.deepEqual([load1.flowAttempt, fit1.flowAttempt, load2.flowAttempt, fit2.flowAttempt], [1, 1, 2, 2]);
  assert.deepEqual([load1.state, fit1.state, load2.state, fit2.state], ["Completed", "Failed", "Cached", "Completed"]);
  assert.equal(load2.cache.status, "reused");
  assert.equal(load2.cache.reusedFrom, load1.id);
  assert.deepEqual(fit2.upstream, [load2.id]);
  assert.deepEqual(run.record.attempts.map((a) => [a.state, a.delayMs]), [["Failed", 500], ["Completed", undefined]]);
});

Deno.test("upstream: futures and returned objects are edges, primitives are not", async () => {
  const opts = await testRun();
  const rows = task((n: number) => ({ values: Array.from({ length: n }, (_, i) => i) }), { name: "rows" });
  const count = task((data: { values: number[] }) => data.values.length, { name: "count" });
  const double = task((n: number) => n * 2, { name: "double" });
  const pair = task((p: { a: { values: number[] }; b: number }) => p.a.values.length + p.b, { name: "pair" });
  const f = flow(async () => {
    const data = await rows(3);
    const n = await count(data);
    const twice = await double(n);
    return await pair({ a: data, b: double.submit(twice) });
  }, { name: "edges" });
  const run = await f.run(undefined, opts);
  assert.equal(run.result, 15);
  const [r, c, d1, d2, p] = run.record.taskRuns;
  assert.deepEqual(c.upstream, [r.id]);
  assert.deepEqual(d1.upstream, []);
  assert.deepEqual(p.upstream.sort(), [r.id, d2.id].sort());
});

Deno.test("outside a flow: calling, submitting and mapping a task just runs it", async () => {
  const add = task((p: { a: number; b: number }, { taskRunId }) => (assert.equal(taskRunId, undefined), p.a + p.b), {
    name: "add",
    retries: 5,
  });
  assert.equal(await add({ a: 1, b: 2 }), 3);
  const future = add.submit({ a: 2, b: 2 });
  assert.equal(await future, 4);
  assert.equal(future.state, "Completed");
  assert.deepEqual(await Promise.all(add.map([{ a: 1, b: 1 }, { a: future, b: 1 }])), [2, 5]);
});

Deno.test("cancellation: aborting the run cancels waiting and running task runs", async () => {
  const opts = await testRun();
  const controller = new AbortController();
  const started = deferred();
  const hang = task((_: void, { signal }) =>
    new Promise((_, reject) => {
      started.resolve();
      signal.addEventListener("abort", () => reject(signal.reason));
    }), { name: "hang" });
  const queued = task((_: unknown) => "never", { name: "queued" });
  const f = flow(async () => {
    const a = hang.submit();
    const b = queued.submit(a);
    return await Promise.all([a, b]);
  }, { name: "cancellable" });
  const pending = f.run(undefined, { ...opts, signal: controller.signal });
  await started.promise;
  controller.abort();
  const error = await pending.then(() => undefined, (e) => e as FlowRunError);
  assert.equal(error?.state, "Cancelled");
  assert.deepEqual(error?.record.taskRuns.map((t) => t.state), ["Cancelled", "NotRun"]);
});

Deno.test("records: logs and subflows", async () => {
  const opts = await testRun();
  const make = task((n: number) => new Float64Array(n).fill(1.5), { name: "make" });
  const child = flow(async (n: number, { logger }) => {
    logger.info(`child got ${n}`);
    return (await make(n)).length;
  }, { name: "child" });
  const parent = flow(async (n: number) => await child(n * 2), { name: "parent" });
  const run = await parent.run(3, opts);
  assert.equal(run.result, 6);
  assert.equal(run.record.taskRuns.length, 0);
  const runs = await Array.fromAsync(Deno.readDir(opts.recordsDir));
  const childId = runs.map((e) => e.name.replace(".json", "")).find((id) => id !== run.id)!;
  const childRecord = await readRunRecord(opts.recordsDir, childId);
  assert.equal(childRecord.parentFlowRunId, run.id);
  assert.ok(childRecord.logs.some((l) => l.message === "child got 6" && l.taskRunId === undefined));
  assert.ok(childRecord.logs.some((l) => l.taskRunId === childRecord.taskRuns[0].id && /Completed/.test(l.message)));
});
