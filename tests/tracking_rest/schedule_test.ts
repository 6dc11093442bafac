/**
 * `deno task schedule` against a genuine MLflow server (started for this file
 * and always stopped): each scheduled training is tracked on the server and
 * registers a version; the second moves or sets an alias; the training runs
 * end FINISHED there.
 */
import assert from "node:assert/strict";
import { openTracking } from "../../src/tracking/open.ts";
import { withMlflowServer } from "./mlflow_server.ts";
import { makeTestDir } from "../temp_dir.ts";

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const CLI = new URL("../../src/cli/schedule.ts", import.meta.url).pathname;
const TINY = ["--customers", "200", "--transactions", "1600", "--candidates", "logistic", "--folds", "3", "--no-cache"];

Deno.test("schedule over http:// trains twice, each run tracked on the server and registered", async () => {
  await withMlflowServer(async (server) => {
    const cwd = await makeTestDir({ prefix: "schedule-rest-" });
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--config",
        CONFIG,
        CLI,
        "--cron",
        "*/2 * * * * *",
        "--max-runs",
        "2",
        ...TINY,
        "--out",
        `${cwd}/model`,
        "--tracking-uri",
        server.url,
      ],
      cwd,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    assert.equal(output.code, 0, stdout + new TextDecoder().decode(output.stderr));
    assert.match(stdout, /schedule: 2 run\(s\), 0 failed/);

    const tracking = openTracking(server.url);
    const experiment = (await tracking.listExperiments()).items.find((item) =>
      item.name === "Customer_Conversion_Scorecard"
    );
    assert.ok(experiment, "the training experiment is on the server");
    const runs = (await tracking.searchRuns({ experimentIds: [experiment.experimentId] })).items;
    const parents = runs.filter((run) => run.data.tags["mlflow.parentRunId"] === undefined);
    assert.deepEqual(parents.map((run) => run.info.status), ["FINISHED", "FINISHED"]);
    assert.equal(runs.length, 4, "each training has its candidate as a nested run");

    const versions = (await tracking.listModelVersions("customer_conversion_model")).items;
    assert.deepEqual(versions.map((version) => version.version), [1, 2]);
    const parentIds = new Set(runs.map((run) => run.info.runId));
    for (const version of versions) assert.ok(parentIds.has(version.runId!), "a version links a run of the server");
    const { aliases } = await tracking.getRegisteredModel("customer_conversion_model");
    assert.equal(aliases.champion !== undefined, true);
    assert.ok(Object.values(aliases).includes(2), "the second training's version holds an alias");
  });
});
