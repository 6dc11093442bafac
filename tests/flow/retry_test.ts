import assert from "node:assert/strict";
import {
  exponentialBackoff,
  flow,
  FlowRunError,
  readRunRecord,
  retryDelayMs,
  task,
  TaskTimeoutError,
} from "../../src/flow/mod.ts";
import { testRun } from "./helpers.ts";

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

Deno.test("retries: a list of delays repeats its last entry", () => {
  assert.deepEqual([1, 2, 3, 4].map((r) => retryDelayMs([10, 50], r)), [10, 50, 50, 50]);
  assert.equal(retryDelayMs(undefined, 1), 0);
});

Deno.test("retries: exponential backoff doubles without jitter", async () => {
  const opts = await testRun();
  const t = task(failing(4).body, { name: "backoff", retries: 4, retryDelayMs: exponentialBackoff({ baseMs: 100 }) });
  await flow(async () => await t(), { name: "backoff-flow" }).run(undefined, opts);
  assert.deepEqual(opts.clock.sleeps, [100, 200, 400, 800]);
});

Deno.test("retries: backoff cap and seeded jitter stay in bounds and reproduce", async () => {
  const spec = exponentialBackoff({ baseMs: 100, factor: 3, maxMs: 1000, jitter: 0.5, seed: 11 });
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
      delay >= bases[i] && delay <= bases[i] * 1.5,
      `delay ${i} = ${delay} outside [${bases[i]}, ${bases[i] * 1.5}]`,
    );
  });
  assert.ok(first.slice(0, 3).every((d, i) => i === 0 || d > first[i - 1]), `delays grow: ${first}`);
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
  const slow = task((_: void, { signal }) =>
    new Promise((_, reject) => {
      signal.addEventListener("abort", () => {
        reasons.push(signal.reason);
        reject(signal.reason);
      });
    }), { name: "slow", timeoutMs: 15, retries: 1, retryDelayMs: 5 });
  const error = await flow(async () => await slow(), { name: "timeout-flow" }).run(undefined, opts).then(
    () => undefined,
    (e) => e as FlowRunError,
  );
  assert.ok(error);
  const [taskRun] = error.record.taskRuns;
  assert.equal(taskRun.state, "TimedOut");
  assert.deepEqual(taskRun.attempts.map((a) => a.state), ["TimedOut", "TimedOut"]);
  assert.equal(reasons.length, 2);
  assert.ok(reasons.every((r) => r instanceof TaskTimeoutError && r.timeoutMs === 15));
  assert.equal(taskRun.error?.name, "TaskTimeoutError");
});

Deno.test("timeout: a body that ignores its signal is abandoned on time", async () => {
  const opts = await testRun();
  let finished = false;
  const stubborn = task(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    finished = true;
    return 1;
  }, { name: "stubborn", timeoutMs: 10 });
  const error = await flow(async () => await stubborn(), { name: "stubborn-flow" }).run(undefined, opts).then(
    () => undefined,
    (e) => e as FlowRunError,
  );
  assert.equal(error?.record.taskRuns[0].state, "TimedOut");
  assert.equal(finished, false);
  await new Promise((resolve) => setTimeout(resolve, 60));
});
