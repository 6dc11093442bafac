/**
 * Worker of the metric-file crash test: logs points under ever new metric
 * keys (each a new file) to a run and to a logged model, without pause, until
 * it is killed. Prints `ready` once the first files exist.
 *
 * Usage: deno run -A log_new_metrics.ts ROOT
 */
import { TrackingClient } from "../../../src/tracking/client.ts";

const client = new TrackingClient({ trackingUri: `file:${Deno.args[0]}` });
const experiment = await client.getOrCreateExperiment("Crash");
const { info } = await client.createRun({ experimentId: experiment.experimentId, runName: "new-keys" });
const model = await client.logModel({ runId: info.runId, name: "model", bundle: { content: "{}" } });
for (let step = 0;; step++) {
  await client.logMetrics(info.runId, { [`a${step}`]: step, [`b${step}`]: 1 / (step + 1) });
  await client.logMetric(info.runId, `m${step}`, step, { modelId: model.modelId });
  if (step === 5) console.log("ready");
}
