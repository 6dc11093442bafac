/**
 * Killed writers, stale locks and damaged files: the store keeps reading, and damage is reported with its path.
 * File store only: crash safety of our files (a server going away mid-run is tests/tracking_rest/train_serve_test.ts).
 */
import assert from "node:assert/strict";
import { isTrackingError } from "../../src/tracking/errors.ts";
import { TrackingClient } from "../../src/tracking/client.ts";
import { withFileLock } from "../../src/tracking/lock.ts";
import { listLoggedModels } from "../../src/tracking/logged_models.ts";
import { createStoreContext } from "../../src/tracking/store_context.ts";
import { listFilesRecursive } from "../../src/tracking/store_fs.ts";
import { firstLine, mlflowReadCheck, SKIP_PYTHON_CHECKS, spawnWorker, temporaryClient } from "./helpers.ts";
import { makeTestDir } from "../temp_dir.ts";

Deno.test("a process killed mid-run leaves a store that reads; its run stays RUNNING", async () => {
  const root = `${await makeTestDir({ prefix: "mlruns-crash-" })}/mlruns`;
  const worker = spawnWorker("log_until_killed.ts", [root]);
  const line = await firstLine(worker);
  assert.match(line, /^ready [0-9a-f]{32}$/);
  const runId = line.split(" ")[1];
  worker.kill("SIGKILL");
  const status = await worker.status;
  assert.equal(status.signal, "SIGKILL");
  await worker.stdout.cancel();
  await worker.stderr.cancel();

  const client = new TrackingClient({ trackingUri: `file:${root}` });
  const run = await client.getRun(runId);
  assert.equal(run.info.status, "RUNNING");
  assert.equal(run.info.endTime, null);
  const history = await client.getMetricHistory(runId, "loss");
  assert.ok(history.length >= 21, `${history.length} points`);
  assert.deepEqual(history.slice(0, 3).map((metric) => [metric.step, metric.value]), [[0, 1], [1, 0.5], [2, 1 / 3]]);
  assert.match(run.data.tags.progress, /^step \d+ of a long run$/);
  assert.ok(Object.keys(run.data.params).length >= 21);
  assert.deepEqual((await client.searchRuns()).problems, []);
  assert.deepEqual((await client.listExperiments()).problems, []);
  const versions = await client.listModelVersions("doomed-model");
  assert.deepEqual(versions.problems, []);
  assert.deepEqual(versions.items.map((version) => version.version), versions.items.map((_, index) => index + 1));
  const artifacts = await client.listArtifacts(runId, "steps");
  assert.ok(artifacts.length > 0, "the killed run had logged artifacts under steps/");
  for (const file of artifacts) {
    assert.match(await client.readArtifactText(runId, file.path), /^(step \d+\n){200}$/);
  }
  // No temporary file inside the folders MLflow reads as keys.
  const keyFiles = (await listFilesRecursive(root)).filter((path) => /\/(params|metrics|tags)\//.test(path));
  assert.ok(keyFiles.every((path) => !path.split("/").at(-1)!.startsWith(".tmp-")));
  // A writer can continue: the registry lock, if the kill left one, is recognised as stale.
  const next = await client.registerModel("doomed-model", `runs:/${runId}/steps`, runId);
  assert.equal(next.version, versions.items.length + 1);
});

Deno.test({
  name: "writers killed at many points while creating metric files leave a store MLflow's read rules accept",
  ignore: SKIP_PYTHON_CHECKS,
  fn: async () => {
    const root = `${await makeTestDir({ prefix: "mlruns-metric-crash-" })}/mlruns`;
    const kills = 16;
    for (let kill = 0; kill < kills; kill++) {
      const worker = spawnWorker("log_new_metrics.ts", [root]);
      assert.equal(await firstLine(worker), "ready");
      // Spread the kills over the loop: each lands at another point of some file's creation.
      await new Promise((done) => setTimeout(done, 3 + ((kill * 7) % 40)));
      worker.kill("SIGKILL");
      assert.equal((await worker.status).signal, "SIGKILL");
      await worker.stdout.cancel();
      await worker.stderr.cancel();
    }
    const { code, report } = await mlflowReadCheck(root);
    assert.deepEqual(report.errors, []);
    assert.equal(code, 0);
    assert.equal(report.counts.runs, kills);
    assert.equal(report.counts.logged_models, kills);
    const client = new TrackingClient({ trackingUri: `file:${root}` });
    const { items, problems } = await client.searchRuns();
    assert.deepEqual(problems, []);
    for (const run of items) assert.ok(Object.keys(run.data.metrics).length >= 12, run.info.runId);
  },
});

Deno.test("an empty metric file (from an older writer's crash) is skipped with a warning, then repaired by the next point", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  const { info } = await client.createRun({ experimentId });
  await client.logMetric(info.runId, "auc", 0.5);
  const empty = `${root}/${experimentId}/${info.runId}/metrics/fit_seconds`;
  await Deno.writeTextFile(empty, "");
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    assert.deepEqual((await client.getRun(info.runId)).data.metrics, { auc: 0.5 });
    assert.deepEqual(await client.getMetricHistory(info.runId, "fit_seconds"), []);
    assert.deepEqual((await client.searchRuns()).problems, []);
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 3);
  assert.ok(
    warnings.every((message) =>
      message === `${empty}: empty metric file skipped (left by a writer killed before its first write)`
    ),
  );
  await client.logMetric(info.runId, "fit_seconds", 1.25, { timestamp: 7 });
  assert.equal(await Deno.readTextFile(empty), "7 1.25 0\n");
  assert.deepEqual((await client.getRun(info.runId)).data.metrics, { auc: 0.5, fit_seconds: 1.25 });
});

Deno.test("a lock left by a killed process is broken at once; a live holder is waited for", async () => {
  const { client, root } = await temporaryClient();
  await client.createRegisteredModel("scorecard");
  const lockPath = `${root}/models/scorecard/.registry.lock`;
  const holder = spawnWorker("hold_lock.ts", [lockPath]);
  assert.equal(await firstLine(holder), "locked");
  await assert.rejects(
    withFileLock(lockPath, () => Promise.resolve(), { timeoutMs: 100 }),
    (error) => isTrackingError(error, "LOCK_TIMEOUT") && error.message.includes(`pid ${holder.pid}`),
  );
  holder.kill("SIGKILL");
  await holder.status;
  await holder.stdout.cancel();
  await holder.stderr.cancel();
  assert.ok(await Deno.stat(lockPath).then(() => true, () => false), "the killed holder left its lock file");
  const version = await client.createModelVersion("scorecard", "runs:/0123456789abcdef0123456789abcdef/model");
  assert.equal(version.version, 1);
  assert.equal(await Deno.stat(lockPath).then(() => true, () => false), false);
});

Deno.test("an abandoned lock from another host is stale after staleMs, judged by its age", async () => {
  const dir = await makeTestDir();
  const lockPath = `${dir}/.lock`;
  await Deno.writeTextFile(lockPath, JSON.stringify({ pid: 1, host: "elsewhere", token: "t", acquiredAt: 0 }));
  const old = new Date(Date.now() - 120_000);
  await Deno.utime(lockPath, old, old);
  assert.equal(
    await withFileLock(lockPath, () => Promise.resolve("got it"), { staleMs: 60_000, timeoutMs: 1000 }),
    "got it",
  );
  await Deno.writeTextFile(lockPath, JSON.stringify({ pid: 1, host: "elsewhere", token: "t", acquiredAt: 0 }));
  await assert.rejects(
    withFileLock(lockPath, () => Promise.resolve(), { staleMs: 60_000, timeoutMs: 50 }),
    /timed out/,
  );
});

Deno.test("an empty lock file (its creator died before writing it) is stale after a few seconds, not 60", async () => {
  const { client, root } = await temporaryClient();
  await client.createRegisteredModel("scorecard");
  const lockPath = `${root}/models/scorecard/.registry.lock`;
  await Deno.writeTextFile(lockPath, "");
  await assert.rejects(
    withFileLock(lockPath, () => Promise.resolve(), { timeoutMs: 200 }),
    (error) =>
      isTrackingError(error, "LOCK_TIMEOUT") && /has not written its pid yet \(empty lock file\)/.test(error.message),
    "a fresh empty lock may belong to a live process that is about to write it",
  );
  const old = new Date(Date.now() - 10_000);
  await Deno.utime(lockPath, old, old);
  const started = Date.now();
  const version = await client.createModelVersion("scorecard", "runs:/0123456789abcdef0123456789abcdef/model");
  assert.equal(version.version, 1);
  assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
  assert.equal(await Deno.stat(lockPath).then(() => true, () => false), false);
});

Deno.test("the lock serialises read-modify-write steps of concurrent tasks", async () => {
  const dir = await makeTestDir();
  const counter = `${dir}/counter`;
  await Deno.writeTextFile(counter, "0");
  await Promise.all(Array.from({ length: 20 }, () =>
    withFileLock(`${dir}/.lock`, async () => {
      const value = Number(await Deno.readTextFile(counter));
      await new Promise((done) => setTimeout(done, 1));
      await Deno.writeTextFile(counter, String(value + 1));
    })));
  assert.equal(await Deno.readTextFile(counter), "20");
});

Deno.test("corrupt or truncated files are reported with their path; everything else still lists", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  const runs: string[] = [];
  for (const name of ["a", "b", "c", "d"]) {
    const { info } = await client.createRun({ experimentId, runName: name });
    await client.logMetric(info.runId, "auc", 0.5);
    runs.push(info.runId);
  }
  const model = await client.logModel({ runId: runs[0], name: "model", bundle: { content: "{}" } });
  const other = await client.logModel({ runId: runs[1], name: "model", bundle: { content: "{}" } });
  for (let index = 0; index < 3; index++) await client.registerModel("scorecard", `models:/${model.modelId}`);
  await client.registerModel("second", `models:/${model.modelId}`);
  const brokenExperiment = await client.createExperiment("Broken");

  const runMeta = (runId: string) => `${root}/${experimentId}/${runId}/meta.yaml`;
  const truncated = await Deno.readTextFile(runMeta(runs[0]));
  await Deno.writeTextFile(runMeta(runs[0]), truncated.slice(0, truncated.indexOf("run_id")));
  await Deno.writeTextFile(runMeta(runs[1]), "artifact_uri: [unclosed\n");
  await Deno.writeTextFile(
    `${root}/${experimentId}/${runs[2]}/metrics/auc`,
    "1700000000000 0.5 0\nnot a metric line\n",
  );
  await Deno.writeTextFile(`${root}/${experimentId}/models/${other.modelId}/meta.yaml`, "");
  await Deno.writeTextFile(`${root}/models/scorecard/version-2/meta.yaml`, "name: scorecard\nversion: 2\n");
  await Deno.writeTextFile(`${root}/models/second/meta.yaml`, "{{{");
  await Deno.writeTextFile(`${root}/${brokenExperiment}/meta.yaml`, "name: Broken\n");

  const found = await client.searchRuns({ experimentIds: [experimentId] });
  assert.deepEqual(found.items.map((run) => run.info.runId), [runs[3]]);
  const problemPaths = found.problems.map((problem) => problem.path).sort();
  assert.deepEqual(
    problemPaths,
    [runMeta(runs[0]), runMeta(runs[1]), `${root}/${experimentId}/${runs[2]}/metrics/auc`].sort(),
  );
  assert.match(
    found.problems.find((problem) => problem.path === runMeta(runs[0]))!.message,
    /missing required field 'run_id'/,
  );
  assert.match(found.problems.find((problem) => problem.path === runMeta(runs[1]))!.message, /invalid YAML/);
  assert.match(found.problems.find((problem) => problem.path.endsWith("/auc"))!.message, /line 2 has 4 fields/);
  await assert.rejects(
    client.getRun(runs[1]),
    (error) => isTrackingError(error, "CORRUPT_STORE") && error.message.startsWith(`${runMeta(runs[1])}: invalid YAML`),
  );

  const experiments = await client.listExperiments();
  assert.deepEqual(experiments.items.map((experiment) => experiment.name), ["Scorecard"]);
  assert.deepEqual(experiments.problems.map((problem) => problem.path), [`${root}/${brokenExperiment}/meta.yaml`]);
  assert.match(experiments.problems[0].message, /missing required field 'experiment_id'/);

  const models = await listLoggedModels(createStoreContext(root));
  assert.deepEqual(models.items.map((item) => item.modelId), [model.modelId]);
  assert.match(models.problems[0].message, /empty meta.yaml/);

  const versions = await client.listModelVersions("scorecard");
  assert.deepEqual(versions.items.map((version) => version.version), [1, 3]);
  assert.deepEqual(versions.problems.map((problem) => problem.path), [`${root}/models/scorecard/version-2/meta.yaml`]);
  assert.match(versions.problems[0].message, /missing required field 'creation_timestamp'/);

  const registered = await client.listRegisteredModels();
  assert.deepEqual(registered.items.map((item) => item.name), ["scorecard"]);
  assert.deepEqual(registered.problems.map((problem) => problem.path), [`${root}/models/second/meta.yaml`]);
});
