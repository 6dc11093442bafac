/**
 * `deno task schedule`: retrains on a cron schedule (the seed deployed its
 * training flow with `cron="0 1 * * *"`). Each run is the tracked training
 * flow; runs never overlap, a failed run is logged (its flow record and
 * tracking run say FAILED) and the schedule goes on; SIGINT/SIGTERM stop the
 * schedule, letting a run in progress finish first (a second signal exits at
 * once). The schedule's state (expression, next run, run in progress, last
 * outcome) is kept in `flowruns/schedule.state.json` for `deno task ui`.
 *
 * Exit code: 0 when every run succeeded, 1 when any failed.
 *
 * @module
 */
import { train } from "../pipeline/train.ts";
import { runSchedule, type ScheduleEvent } from "../ops/schedule.ts";
import { ScheduleRecorder } from "../ops/schedule_state.ts";
import { formatDuration } from "../flow/units.ts";
import { DEFAULT_RECORDS_DIR } from "../flow/record.ts";
import { numberFlag, runCommand, UsageError } from "./run_command.ts";
import { TRAIN_FLAGS, TRAIN_FLAGS_USAGE, trainOptionsFromFlags } from "./train_flags.ts";

const usage = `deno task schedule --cron EXPR [options] [training options]
  --cron EXPR             when to retrain: "m h dom mon dow", or with seconds first "s m h dom mon dow" (e.g. "0 1 * * *")
  --timezone ZONE         IANA time zone of the expression (default: the system's)
  --max-runs N            stop after N runs (default: run until SIGINT/SIGTERM)
training options (as deno task train):
${TRAIN_FLAGS_USAGE}`;

await runCommand({
  usage,
  options: {
    cron: { type: "string" },
    timezone: { type: "string" },
    "max-runs": { type: "string" },
    ...TRAIN_FLAGS,
  },
}, async ({ values }) => {
  if (values.cron === undefined) throw new UsageError('--cron is required, e.g. --cron "0 1 * * *"');
  const maxRuns = numberFlag("max-runs", values["max-runs"]);
  if (maxRuns !== undefined && maxRuns < 1) throw new UsageError("--max-runs must be at least 1");
  const options = trainOptionsFromFlags(values);

  const controller = new AbortController();
  let running: number | undefined;
  const stop = () => {
    if (controller.signal.aborted) {
      // A second request means "now": the run in progress is left as it is (its records say RUNNING).
      log(`second stop request: exiting${running === undefined ? "" : ` without finishing run ${running}`}`);
      Deno.exit(130);
    }
    log(
      `stop requested: no new runs will start${
        running === undefined ? "" : ` (run ${running} will finish first; signal again to exit now)`
      }`,
    );
    controller.abort();
  };
  // Next to the flow-run records the trainings write, where `deno task ui` shows the next run.
  const recorder = new ScheduleRecorder(DEFAULT_RECORDS_DIR, { cron: values.cron, timezone: values.timezone });
  let recordFailed = false;
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const name of signals) Deno.addSignalListener(name, stop);
  try {
    const summary = await runSchedule({
      cron: values.cron,
      ...(values.timezone === undefined ? {} : { timezone: values.timezone }),
      ...(maxRuns === undefined ? {} : { maxRuns }),
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "started") running = event.run;
        if (event.type === "finished" || event.type === "failed") running = undefined;
        describe(event);
        recorder.record(event).catch((error) => {
          // The schedule goes on without its state file; said once, not at every event.
          if (!recordFailed) log(`cannot record the schedule's state: ${(error as Error).message}`);
          recordFailed = true;
        });
      },
      job: async () => {
        const result = await train(options, "tracked", { progress: true });
        log(`trained: ${result.selected}, test AUC ${result.auc.toFixed(4)}, bundle ${result.bundle}`);
      },
    });
    await recorder.settled().catch(() => {});
    log(`${summary.runs} run(s), ${summary.failed} failed, ${summary.skipped} tick(s) skipped`);
    return summary.failed === 0 ? 0 : 1;
  } finally {
    for (const name of signals) Deno.removeSignalListener(name, stop);
  }
});

function describe(event: ScheduleEvent): void {
  switch (event.type) {
    case "waiting":
      return log(
        `next run at ${event.next.toISOString()} (in ${
          formatDuration(Math.max(0, event.next.getTime() - Date.now()))
        })`,
      );
    case "started":
      return log(`run ${event.run} started (scheduled ${event.scheduledAt.toISOString()})`);
    case "finished":
      return log(`run ${event.run} finished in ${formatDuration(event.ms)}`);
    case "failed":
      return log(
        `run ${event.run} FAILED after ${formatDuration(event.ms)}: ${(event.error as Error)?.message ?? event.error}`,
      );
    case "skipped":
      return log(`tick ${event.scheduledAt.toISOString()} skipped: run ${event.running} is still running`);
    case "stopping":
      return log(`waiting for run ${event.running} to finish`);
    case "stopped":
      return log(`schedule stopped (${event.reason})`);
  }
}

function log(message: string): void {
  console.log(`${new Date().toISOString()} schedule: ${message}`);
}
