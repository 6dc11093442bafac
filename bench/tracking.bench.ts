/**
 * Tracking store figures: logging speed, search over a few hundred runs,
 * registry version allocation (under its lock), and reading the seed store.
 * Run with `deno task bench tracking`.
 *
 * @module
 */
import { TrackingClient } from "../src/tracking/client.ts";

const root = `${await Deno.makeTempDir({ prefix: "mlruns-bench-" })}/mlruns`;
const client = new TrackingClient({ trackingUri: `file:${root}` });
const experimentId = await client.createExperiment("Bench");

async function timed<T>(label: string, count: number, unit: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await body();
  const elapsed = performance.now() - started;
  console.log(
    `${label.padEnd(48)} ${(elapsed / 1000).toFixed(2).padStart(7)} s  ${(elapsed / count).toFixed(2)} ms/${unit}`,
  );
  return result;
}

const RUNS = 300;
await timed(`create ${RUNS} runs (5 params, 3 metrics x 10 steps each)`, RUNS, "run", async () => {
  for (let index = 0; index < RUNS; index++) {
    const { info } = await client.createRun({ experimentId, runName: `run-${index}` });
    await client.logParams(info.runId, {
      model_type: index % 2 ? "logistic" : "xgboost",
      C: index / 10,
      seed: index,
      a: "x",
      b: "y",
    });
    await client.logBatch(info.runId, {
      metrics: ["auc", "precision", "recall"].flatMap((key) =>
        Array.from({ length: 10 }, (_, step) => ({ key, value: Math.sin(index + step), step }))
      ),
    });
    await client.setTerminated(info.runId);
  }
});
const found = await timed(`searchRuns over ${RUNS} runs (filter + order)`, 1, "search", () =>
  client.searchRuns({
    experimentIds: [experimentId],
    filter: "metrics.auc > 0.5 and params.model_type = 'logistic'",
    orderBy: ["metrics.auc DESC"],
  }));
console.log(`  -> ${found.items.length} runs matched`);

const { info } = await client.createRun({ experimentId, runName: "long" });
const POINTS = 2000;
await timed(`logMetric x ${POINTS} on one run`, POINTS, "point", async () => {
  for (let step = 0; step < POINTS; step++) await client.logMetric(info.runId, "loss", 1 / (step + 1), { step });
});
await timed(`getMetricHistory of ${POINTS} points`, 1, "read", () => client.getMetricHistory(info.runId, "loss"));

const VERSIONS = 100;
await client.createRegisteredModel("bench-model");
await timed(`createModelVersion x ${VERSIONS} (locked allocation)`, VERSIONS, "version", async () => {
  for (let index = 0; index < VERSIONS; index++) {
    await client.createModelVersion("bench-model", `runs:/${info.runId}/model`);
  }
});

const seed = new TrackingClient({ trackingUri: "file:../shared/data/seed/mlruns" });
const seedRuns = await timed("read the seed store (42 runs) with searchRuns", 1, "search", () => seed.searchRuns());
console.log(`  -> ${seedRuns.items.length} runs, ${seedRuns.problems.length} problems`);
await Deno.remove(root.replace(/\/mlruns$/, ""), { recursive: true });
