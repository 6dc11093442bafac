/**
 * `deno task models`: the model registry of an MLflow store (file store or
 * tracking server): each
 * registered model with its aliases, and its versions with stage, status,
 * source and the run each came from.
 *
 * @module
 */
import { modelHeading, versionsTable } from "../tracking/report.ts";
import { openTracking } from "../tracking/open.ts";
import { type Run } from "../tracking/entities.ts";
import { TrackingError } from "../tracking/errors.ts";
import { runCommand } from "./run_command.ts";

const usage = `deno task models [--tracking-uri file:./mlruns | http://HOST:PORT] [--name MODEL]
Lists registered models, their versions, aliases and source runs. The store is --tracking-uri,
else $MLFLOW_TRACKING_URI, else file:./mlruns.`;

await runCommand({
  usage,
  options: { "tracking-uri": { type: "string" }, name: { type: "string" } },
}, async ({ values }) => {
  const client = openTracking(values["tracking-uri"]);
  if (!(await client.exists())) {
    throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `no MLflow store at ${client.location} (${client.trackingUri})`);
  }
  const { items, problems } = await client.listRegisteredModels();
  for (const problem of problems) console.error(`warning: ${problem.message}`);
  const models = values.name === undefined ? items : items.filter((model) => model.name === values.name);
  if (values.name !== undefined && models.length === 0) {
    const known = items.map((model) => `"${model.name}"`).join(", ") || "none";
    throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `no registered model "${values.name}" (models: ${known})`);
  }
  if (models.length === 0) console.log(`no registered models in ${client.location}`);
  for (const model of models) {
    const versions = await client.listModelVersions(model.name);
    for (const problem of versions.problems) console.error(`warning: ${problem.message}`);
    // Read concurrently: over REST each run is a round trip (the client bounds how many are in flight).
    const runIds = [...new Set(versions.items.map((version) => version.runId).filter((id) => id !== null))];
    const runs = new Map<string, Run | undefined>(
      await Promise.all(runIds.map(async (id) => [id, await client.getRun(id).catch(() => undefined)] as const)),
    );
    console.log(`\n${modelHeading(model, versions.items.length)}`);
    if (versions.items.length > 0) console.log(versionsTable(versions.items, runs));
  }
});
