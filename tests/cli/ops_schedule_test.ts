import assert from "node:assert/strict";
import { TrackingClient } from "../../src/tracking/client.ts";
import { readScheduleState } from "../../src/ops/schedule_state.ts";
import { makeTestDir } from "../temp_dir.ts";

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const CLI = new URL("../../src/cli/schedule.ts", import.meta.url).pathname;
const TINY = ["--customers", "200", "--transactions", "1600", "--candidates", "logistic", "--folds", "3"];

function schedule(cwd: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, CLI, ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function finish(child: Deno.ChildProcess) {
  const output = await child.output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

/** The top-level (not nested candidate) training runs of the store. */
async function trainingRuns(trackingUri: string) {
  const client = new TrackingClient({ trackingUri });
  const experiment = await client.getExperimentByName("Customer_Conversion_Scorecard");
  if (experiment === null) return [];
  const runs = (await client.searchRuns({ experimentIds: [experiment.experimentId] })).items;
  return runs.filter((run) => run.data.tags["mlflow.parentRunId"] === undefined);
}

Deno.test("schedule runs the tracked training twice on a seconds cron, then stops", async () => {
  const cwd = await makeTestDir({ prefix: "ops-schedule-" });
  const trackingUri = `file:${cwd}/mlruns`;
  const run = await finish(schedule(cwd, [
    "--cron",
    "*/2 * * * * *",
    "--max-runs",
    "2",
    ...TINY,
    "--out",
    `${cwd}/model`,
    "--tracking-uri",
    trackingUri,
  ]));
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /schedule: next run at \d{4}-\d\d-\d\dT\d\d:\d\d:(\d[02468])\.000Z \(in (\d+ ms|\d+\.\d s)\)/,
  );
  assert.match(run.stdout, /schedule: run 1 finished/);
  assert.match(run.stdout, /schedule: run 2 finished/);
  assert.match(run.stdout, /schedule: schedule stopped \(max-runs\)/);
  assert.match(run.stdout, /schedule: 2 run\(s\), 0 failed, \d+ tick\(s\) skipped/);
  const runs = await trainingRuns(trackingUri);
  assert.deepEqual(runs.map((r) => r.info.status), ["FINISHED", "FINISHED"]);
  assert.ok(Deno.statSync(`${cwd}/model/model_bundle.json`).isFile);
  // Recorded next to the flow runs for the UI: the expression, the last run and why it stopped.
  const state = await readScheduleState(`${cwd}/flowruns`);
  assert.equal(state?.cron, "*/2 * * * * *");
  assert.deepEqual([state?.lastRun?.run, state?.lastRun?.outcome, state?.stopped?.reason], [2, "finished", "max-runs"]);
});

Deno.test("schedule keeps going after failed runs and exits 1", async () => {
  const cwd = await makeTestDir({ prefix: "ops-schedule-" });
  const trackingUri = `file:${cwd}/mlruns`;
  const run = await finish(schedule(cwd, [
    "--cron",
    "* * * * * *",
    "--max-runs",
    "2",
    "--data",
    `${cwd}/nowhere.csv`,
    "--out",
    `${cwd}/model`,
    "--tracking-uri",
    trackingUri,
  ]));
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /schedule: run 1 FAILED after (\d+ ms|\d+\.\d s): .*nowhere\.csv/);
  assert.match(run.stdout, /schedule: run 2 FAILED after (\d+ ms|\d+\.\d s): .*nowhere\.csv/);
  assert.match(run.stdout, /schedule: 2 run\(s\), 2 failed/);
  const runs = await trainingRuns(trackingUri);
  assert.deepEqual(runs.map((r) => r.info.status), ["FAILED", "FAILED"]);
});

Deno.test("schedule stops cleanly on SIGTERM while it waits", async () => {
  const cwd = await makeTestDir({ prefix: "ops-schedule-" });
  const child = schedule(cwd, ["--cron", "0 0 1 1 *", "--timezone", "UTC"]);
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("next run at")) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  assert.match(seen, /next run at \d{4}-01-01T00:00:00\.000Z/);
  child.kill("SIGTERM");
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) seen += chunk.value;
  const status = await child.status;
  await child.stderr.cancel();
  assert.equal(status.code, 0);
  assert.match(seen, /stop requested: no new runs will start/);
  assert.match(seen, /schedule stopped \(signal\)/);
  assert.match(seen, /0 run\(s\), 0 failed, 0 tick\(s\) skipped/);
});

Deno.test("schedule lets a run in progress finish on SIGTERM, then stops", async () => {
  const cwd = await makeTestDir({ prefix: "ops-schedule-" });
  const trackingUri = `file:${cwd}/mlruns`;
  const child = schedule(cwd, [
    "--cron",
    "* * * * * *",
    ...TINY,
    "--out",
    `${cwd}/model`,
    "--tracking-uri",
    trackingUri,
  ]);
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("run 1 started")) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  child.kill("SIGTERM");
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) seen += chunk.value;
  const status = await child.status;
  await child.stderr.cancel();
  assert.equal(status.code, 0, seen);
  assert.match(seen, /stop requested: no new runs will start \(run 1 will finish first/);
  assert.match(seen, /run 1 finished/);
  assert.doesNotMatch(seen, /run 2 started/);
  assert.match(seen, /schedule stopped \(signal\)/);
  const runs = await trainingRuns(trackingUri);
  assert.deepEqual(runs.map((r) => r.info.status), ["FINISHED"]);
});

Deno.test("schedule with a cron that never fires exits 1 with one line", async () => {
  const cwd = await makeTestDir({ prefix: "schedule-never-" });
  const run = await finish(schedule(cwd, ["--cron", "0 0 31 2 *", ...TINY]));
  assert.equal(run.code, 1);
  assert.equal(run.stderr.trim(), 'error: cron expression "0 0 31 2 *" never fires: no date matches it');
  assert.equal(run.stdout, "");
  assert.deepEqual([...Deno.readDirSync(cwd)], []);
});
