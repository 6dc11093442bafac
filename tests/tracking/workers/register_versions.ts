/**
 * Worker of the concurrency test: waits for the go-file, then (as every
 * other worker at the same moment) gets or creates the shared experiment,
 * creates a run, and registers `count` versions of one model.
 *
 * Usage: deno run -A register_versions.ts ROOT GO_FILE WORKER_ID COUNT
 */
import { TrackingClient } from "../../../src/tracking/client.ts";

const [root, goFile, workerId, count] = Deno.args;
const client = new TrackingClient({ trackingUri: `file:${root}` });
console.log("ready");
while (!(await Deno.stat(goFile).then(() => true, () => false))) await new Promise((done) => setTimeout(done, 2));
const experiment = await client.getOrCreateExperiment("Concurrent");
const { info } = await client.createRun({ experimentId: experiment.experimentId, runName: `worker-${workerId}` });
for (let index = 0; index < Number(count); index++) {
  await client.registerModel("scorecard", `runs:/${info.runId}/model`, info.runId, {
    tags: { worker: workerId, index: String(index) },
  });
}
await client.setTerminated(info.runId);
