/**
 * `deno task tracking:sync --from URI --to URI [--experiment NAME]`: copies
 * experiments and runs between tracking stores (file store <-> server, or
 * file -> file to move a store); a second run copies nothing new.
 *
 * @module
 */
import { openTracking } from "../tracking/open.ts";
import { syncTracking } from "../tracking/sync.ts";
import { runCommand, UsageError } from "./run_command.ts";

const usage = `deno task tracking:sync --from URI --to URI [--experiment NAME]
Copies experiments and their runs (names, times, status, params, metric histories, tags, artifacts) from one
tracking store to another: file:PATH or http(s)://HOST:PORT on either side. Runs already copied are skipped.`;

await runCommand({
  usage,
  options: { from: { type: "string" }, to: { type: "string" }, experiment: { type: "string" } },
}, async ({ values }) => {
  if (!values.from || !values.to) throw new UsageError("--from and --to are both required");
  const from = openTracking(values.from);
  const to = openTracking(values.to);
  const report = await syncTracking(from, to, { experiment: values.experiment, log: console.log });
  console.log(
    `copied ${report.runsCopied} runs (${report.metricPoints} metric points, ${report.artifacts} artifacts) ` +
      `from ${from.trackingUri} to ${to.trackingUri}; ${report.runsSkipped} already there`,
  );
});
