import assert from "node:assert/strict";
import { flow } from "../../src/flow/flow.ts";
import { type FlowRunRecord, readRunRecord } from "../../src/flow/record.ts";
import { PROGRESS_INTERVAL_MS, RecordWriter } from "../../src/flow/record_writer.ts";
import { task } from "../../src/flow/task.ts";
import { virtualClock } from "../../src/resilience/clock.ts";
import { deferred, testRun, tick } from "./helpers.ts";
import { makeTestDir } from "../temp_dir.ts";

function newRecord(): FlowRunRecord {
  return {
    formatVersion: 1,
    id: "20260101-000000-abcdef",
    name: "progress",
    parameters: {},
    state: "Running",
    start: "2026-01-01T00:00:00.000Z",
    attempts: [],
    taskRuns: [],
    logs: [],
    settings: { cacheDir: "cache" },
  };
}

/** Waits (real time, at most 2 s) until the record on disk satisfies `ready`, and returns it. */
async function onDisk(dir: string, id: string, ready: (record: FlowRunRecord) => boolean): Promise<FlowRunRecord> {
  const deadline = Date.now() + 2_000;
  while (true) {
    const record = await readRunRecord(dir, id).catch(() => undefined);
    if (record && ready(record)) return record;
    assert.ok(Date.now() < deadline, `the record on disk never got there: ${JSON.stringify(record?.state)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("record writer: changes are saved once per interval, not per change", async () => {
  const dir = await makeTestDir();
  const clock = virtualClock();
  let timers = 0;
  const counting = { ...clock, setTimer: (fn: () => void, ms: number) => (timers++, clock.setTimer(fn, ms)) };
  const record = newRecord();
  const writer = new RecordWriter(dir, record, counting);
  for (let i = 0; i < 50; i++) writer.changed();
  assert.equal(timers, 1);
  clock.advance(PROGRESS_INTERVAL_MS - 1);
  await tick();
  await assert.rejects(readRunRecord(dir, record.id), /no flow run/);
  clock.advance(1);
  assert.equal((await onDisk(dir, record.id, () => true)).state, "Running");
  writer.changed();
  assert.equal(timers, 2, "the next change after a save asks for another");
});

Deno.test("record writer: the final save drops a pending progress save, so no older snapshot lands after it", async () => {
  const dir = await makeTestDir();
  const clock = virtualClock();
  const record = newRecord();
  const writer = new RecordWriter(dir, record, clock);
  writer.changed();
  clock.advance(PROGRESS_INTERVAL_MS); // a progress save starts
  record.state = "Completed";
  await writer.save();
  writer.changed();
  await writer.save(); // drops the progress save just asked for
  record.state = "Failed"; // never saved: no save is pending
  clock.advance(10 * PROGRESS_INTERVAL_MS);
  for (let i = 0; i < 20; i++) await tick();
  assert.equal((await readRunRecord(dir, record.id)).state, "Completed");
});

Deno.test("a running flow's record shows its task runs while they run", async () => {
  const opts = await testRun();
  const gate = deferred();
  const slow = task(async () => {
    await gate.promise;
    return 1;
  }, { name: "slow" });
  const quick = task(() => 2, { name: "quick" });
  let seenWhileRunning: FlowRunRecord | undefined;
  const f = flow(async (_: void, { flowRunId }) => {
    const first = quick.submit();
    const second = slow.submit();
    await first;
    await tick();
    opts.clock.advance(PROGRESS_INTERVAL_MS);
    seenWhileRunning = await onDisk(opts.recordsDir, flowRunId, (record) => record.taskRuns.length === 2);
    gate.resolve();
    return await second;
  }, { name: "progress" });
  const run = await f.run(undefined, opts);
  assert.equal(seenWhileRunning!.state, "Running");
  assert.deepEqual(seenWhileRunning!.taskRuns.map((t) => [t.task, t.state]), [["quick", "Completed"], [
    "slow",
    "Running",
  ]]);
  const final = await readRunRecord(opts.recordsDir, run.id);
  assert.equal(final.state, "Completed");
  assert.deepEqual(final.taskRuns.map((t) => t.state), ["Completed", "Completed"]);
});
