import assert from "node:assert/strict";
import { flow, FlowRunError } from "../../src/flow/flow.ts";
import { task } from "../../src/flow/task.ts";
import { systemClock } from "../../src/resilience/clock.ts";
import type { explode, spin, sumSquares, waitForever } from "./fixtures/workers.ts";
import { testRun } from "./helpers.ts";

const WORKERS = new URL("./fixtures/workers.ts", import.meta.url);

function processAlive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

/** Whether the process is gone within `ms` (SIGKILL delivery takes a scheduler turn on a busy machine). */
async function exitsWithin(pid: number, ms: number): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms;) {
    if (!processAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !processAlive(pid);
}

for (const isolation of ["process", "thread"] as const) {
  Deno.test(`worker (${isolation}): runs the export and returns typed values`, async () => {
    const opts = await testRun();
    const sum = task.worker<typeof sumSquares>(WORKERS, "sumSquares", { isolation });
    const f = flow(async () => await sum({ n: 4, data: new Float64Array([1, 2.5]) }), { name: "worker-sum" });
    const run = await f.run(undefined, opts);
    assert.equal(run.result.sum, 0 + 1 + 4 + 9);
    assert.deepEqual(run.result.doubled, new Float64Array([2, 5]));
    assert.equal(run.record.taskRuns[0].isolation, isolation);
    assert.equal(run.record.taskRuns[0].task, "sumSquares");
  });

  Deno.test(`worker (${isolation}): an error in the worker fails the task with its name and message`, async () => {
    const opts = await testRun();
    const boom = task.worker<typeof explode>(WORKERS, "explode", { isolation, retries: 1 });
    const f = flow(async () => await boom({ message: "bad split" }), { name: "worker-error" });
    const error = await f.run(undefined, opts).then(() => undefined, (e) => e as FlowRunError);
    const [taskRun] = error!.record.taskRuns;
    assert.equal(taskRun.state, "Failed");
    // The rebuilt error keeps its class name, so the runtime sees bad input (a RangeError) and does not retry it.
    assert.equal(taskRun.attempts.length, 1);
    assert.deepEqual([taskRun.error?.name, taskRun.error?.message], ["RangeError", "bad split"]);
  });
}

Deno.test("worker (process): stdout lines land in the task run's log", async () => {
  const opts = await testRun();
  const sum = task.worker<typeof sumSquares>(WORKERS, "sumSquares");
  const run = await flow(async () => await sum({ n: 3, data: new Float64Array() }), { name: "worker-log" }).run(
    undefined,
    opts,
  );
  assert.ok(run.record.logs.some((l) => l.message === "summed 3 squares" && l.taskRunId === run.record.taskRuns[0].id));
});

Deno.test("worker (process): a CPU-bound task past its timeout is killed", async () => {
  const opts = await testRun();
  const pidFile = `${opts.dir}/pid`;
  const busy = task.worker<typeof spin>(WORKERS, "spin", { timeoutMs: 1000 });
  const f = flow(async () => await busy({ pidFile }), { name: "worker-timeout" });
  // A real process spins on a real core: its timeout is on the real clock.
  const error = await f.run(undefined, { ...opts, clock: systemClock }).then(() => undefined, (e) => e as FlowRunError);
  assert.equal(error?.record.taskRuns[0].state, "TimedOut");
  assert.equal(error?.record.taskRuns[0].error?.name, "TaskTimeoutError");
  const pid = Number(await Deno.readTextFile(pidFile));
  assert.ok(pid > 0);
  assert.ok(await exitsWithin(pid, 2000), `worker process ${pid} still running after the timeout`);
});

Deno.test("worker (thread): a waiting task past its timeout ends TimedOut", async () => {
  const opts = await testRun();
  const idle = task.worker<typeof waitForever>(WORKERS, "waitForever", { isolation: "thread", timeoutMs: 300 });
  const error = await flow(async () => await idle(), { name: "thread-timeout" }).run(undefined, {
    ...opts,
    clock: systemClock,
  }).then(
    () => undefined,
    (e) => e as FlowRunError,
  );
  assert.equal(error?.record.taskRuns[0].state, "TimedOut");
});

Deno.test("worker: an input that cannot be sent is named", async () => {
  const opts = await testRun();
  const sum = task.worker<typeof sumSquares>(WORKERS, "sumSquares");
  const bad = { n: 1, data: new Float64Array(), extra: () => 1 } as unknown as Parameters<typeof sumSquares>[0];
  const error = await flow(async () => await sum(bad), { name: "worker-bad-input" }).run(undefined, opts).then(
    () => undefined,
    (e) => e as FlowRunError,
  );
  assert.match(error!.record.taskRuns[0].error!.message, /cannot send input\.extra: function extra/);
});
