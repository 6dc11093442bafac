import assert from "node:assert/strict";
import { virtualClock } from "../../src/resilience/clock.ts";
import { nextRuns, parseCron, runSchedule, type ScheduleEvent, type Tick } from "../../src/ops/schedule.ts";

const iso = (dates: readonly Date[]) => dates.map((date) => date.toISOString());
const at = (text: string) => Date.parse(text);

Deno.test("run times of daily, seconds and zoned expressions", () => {
  assert.deepEqual(iso(nextRuns("0 1 * * *", new Date("2026-03-01T00:30:00Z"), 3, "UTC")), [
    "2026-03-01T01:00:00.000Z",
    "2026-03-02T01:00:00.000Z",
    "2026-03-03T01:00:00.000Z",
  ]);
  // A time exactly on a run is not a run time again: the next one is strictly later.
  assert.deepEqual(iso(nextRuns("0 1 * * *", new Date("2026-03-01T01:00:00Z"), 1, "UTC")), [
    "2026-03-02T01:00:00.000Z",
  ]);
  assert.deepEqual(iso(nextRuns("*/15 * * * * *", new Date("2026-03-01T12:00:07Z"), 3, "UTC")), [
    "2026-03-01T12:00:15.000Z",
    "2026-03-01T12:00:30.000Z",
    "2026-03-01T12:00:45.000Z",
  ]);
  // 01:00 in Stockholm is 00:00 UTC in winter and 23:00 UTC the day before in summer.
  assert.deepEqual(iso(nextRuns("0 1 * * *", new Date("2026-03-28T12:00:00Z"), 2, "Europe/Stockholm")), [
    "2026-03-29T00:00:00.000Z",
    "2026-03-29T23:00:00.000Z",
  ]);
  assert.throws(() => parseCron("every night"), /^RangeError: bad cron expression "every night"/);
  assert.throws(() => parseCron("0 25 * * *"), /bad cron expression "0 25 \* \* \*"/);
  assert.throws(() => parseCron("0 1 * * *", "Mars/Base"), /^RangeError: unknown time zone "Mars\/Base"/);
  assert.throws(() => parseCron("0 0 31 2 *"), {
    name: "RangeError",
    message: 'cron expression "0 0 31 2 *" never fires: no date matches it',
  });
  assert.throws(() => parseCron("0 0 30 2 *", "UTC"), /never fires/);
  // 29 February fires, in leap years only.
  assert.deepEqual(iso(nextRuns("0 0 29 2 *", new Date("2026-03-01T00:00:00Z"), 1, "UTC")), [
    "2028-02-29T00:00:00.000Z",
  ]);
});

/** Runs a schedule on a virtual clock, recording events with their virtual times. */
async function simulate(options: {
  cron: string;
  job: (tick: Tick, clock: ReturnType<typeof virtualClock>) => Promise<unknown>;
  maxRuns?: number;
  onEvent?: (event: ScheduleEvent, controller: AbortController) => void;
}) {
  const clock = virtualClock(at("2026-03-01T00:00:00Z"));
  const controller = new AbortController();
  const events: { time: string; event: ScheduleEvent }[] = [];
  const summary = await runSchedule({
    cron: options.cron,
    timezone: "UTC",
    clock,
    signal: controller.signal,
    maxRuns: options.maxRuns,
    job: (tick) => options.job(tick, clock),
    onEvent: (event) => {
      events.push({ time: new Date(clock.now()).toISOString(), event });
      options.onEvent?.(event, controller);
    },
  });
  return { summary, events, clock };
}

const ofType = <T extends ScheduleEvent["type"]>(events: { event: ScheduleEvent }[], type: T) =>
  events.map((e) => e.event).filter((e): e is Extract<ScheduleEvent, { type: T }> => e.type === type);

Deno.test("runs start at their scheduled times until max runs have finished", async () => {
  const started: string[] = [];
  const { summary, events } = await simulate({
    cron: "0 1 * * *",
    maxRuns: 3,
    job: (_tick, clock) => {
      started.push(new Date(clock.now()).toISOString());
      clock.advance(20 * 60_000); // a 20-minute training run
      return Promise.resolve();
    },
  });
  assert.deepEqual(summary, { runs: 3, failed: 0, skipped: 0 });
  assert.deepEqual(started, ["2026-03-01T01:00:00.000Z", "2026-03-02T01:00:00.000Z", "2026-03-03T01:00:00.000Z"]);
  assert.deepEqual(ofType(events, "finished").map((e) => e.ms), [1_200_000, 1_200_000, 1_200_000]);
  assert.deepEqual(iso(ofType(events, "waiting").map((e) => e.next)), started);
  assert.deepEqual(events.at(-1)!.event, { type: "stopped", reason: "max-runs" });
});

Deno.test("a tick that arrives while a run is still going is skipped, never run alongside it", async () => {
  let release = () => {};
  let running = 0;
  let most = 0;
  const { summary, events } = await simulate({
    cron: "*/10 * * * * *",
    maxRuns: 2,
    job: async ({ run }) => {
      running++;
      most = Math.max(most, running);
      // Run 1 lasts until two later ticks have been skipped.
      if (run === 1) await new Promise<void>((resolve) => (release = resolve));
      running--;
    },
    onEvent: (event) => {
      if (event.type === "skipped" && iso([event.scheduledAt])[0] === "2026-03-01T00:00:30.000Z") release();
    },
  });
  assert.equal(most, 1);
  assert.deepEqual(summary, { runs: 2, failed: 0, skipped: 2 });
  const skipped = ofType(events, "skipped");
  assert.deepEqual(iso(skipped.map((e) => e.scheduledAt)), ["2026-03-01T00:00:20.000Z", "2026-03-01T00:00:30.000Z"]);
  assert.deepEqual(skipped.map((e) => e.running), [1, 1]);
  assert.deepEqual(iso(ofType(events, "started").map((e) => e.scheduledAt)), [
    "2026-03-01T00:00:10.000Z",
    "2026-03-01T00:00:40.000Z",
  ]);
});

Deno.test("a failed run is reported and the schedule goes on", async () => {
  const { summary, events } = await simulate({
    cron: "0 * * * *",
    maxRuns: 3,
    job: ({ run }) => (run === 1 ? Promise.reject(new Error("data source down")) : Promise.resolve()),
  });
  assert.deepEqual(summary, { runs: 3, failed: 1, skipped: 0 });
  const failed = ofType(events, "failed");
  assert.deepEqual(failed.map((e) => [e.run, (e.error as Error).message]), [[1, "data source down"]]);
  assert.deepEqual(ofType(events, "finished").map((e) => e.run), [2, 3]);
});

Deno.test("a stop while idle ends the schedule at once; a stop during a run lets the run finish", async () => {
  const idle = await simulate({
    cron: "0 1 * * *",
    job: () => Promise.resolve(),
    onEvent: (event, controller) => {
      if (event.type === "waiting" && event.next.getUTCDate() === 2) controller.abort();
    },
  });
  assert.deepEqual(idle.summary, { runs: 1, failed: 0, skipped: 0 });
  assert.deepEqual(idle.events.at(-1), {
    time: "2026-03-01T01:00:00.000Z",
    event: { type: "stopped", reason: "signal" },
  });

  let sawAbort = false;
  let finish = () => {};
  const gate = new Promise<void>((resolve) => (finish = resolve));
  const busy = await simulate({
    cron: "0 1 * * *",
    job: async ({ signal }) => {
      await gate;
      sawAbort = signal.aborted;
    },
    onEvent: (event, controller) => {
      if (event.type === "started") controller.abort();
      if (event.type === "stopping") finish();
    },
  });
  assert.ok(sawAbort, "the running job sees the stop request");
  assert.deepEqual(busy.summary, { runs: 1, failed: 0, skipped: 0 });
  assert.deepEqual(busy.events.slice(-3).map((e) => e.event.type), ["stopping", "finished", "stopped"]);
});
