import assert from "node:assert/strict";
import { DataError } from "../../src/data/errors.ts";
import { flow, FlowRunError } from "../../src/flow/flow.ts";
import { readRunRecord } from "../../src/flow/record.ts";
import { task } from "../../src/flow/task.ts";
import { TaskTimeoutError } from "../../src/flow/errors.ts";
import { exponentialBackoff } from "../../src/resilience/backoff.ts";
import { deferred, testRun, tick } from "./helpers.ts";

/** A task body that fails its first `failures` calls. */
function failing(failures: number, error: () => Error = () => new Error("transient")) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    body: () => {
      calls++;
      if (calls <= failures) throw error();
      return calls;
    },
  };
}

Deno.test("retries: exact attempt count, recorded delays and virtual time", async () => {
  const opts = await testRun();
  const flaky = failing(2);
  const t = task(flaky.body, { name: "flaky", retries: 3, retryDelayMs: [100, 250] });
  const f = flow(async () => await t(), { name: "retry-flow" });
  const run = await f.run(undefined, opts);
  assert.equal(run.result, 3);
  assert.equal(flaky.calls, 3);
  const [taskRun] = run.record.taskRuns;
  assert.equal(taskRun.state, "Completed");
  assert.deepEqual(taskRun.attempts.map((a) => a.state), ["Failed", "Failed", "Completed"]);
  assert.deepEqual(taskRun.attempts.map((a) => a.delayMs), [100, 250, undefined]);
  assert.deepEqual(taskRun.attempts.map((a) => a.error?.message), ["transient", "transient", undefined]);
  assert.deepEqual(opts.clock.sleeps, [100, 250]);
  assert.equal(taskRun.durationMs, 350);
  const saved = await readRunRecord(opts.recordsDir, run.id);
  assert.deepEqual(saved.taskRuns[0].attempts, taskRun.attempts);
});

Deno.test("retries: exhausted retries fail the task and the flow, and the record is saved", async () => {
  const opts = await testRun();
  const flaky = failing(Infinity);
  const t = task(flaky.body, { name: "always-fails", retries: 2, retryDelayMs: 40 });
  const f = flow(async () => await t(), { name: "exhaust" });
  const error = await f.run(undefined, opts).then(() => undefined, (e) => e);
  assert.ok(error instanceof FlowRunError);
  assert.equal(error.state, "Failed");
  assert.equal(flaky.calls, 3);
  assert.deepEqual(opts.clock.sleeps, [40, 40]);
  const saved = await readRunRecord(opts.recordsDir, error.record.id);
  assert.equal(saved.state, "Failed");
  assert.equal(saved.taskRuns[0].state, "Failed");
  assert.deepEqual(saved.taskRuns[0].attempts.map((a) => a.delayMs), [40, 40, undefined]);
  assert.equal(saved.taskRuns[0].error?.message, "transient");
  assert.ok(saved.taskRuns[0].error?.stack?.includes("retry_test.ts"));
  assert.equal(saved.error?.message, "transient");
});

Deno.test("retries: exponential backoff doubles without jitter", async () => {
  const opts = await testRun();
  const t = task(failing(4).body, { name: "backoff", retries: 4, retryDelayMs: exponentialBackoff({ baseMs: 100 }) });
  await flow(async () => await t(), { name: "backoff-flow" }).run(undefined, opts);
  assert.deepEqual(opts.clock.sleeps, [100, 200, 400, 800]);
});

Deno.test("retries: backoff cap and seeded jitter stay in bounds and reproduce", async () => {
  const spec = exponentialBackoff({ baseMs: 100, factor: 3, maxMs: 1000, jitter: 0.5 });
  const delaysOf = async (name: string) => {
    const opts = await testRun();
    const t = task(failing(5).body, { name, retries: 5, retryDelayMs: spec });
    await flow(async () => await t(), { name: "jitter-flow" }).run(undefined, opts);
    return opts.clock.sleeps;
  };
  const first = await delaysOf("jittery");
  const bases = [100, 300, 900, 1000, 1000];
  first.forEach((delay, i) => {
    assert.ok(
      delay >= bases[i] * 0.5 && delay <= bases[i],
      `delay ${i} = ${delay} outside [${bases[i] * 0.5}, ${bases[i]}]`,
    );
  });
  assert.deepEqual(await delaysOf("jittery"), first);
  assert.notDeepEqual(await delaysOf("other-task"), first);
});

Deno.test("retries: retryIf stops retrying errors it rejects", async () => {
  class Fatal extends Error {}
  const opts = await testRun();
  const fatal = failing(Infinity, () => new Fatal("bad credentials"));
  const transient = failing(1);
  const retryIf = (error: unknown) => !(error instanceof Fatal);
  const a = task(fatal.body, { name: "fatal", retries: 3, retryIf });
  const b = task(transient.body, { name: "transient", retries: 3, retryIf });
  const f = flow(async () => {
    const second = await b();
    await a();
    return second;
  }, { name: "retry-if" });
  const error = await f.run(undefined, opts).then(() => undefined, (e) => e as FlowRunError);
  assert.ok(error);
  assert.equal(fatal.calls, 1);
  assert.equal(transient.calls, 2);
  const runs = Object.fromEntries(error.record.taskRuns.map((t) => [t.task, t]));
  assert.equal(runs.fatal.attempts.length, 1);
  assert.equal(runs.fatal.state, "Failed");
  assert.equal(runs.transient.attempts.length, 2);
});

Deno.test("timeout: an async task is aborted through its signal, retried, and ends TimedOut", async () => {
  const opts = await testRun();
  const reasons: unknown[] = [];
  let started = deferred();
  const slow = task((_: void, { signal }) => {
    started.resolve();
    return new Promise((_, reject) => {
      signal.addEventListener("abort", () => {
        reasons.push(signal.reason);
        reject(signal.reason);
      });
    });
  }, { name: "slow", timeoutMs: 15, retries: 1, retryDelayMs: 5 });
  const pending = flow(async () => await slow(), { name: "timeout-flow" }).run(undefined, opts).then(
    () => undefined,
    (e) => e as FlowRunError,
  );
  await started.promise; // the flow saved its first record (real I/O) and the body runs, its timer set
  started = deferred();
  opts.clock.advance(14);
  await tick();
  assert.equal(reasons.length, 0, "no timeout before 15 ms");
  opts.clock.advance(1); // the first attempt times out; the 5 ms retry wait moves the clock on
  await started.promise;
  opts.clock.advance(15);
  const error = await pending;
  assert.ok(error);
  const [taskRun] = error.record.taskRuns;
  assert.equal(taskRun.state, "TimedOut");
  assert.deepEqual(taskRun.attempts.map((a) => [a.state, a.durationMs]), [["TimedOut", 15], ["TimedOut", 15]]);
  assert.deepEqual(opts.clock.sleeps, [5]);
  assert.equal(reasons.length, 2);
  assert.ok(reasons.every((r) => r instanceof TaskTimeoutError && r.timeoutMs === 15));
  assert.equal(taskRun.error?.name, "TaskTimeoutError");
});

Deno.test("timeout: a body that ignores its signal is abandoned on time", async () => {
  const opts = await testRun();
  const started = deferred();
  const gate = deferred();
  let finished = false;
  const stubborn = task(async () => {
    started.resolve();
    await gate.promise;
    finished = true;
    return 1;
  }, { name: "stubborn", timeoutMs: 10 });
  const pending = flow(async () => await stubborn(), { name: "stubborn-flow" }).run(undefined, opts).then(
    () => undefined,
    (e) => e as FlowRunError,
  );
  await started.promise;
  opts.clock.advance(10);
  const error = await pending;
  assert.equal(error?.record.taskRuns[0].state, "TimedOut");
  assert.equal(error?.record.taskRuns[0].durationMs, 10);
  assert.equal(finished, false, "the run ended before the body did");
  const saved = await readRunRecord(opts.recordsDir, error!.record.id);
  assert.equal(saved.taskRuns[0].state, "TimedOut");
  gate.resolve();
  await tick();
  assert.equal(finished, true);
  assert.equal((await readRunRecord(opts.recordsDir, error!.record.id)).taskRuns[0].state, "TimedOut");
});

Deno.test("retries: bad input is never retried, by a task or by its flow", async () => {
  const opts = await testRun();
  const bad = failing(Infinity, () => new DataError("not a number", { file: "tx.csv", column: "amount", row: 2 }));
  const load = task(bad.body, { name: "load", retries: 3, retryDelayMs: 100 });
  const f = flow(async () => await load(), { name: "bad-data", retries: 2, retryDelayMs: 1000 });
  const error = await f.run(undefined, opts).then(() => undefined, (e) => e as FlowRunError);
  assert.ok(error?.cause instanceof DataError);
  assert.equal(bad.calls, 1);
  assert.deepEqual(opts.clock.sleeps, []);
  assert.deepEqual(error.record.attempts.map((a) => a.state), ["Failed"]);
  assert.deepEqual(error.record.taskRuns.map((t) => [t.state, t.attempts.length]), [["Failed", 1]]);
});
