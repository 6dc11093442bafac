import assert from "node:assert/strict";
import { readScheduleState, SCHEDULE_STATE_FILE, ScheduleRecorder } from "../../src/ops/schedule_state.ts";
import { makeTestDir } from "../temp_dir.ts";

Deno.test("schedule state: each event leaves the file in the state a reader needs", async () => {
  const dir = await makeTestDir();
  assert.equal(await readScheduleState(dir), undefined);
  const recorder = new ScheduleRecorder(dir, { cron: "0 1 * * *", timezone: "UTC" }, new Date("2026-01-01T12:00:00Z"));
  await recorder.record({ type: "waiting", next: new Date("2026-01-02T01:00:00Z") });
  assert.deepEqual(await readScheduleState(dir), {
    format: "schedule-state/1",
    cron: "0 1 * * *",
    timezone: "UTC",
    startedAt: "2026-01-01T12:00:00.000Z",
    next: "2026-01-02T01:00:00.000Z",
    running: null,
    lastRun: null,
    stopped: null,
  });
  await recorder.record({ type: "started", run: 1, scheduledAt: new Date("2026-01-02T01:00:00Z") });
  assert.deepEqual(
    [(await readScheduleState(dir))?.next, (await readScheduleState(dir))?.running],
    [null, 1],
  );
  await recorder.record({ type: "failed", run: 1, ms: 5, error: new Error("x") }, new Date("2026-01-02T01:00:05Z"));
  recorder.record({ type: "waiting", next: new Date("2026-01-03T01:00:00Z") });
  await recorder.record({ type: "stopped", reason: "signal" }, new Date("2026-01-02T02:00:00Z"));
  const last = (await readScheduleState(dir))!;
  assert.deepEqual(last.lastRun, { run: 1, outcome: "failed", at: "2026-01-02T01:00:05.000Z" });
  assert.deepEqual([last.next, last.running, last.stopped], [null, null, {
    at: "2026-01-02T02:00:00.000Z",
    reason: "signal",
  }]);
  assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), [SCHEDULE_STATE_FILE], "no temp files left");
});

Deno.test("schedule state: a file that is not one is an error naming it", async () => {
  const dir = await makeTestDir();
  await Deno.writeTextFile(`${dir}/${SCHEDULE_STATE_FILE}`, "{");
  await assert.rejects(readScheduleState(dir), /schedule\.state\.json.*not JSON/);
  await Deno.writeTextFile(`${dir}/${SCHEDULE_STATE_FILE}`, '{"cron": 5}');
  await assert.rejects(readScheduleState(dir), /schedule\.state\.json.*not a schedule state/);
});
