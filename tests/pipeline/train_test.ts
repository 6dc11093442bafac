import assert from "node:assert/strict";
import { DataError } from "../../src/data/errors.ts";
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from "../../src/pipeline/options.ts";
import { train } from "../../src/pipeline/train.ts";
import { TrackingClient } from "../../src/tracking/client.ts";
import { readRunRecord } from "../../src/flow/record.ts";
import { makeTestDir } from "../temp_dir.ts";

async function workspace() {
  const dir = await makeTestDir({ prefix: "train-test-" });
  return {
    dir,
    runtime: { flow: { recordsDir: `${dir}/flowruns`, cacheDir: `${dir}/cache` } },
    options: (overrides: Partial<TrainOptions> = {}): TrainOptions => ({
      ...DEFAULT_TRAIN_OPTIONS,
      customers: 300,
      transactions: 2_400,
      seed: 5,
      folds: 3,
      candidates: ["logistic", "scorecard", "gbt"],
      trackingUri: `file:${dir}/mlruns`,
      out: `${dir}/out`,
      ...overrides,
    }),
  };
}

Deno.test("plain, flow and tracked runs of the same data and seed write identical bundles", async () => {
  const { dir, runtime, options } = await workspace();
  const plain = await train(options({ out: `${dir}/plain` }), "plain", runtime);
  const flowed = await train(options({ out: `${dir}/flow` }), "flow", runtime);
  const tracked = await train(options({ out: `${dir}/tracked` }), "tracked", runtime);
  const bytes = [plain, flowed, tracked].map((summary) => Deno.readTextFileSync(summary.bundle));
  assert.equal(bytes[1], bytes[0]);
  assert.equal(bytes[2], bytes[0]);
  assert.equal(tracked.selected, plain.selected);
  for (const name of ["metrics.json", "report/index.html", "report/eda.html", "report/charts/roc.svg"]) {
    assert.ok(Deno.statSync(`${dir}/plain/${name}`).isFile, name);
  }
  assert.ok(Deno.readTextFileSync(`${dir}/flow/report/flow_run.svg`).includes("<svg"));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("flow: a second run with unchanged inputs takes data and candidates from the cache", async () => {
  const { dir, runtime, options } = await workspace();
  const first = await train(options(), "flow", runtime);
  const second = await train(options(), "flow", runtime);
  const cachedSteps = async (id: string) =>
    (await readRunRecord(`${dir}/flowruns`, id)).taskRuns
      .filter((run) => run.state === "Cached")
      .map((run) => run.name.replace(/-[0-9a-f]{4}$/, ""));
  assert.deepEqual(await cachedSteps(first.flowRunId!), []);
  const cached = await cachedSteps(second.flowRunId!);
  assert.ok(cached.includes("load-data"), cached.join(", "));
  // Folds and refits of the 3 candidates (12 units) run as one batch per core.
  assert.equal(
    cached.filter((name) => name === "train-folds").length,
    Math.min(navigator.hardwareConcurrency || 1, 12),
  );
  assert.equal(Deno.readTextFileSync(second.bundle), Deno.readTextFileSync(first.bundle));
  const changed = await train(options({ seed: 6 }), "flow", runtime);
  assert.deepEqual(await cachedSteps(changed.flowRunId!), [], "a changed seed must miss the cache");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tracked: parent and child runs with the summary's figures, registered versions, a tie stays challenger", async () => {
  const { dir, runtime, options } = await workspace();
  const first = await train(options(), "tracked", runtime);
  assert.equal(first.modelVersion, 1);
  assert.equal(first.decision?.alias, "champion");
  const client = new TrackingClient({ trackingUri: `file:${dir}/mlruns` });
  const parent = await client.getRun(first.runId!);
  assert.equal(parent.info.status, "FINISHED");
  assert.equal(parent.data.tags["flow_run_id"], first.flowRunId);
  assert.match(parent.data.tags["promotion"], /^champion: no champion yet/);
  assert.equal(parent.data.params["selected_candidate"], first.selected);
  const children = (await client.searchRuns({ filter: `tags.mlflow.parentRunId = '${first.runId}'` })).items;
  assert.deepEqual(children.map((run) => run.data.tags["candidate"]).sort(), ["gbt", "logistic", "scorecard"]);
  for (const child of children) {
    const summary = first.candidates.find((candidate) => candidate.name === child.data.tags["candidate"])!;
    assert.equal(child.data.metrics["cv_auc_mean"], summary.cvAuc);
    assert.equal(child.data.metrics["test_auc"], summary.testAuc);
    assert.equal((await client.getMetricHistory(child.info.runId, "cv_auc")).length, 3);
  }
  // The same data again: equal AUC on the same rows does not beat the champion.
  const second = await train(options(), "tracked", runtime);
  assert.equal(second.modelVersion, 2);
  assert.equal(second.decision?.alias, "challenger");
  assert.equal(second.decision?.championAuc, first.auc);
  assert.equal((await client.getModelVersionByAlias("customer_conversion_model", "champion")).version, 1);
  assert.equal((await client.getModelVersionByAlias("customer_conversion_model", "challenger")).version, 2);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tracked: bad input fails the run, registers nothing, moves no alias and leaves no partial output", async () => {
  const { dir, runtime, options } = await workspace();
  const good = await train(options(), "tracked", runtime);
  const outBefore = [...Deno.readDirSync(`${dir}/out`)].map((entry) => entry.name).sort();
  const bundleBefore = Deno.readTextFileSync(good.bundle);
  await assert.rejects(
    () => train(options({ cutoff: new Date("2030-01-01") }), "tracked", runtime),
    (error: Error) => {
      assert.match(error.message, /cutoff 2030-01-01 is outside the data/);
      return true;
    },
  );
  const client = new TrackingClient({ trackingUri: `file:${dir}/mlruns` });
  const failed = (await client.searchRuns({ filter: "attributes.status = 'FAILED'" })).items;
  assert.equal(failed.length, 1);
  assert.match(failed[0].data.tags["error"], /cutoff 2030-01-01 is outside the data/);
  assert.equal((await client.listModelVersions("customer_conversion_model")).items.length, 1);
  assert.equal((await client.getModelVersionByAlias("customer_conversion_model", "champion")).version, 1);
  assert.deepEqual([...Deno.readDirSync(`${dir}/out`)].map((entry) => entry.name).sort(), outBefore);
  assert.equal(Deno.readTextFileSync(good.bundle), bundleBefore);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bad inputs give a clear error before any model is trained", async () => {
  const { dir, options } = await workspace();
  const write = (name: string, text: string) => {
    Deno.writeTextFileSync(`${dir}/${name}`, text);
    return `${dir}/${name}`;
  };
  const cases: [Partial<TrainOptions>, RegExp][] = [
    [{ data: `${dir}/missing.csv` }, /missing.csv: file not found/],
    [
      { data: write("cols.csv", "id,when,value\n1,2024-01-01,3\n") },
      /missing required column\(s\) customer_id, purchase_datetime, amount/,
    ],
    [{ data: write("empty.csv", "customer_id,purchase_datetime,amount\n") }, /header but no data rows/],
    [{ data: write("one.csv", "x,y\n1,1\n2,1\n3,1\n"), target: "y" }, /only one class/],
    [{ data: write("t.csv", "x,y\n1,0\n"), target: "label" }, /target column "label" is not in the table; found: x, y/],
  ];
  for (const [overrides, message] of cases) {
    await assert.rejects(() => train(options(overrides), "plain"), (error: Error) => {
      assert.ok(error instanceof DataError, `${error}`);
      assert.match(error.message, message);
      return true;
    });
  }
  assert.equal([...Deno.readDirSync(dir)].some((entry) => entry.name === "out"), false);
  await Deno.remove(dir, { recursive: true });
});
