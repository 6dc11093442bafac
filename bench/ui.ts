/**
 * `deno task bench:ui`: the web UI on a large store. Builds 5,000 runs x 20
 * metrics (250 parents with 19 nested runs each) with the tracking client in
 * a temporary folder, then times, in one process, the experiment page's first
 * 100 rows sorted by a metric (target < 300 ms), the same page filtered, and
 * a run page (target < 100 ms): the first request (cold) and the median of
 * the next ones (warm). Side by side, it then times what the page's search
 * did before the lazy search: reading every run whole (once, uncached).
 *
 * `--store DIR` reuses a store built before (it is kept and its path printed);
 * `--skip-before` skips the slow side-by-side read.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { TrackingClient } from "../src/tracking/client.ts";
import { createUiApp } from "../src/ui/app.ts";
import { readRun } from "../src/tracking/runs.ts";

const PARENTS = 250;
const CHILDREN = 19;
const METRICS = 20;
const TARGETS = { experiment: 300, run: 100 };
const REPEATS = 3;

const { values } = parseArgs({
  args: Deno.args,
  options: { store: { type: "string" }, "skip-before": { type: "boolean" } },
});
const store = values.store ?? await Deno.makeTempDir({ prefix: "ui-bench-" });
const trackingUri = `file:${store}/mlruns`;
const client = new TrackingClient({ trackingUri });

let experiment = await client.getExperimentByName("ui-bench");
if (experiment === null) {
  const started = performance.now();
  experiment = await client.getOrCreateExperiment("ui-bench");
  for (let p = 0; p < PARENTS; p++) {
    const parent = await client.createRun({ experimentId: experiment.experimentId, runName: `train-${p}` });
    const ids = [parent.info.runId];
    for (let c = 0; c < CHILDREN; c++) {
      const child = await client.createRun({
        experimentId: experiment.experimentId,
        runName: `candidate-${c}`,
        parentRunId: parent.info.runId,
      });
      ids.push(child.info.runId);
    }
    for (const [i, runId] of ids.entries()) {
      await client.logBatch(runId, {
        metrics: Array.from(
          { length: METRICS },
          (_, m) => ({ key: `m${m}`, value: ((p * 31 + i * 17 + m * 7) % 1000) / 1000 }),
        ),
        params: [{ key: "candidate", value: `c${i}` }, { key: "seed", value: p }],
      });
      await client.setTerminated(runId, "FINISHED");
    }
  }
  console.log(
    `built ${PARENTS * (CHILDREN + 1)} runs x ${METRICS} metrics in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s`,
  );
}
console.log(`store: ${store}`);

const app = createUiApp({ trackingUri, flowrunsDir: store });
const { items } = await client.searchRuns({ experimentIds: [experiment.experimentId], maxResults: 1 });

async function time(path: string): Promise<{ cold: number; warm: number; bytes: number }> {
  const timings: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= REPEATS; i++) {
    const started = performance.now();
    const response = await app.request(path);
    bytes = (await response.text()).length;
    timings.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
  }
  const warm = timings.slice(1).sort((a, b) => a - b)[Math.floor(REPEATS / 2)];
  return { cold: timings[0], warm, bytes };
}

const rows = [
  [
    "experiment page, first 100 rows sorted by m3",
    `/experiments/${experiment.experimentId}?sort=metrics.m3&dir=desc`,
    TARGETS.experiment,
  ],
  [
    "experiment page filtered by m5 > 0.5, sorted by m3",
    `/experiments/${experiment.experimentId}?sort=metrics.m3&dir=desc&filter=${encodeURIComponent("metrics.m5 > 0.5")}`,
    TARGETS.experiment,
  ],
  ["run page", `/runs/${items[0].info.runId}`, TARGETS.run],
] as const;
for (const [name, path, target] of rows) {
  const { cold, warm, bytes } = await time(path);
  console.log(
    `${name}: cold ${cold.toFixed(0)} ms, warm median ${warm.toFixed(0)} ms (target < ${target} ms: ${
      warm < target ? "met" : "MISSED"
    }), ${(bytes / 1024).toFixed(0)} KiB`,
  );
}

if (!values["skip-before"]) {
  const dir = `${store}/mlruns/${experiment.experimentId}`;
  const names = [...Deno.readDirSync(dir)].filter((entry) => /^[0-9a-f]{32}$/.test(entry.name));
  const started = performance.now();
  const runs = await Promise.all(
    names.map((entry) =>
      readRun({ runId: entry.name, experimentId: experiment.experimentId, dir: `${dir}/${entry.name}` })
    ),
  );
  console.log(
    `before (the page's search read every run whole): ${runs.length} runs in ${
      (performance.now() - started).toFixed(0)
    } ms`,
  );
}
console.log(`load average: ${Deno.loadavg().map((value) => value.toFixed(2)).join(" ")}`);
