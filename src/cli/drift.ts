/**
 * `deno task drift`: the drift and stability report of a batch against the
 * model's training data, without writing scores: score and feature PSI,
 * missing shares and out-of-range values, as a console table, a JSON file
 * and an HTML page.
 *
 * @module
 */
import { join } from "node:path";
import { parseColumnMapping } from "../data/transactions.ts";
import { DEFAULT_CHUNK_SIZE, runBatch } from "../ops/batch.ts";
import type { DriftStatus } from "../ops/drift.ts";
import { driftTable } from "../ops/drift_table.ts";
import { DEFAULT_MODEL_URI } from "../bundle/load_model.ts";
import { plainRunner } from "../flow/step_runner.ts";
import { dateFlag, numberFlag, runCommand, UsageError } from "./run_command.ts";

const usage = `deno task drift --data FILE [options]
  --model URI             models:/NAME@ALIAS, models:/NAME/VERSION, runs:/ID/PATH or a bundle path (default ${DEFAULT_MODEL_URI})
  --data FILE             feature table or transaction log (CSV or Parquet)
  --out DIR               folder for drift_report.json and drift_report.html (default data/drift)
  --cutoff YYYY-MM-DD     transaction logs: last day of history (default: the log's last day)
  --columns MAP           transaction logs: column names, e.g. customer_id=ID,purchase_datetime=date
  --id-column COL         id column of a feature table (only names rejected rows)
  --rejects FILE          write the rows that cannot be scored, and why
  --chunk-size N          rows per chunk (default ${DEFAULT_CHUNK_SIZE})
  --tracking-uri file:PATH   where models:/ URIs are resolved
  --fail-on STATUS        exit with code 2 when the verdict is at least warning or alert`;

const SEVERITY: readonly DriftStatus[] = ["stable", "warning", "alert"];

await runCommand({
  usage,
  options: {
    model: { type: "string", default: DEFAULT_MODEL_URI },
    data: { type: "string" },
    out: { type: "string", default: "data/drift" },
    cutoff: { type: "string" },
    columns: { type: "string" },
    "id-column": { type: "string" },
    rejects: { type: "string" },
    "chunk-size": { type: "string" },
    "tracking-uri": { type: "string" },
    "fail-on": { type: "string" },
  },
}, async ({ values }) => {
  if (values.data === undefined) throw new UsageError("--data is required");
  const failOn = values["fail-on"] as DriftStatus | undefined;
  if (failOn !== undefined && (failOn === "stable" || !SEVERITY.includes(failOn))) {
    throw new UsageError(`--fail-on must be warning or alert, got "${failOn}"`);
  }
  const chunkSize = numberFlag("chunk-size", values["chunk-size"]);
  if (chunkSize !== undefined && chunkSize < 1) throw new UsageError("--chunk-size must be at least 1");
  const cutoff = dateFlag("cutoff", values.cutoff);
  const result = await runBatch(
    {
      model: values.model,
      data: values.data,
      reasons: 0,
      driftJson: join(values.out, "drift_report.json"),
      driftHtml: join(values.out, "drift_report.html"),
      ...(values["tracking-uri"] === undefined ? {} : { trackingUri: values["tracking-uri"] }),
      ...(cutoff === undefined ? {} : { cutoff }),
      ...(values.columns === undefined ? {} : { columns: parseColumnMapping(values.columns) }),
      ...(values["id-column"] === undefined ? {} : { idColumn: values["id-column"] }),
      ...(values.rejects === undefined ? {} : { rejects: values.rejects }),
      ...(chunkSize === undefined ? {} : { chunkSize }),
    },
    plainRunner,
    (message) => console.error(message),
  );
  console.log(driftTable(result.drift));
  const rejected = result.rejected === 0 ? "" : `; ${result.rejected} rows could not be scored and are not compared`;
  console.log(`report: ${result.driftFiles.json}, ${result.driftFiles.html}${rejected}`);
  return failOn !== undefined && SEVERITY.indexOf(result.drift.status) >= SEVERITY.indexOf(failOn) ? 2 : 0;
});
