/**
 * `deno task runs:mlflow`: the runs of an MLflow store (`mlruns` or a tracking server) as a
 * table, children under their parents, with their params and latest metrics.
 * (`deno task runs` lists the flow runtime's runs; this one reads MLflow's store.)
 *
 * @module
 */
import { openTracking } from "../tracking/open.ts";
import { runsTable } from "../tracking/report.ts";
import { TrackingError } from "../tracking/errors.ts";
import { numberFlag, runCommand } from "./run_command.ts";

const usage =
  `deno task runs:mlflow [--tracking-uri file:./mlruns | http://HOST:PORT] [--experiment NAME] [--filter EXPR]
  [--order-by "metrics.auc DESC"] [--max N] [--all]
Lists the runs of an MLflow file store or tracking server. The store is --tracking-uri, else $MLFLOW_TRACKING_URI, else file:./mlruns.
--filter uses MLflow's search syntax, e.g. "metrics.auc > 0.8 and params.model_type = 'LogisticRegression'".
--all includes deleted runs.`;

await runCommand({
  usage,
  options: {
    "tracking-uri": { type: "string" },
    experiment: { type: "string" },
    filter: { type: "string" },
    "order-by": { type: "string", multiple: true },
    max: { type: "string" },
    all: { type: "boolean", default: false },
  },
}, async ({ values }) => {
  const client = openTracking(values["tracking-uri"]);
  if (!(await client.exists())) {
    throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `no MLflow store at ${client.location} (${client.trackingUri})`);
  }
  const experiments = await client.listExperiments(values.all ? "ALL" : "ACTIVE_ONLY");
  for (const problem of experiments.problems) console.error(`warning: ${problem.message}`);
  const chosen = values.experiment === undefined
    ? experiments.items
    : experiments.items.filter((experiment) => experiment.name === values.experiment);
  if (chosen.length === 0) {
    const known = experiments.items.map((experiment) => `"${experiment.name}"`).join(", ") || "none";
    throw new TrackingError(
      "RESOURCE_DOES_NOT_EXIST",
      values.experiment === undefined
        ? `no experiment in ${client.location}`
        : `no experiment named "${values.experiment}" in ${client.location} (experiments: ${known})`,
    );
  }
  const maxResults = numberFlag("max", values.max);
  for (const experiment of chosen) {
    const { items, problems } = await client.searchRuns({
      experimentIds: [experiment.experimentId],
      filter: values.filter,
      orderBy: values["order-by"],
      maxResults,
      viewType: values.all ? "ALL" : "ACTIVE_ONLY",
    });
    for (const problem of problems) console.error(`warning: ${problem.message}`);
    const filtered = values.filter ? ` matching ${values.filter}` : "";
    console.log(`\nexperiment "${experiment.name}" (${experiment.experimentId}): ${items.length} runs${filtered}`);
    if (items.length > 0) console.log(runsTable(items, { flat: values["order-by"] !== undefined }));
  }
});
