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

/**
 * Runs listed per experiment unless `--max` says otherwise. A tracking server's search time grows with the runs
 * it returns (each with all its params, tags and latest metrics): measured with MLflow 3.6 on SQLite, 100 runs
 * 0.78 s, 1,000 runs 3.78 s (`deno task bench tracking_rest`, loaded machine), so the default keeps the answer
 * under a second and `--max all` lists everything.
 */
const DEFAULT_MAX = 100;

const usage =
  `deno task runs:mlflow [--tracking-uri file:./mlruns | http://HOST:PORT] [--experiment NAME] [--filter EXPR]
  [--order-by "metrics.auc DESC"] [--max N | --max all] [--all]
Lists the runs of an MLflow file store or tracking server. The store is --tracking-uri, else $MLFLOW_TRACKING_URI, else file:./mlruns.
--filter uses MLflow's search syntax, e.g. "metrics.auc > 0.8 and params.model_type = 'LogisticRegression'".
--max: at most this many runs per experiment, newest first unless --order-by (default ${DEFAULT_MAX}; "all" lists every run).
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
  const maxResults = values.max === "all" ? Infinity : numberFlag("max", values.max) ?? DEFAULT_MAX;
  for (const experiment of chosen) {
    const { items, problems } = await client.searchRuns({
      experimentIds: [experiment.experimentId],
      filter: values.filter,
      orderBy: values["order-by"],
      // One more than shown tells whether runs were left out.
      maxResults: maxResults + 1,
      viewType: values.all ? "ALL" : "ACTIVE_ONLY",
    });
    for (const problem of problems) console.error(`warning: ${problem.message}`);
    const shown = items.slice(0, maxResults);
    const filtered = values.filter ? ` matching ${values.filter}` : "";
    const more = items.length > shown.length ? ` (more exist: --max N or --max all to list them)` : "";
    console.log(
      `\nexperiment "${experiment.name}" (${experiment.experimentId}): ${shown.length} runs${filtered}${more}`,
    );
    if (shown.length > 0) console.log(runsTable(shown, { flat: values["order-by"] !== undefined }));
  }
});
