/**
 * `deno task tracking:sync --from URI --to URI [--experiment NAME]`: copies
 * experiments, runs, logged models and the model registry between tracking
 * stores (file store <-> server, or file -> file to move a store); a second
 * run copies nothing new.
 *
 * @module
 */
import { openTracking } from "../tracking/open.ts";
import { syncTracking } from "../tracking/sync.ts";
import { runCommand, UsageError } from "./run_command.ts";

const usage = `deno task tracking:sync --from URI --to URI [--experiment NAME]
Copies experiments and their runs (names, times, status, params, metric histories, tags, artifacts), the runs'
logged models (bundles byte for byte), registered models, versions and aliases from one tracking store to another:
file:PATH or http(s)://HOST:PORT on either side. What was already copied is skipped. A registered model that exists
in the target with versions of its own is refused (nothing of it is copied).`;

await runCommand({
  usage,
  options: { from: { type: "string" }, to: { type: "string" }, experiment: { type: "string" } },
}, async ({ values }) => {
  if (!values.from || !values.to) throw new UsageError("--from and --to are both required");
  const from = openTracking(values.from);
  const to = openTracking(values.to);
  const report = await syncTracking(from, to, { experiment: values.experiment, log: console.log });
  console.log(
    `copied ${report.runsCopied} runs (${report.metricPoints} metric points, ${report.artifacts} artifacts), ` +
      `${report.loggedModelsCopied} logged models, ${report.registeredModelsCreated} registered models, ` +
      `${report.versionsCopied} versions, ${report.aliasesSet} aliases, ${report.tagsUpdated} tags updated ` +
      `from ${from.trackingUri} to ${to.trackingUri}; ${report.runsSkipped} runs already there`,
  );
});
