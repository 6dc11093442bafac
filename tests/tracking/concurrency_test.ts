/**
 * Several real processes writing one store at the same moment. File store only: it is about our file locks (a
 * server serialises writes itself; races through the REST backend are tests/tracking_rest/train_serve_test.ts).
 */
import assert from "node:assert/strict";
import { TrackingClient } from "../../src/tracking/client.ts";
import { firstLine, spawnWorker } from "./helpers.ts";
import { makeTestDir } from "../temp_dir.ts";

Deno.test("four processes each registering 10 versions of one model end with versions 1..40, all readable", async () => {
  const root = `${await makeTestDir({ prefix: "mlruns-concurrency-" })}/mlruns`;
  const goFile = `${root}.go`;
  const workers = ["1", "2", "3", "4"].map((id) => spawnWorker("register_versions.ts", [root, goFile, id, "10"]));
  for (const worker of workers) assert.equal(await firstLine(worker), "ready");
  await Deno.writeTextFile(goFile, "go");
  const results = await Promise.all(workers.map((worker) => worker.output()));
  for (const result of results) assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));

  const client = new TrackingClient({ trackingUri: `file:${root}` });
  const { items: versions, problems } = await client.listModelVersions("scorecard");
  assert.deepEqual(problems, []);
  assert.deepEqual(versions.map((version) => version.version), Array.from({ length: 40 }, (_, index) => index + 1));
  const written = versions.map((version) => `${version.tags.worker}/${version.tags.index}`).sort();
  const expected = ["1", "2", "3", "4"].flatMap((worker) => Array.from({ length: 10 }, (_, i) => `${worker}/${i}`))
    .sort();
  assert.deepEqual(written, expected);
  for (const version of versions) assert.equal(version.source, `runs:/${version.runId}/model`);

  // The experiment was created once although all four asked for it at the same time.
  const experiments = (await client.listExperiments()).items.filter((experiment) => experiment.name === "Concurrent");
  assert.equal(experiments.length, 1);
  const runs = await client.searchRuns({ experimentIds: [experiments[0].experimentId] });
  assert.deepEqual(runs.problems, []);
  assert.deepEqual(runs.items.map((run) => run.info.status), ["FINISHED", "FINISHED", "FINISHED", "FINISHED"]);
  assert.deepEqual((await client.listRegisteredModels()).items.map((model) => model.name), ["scorecard"]);
  const leftovers = [...Deno.readDirSync(`${root}/models/scorecard`)]
    .filter((entry) => entry.isFile && entry.name !== "meta.yaml");
  assert.deepEqual(leftovers, [], "no lock or temporary file is left behind");
});
