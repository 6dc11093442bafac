/**
 * Worker of the crash test: logs to one run without pause (params, metric
 * points, tags, artifacts, registry versions) until it is killed. Prints
 * `ready <run id>` once some of everything is written.
 *
 * Usage: deno run -A log_until_killed.ts ROOT
 */
import { TrackingClient } from "../../../src/tracking/client.ts";
import { logTextArtifact } from "../helpers.ts";

const client = new TrackingClient({ trackingUri: `file:${Deno.args[0]}` });
const experiment = await client.getOrCreateExperiment("Crash");
const { info } = await client.createRun({ experimentId: experiment.experimentId, runName: "doomed" });
for (let step = 0;; step++) {
  await client.logMetric(info.runId, "loss", 1 / (step + 1), { step });
  await client.logParams(info.runId, { [`p${step}`]: step });
  await client.setTag(info.runId, "progress", `step ${step} of a long run`);
  await logTextArtifact(client, info.runId, `step ${step}\n`.repeat(200), `steps/${step % 5}.txt`);
  if (step % 10 === 0) await client.registerModel("doomed-model", `runs:/${info.runId}/steps`, info.runId);
  if (step === 20) console.log(`ready ${info.runId}`);
}
