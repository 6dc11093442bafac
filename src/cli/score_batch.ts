/**
 * `deno task score:batch`: scores a customer base (a feature table or a
 * transaction log) with a model bundle, as a flow, in chunks; writes the
 * scores, the rejected rows with their reasons, and the drift and stability
 * report (console table, JSON, HTML).
 *
 * @module
 */
import { parseColumnMapping } from "../data/transactions.ts";
import { FlowRunError } from "../flow/flow.ts";
import { DEFAULT_CHUNK_SIZE } from "../ops/batch.ts";
import { BATCH_EXPERIMENT, scoreBatch } from "../ops/batch_flow.ts";
import { driftTable } from "../ops/drift_table.ts";
import { DEFAULT_MODEL_URI } from "../bundle/load_model.ts";
import { dateFlag, numberFlag, runCommand, UsageError } from "./run_command.ts";

const usage = `deno task score:batch --data FILE --out FILE [options]
  --model URI             models:/NAME@ALIAS, models:/NAME/VERSION, runs:/ID/PATH or a bundle path (default ${DEFAULT_MODEL_URI})
  --data FILE             feature table or transaction log (CSV or Parquet)
  --out FILE              scores (.csv or .parquet): id, probability, score, decision, reason_1..reason_K
  --id-column COL         id column of a feature table (default customer_id when present, else the row number)
  --cutoff YYYY-MM-DD     transaction logs: last day of history (default: the log's last day)
  --columns MAP           transaction logs: column names, e.g. customer_id=ID,purchase_datetime=date
  --chunk-size N          rows per chunk (default ${DEFAULT_CHUNK_SIZE})
  --reasons K             reason codes per row (default 3; 0 is several times faster)
  --rejects FILE          rejected rows and why (default: <out>.rejects.csv)
  --drift-json FILE --drift-html FILE    drift report files (default: <out>.drift.json / .drift.html)
  --tracking-uri file:PATH   resolve models:/ URIs there and record the batch as a run
  --experiment NAME       tracking experiment (default ${BATCH_EXPERIMENT})
  --no-cache              do not read or write the flow cache
  --json                  print a JSON summary as the last line`;

await runCommand({
  usage,
  options: {
    model: { type: "string", default: DEFAULT_MODEL_URI },
    data: { type: "string" },
    out: { type: "string" },
    "id-column": { type: "string" },
    cutoff: { type: "string" },
    columns: { type: "string" },
    "chunk-size": { type: "string" },
    reasons: { type: "string" },
    rejects: { type: "string" },
    "drift-json": { type: "string" },
    "drift-html": { type: "string" },
    "tracking-uri": { type: "string" },
    experiment: { type: "string" },
    "no-cache": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
}, async ({ values }) => {
  if (values.data === undefined) throw new UsageError("--data is required");
  if (values.out === undefined) throw new UsageError("--out is required (use deno task drift for a report only)");
  const chunkSize = numberFlag("chunk-size", values["chunk-size"]);
  if (chunkSize !== undefined && chunkSize < 1) throw new UsageError("--chunk-size must be at least 1");
  const reasons = numberFlag("reasons", values.reasons);
  if (reasons !== undefined && reasons < 0) throw new UsageError("--reasons must be 0 or more");
  const cutoff = dateFlag("cutoff", values.cutoff);
  let run;
  try {
    run = await scoreBatch({
      model: values.model,
      data: values.data,
      out: values.out,
      ...(values["tracking-uri"] === undefined ? {} : { trackingUri: values["tracking-uri"] }),
      ...(values["id-column"] === undefined ? {} : { idColumn: values["id-column"] }),
      ...(cutoff === undefined ? {} : { cutoff }),
      ...(values.columns === undefined ? {} : { columns: parseColumnMapping(values.columns) }),
      ...(chunkSize === undefined ? {} : { chunkSize }),
      ...(reasons === undefined ? {} : { reasons }),
      ...(values.rejects === undefined ? {} : { rejects: values.rejects }),
      ...(values["drift-json"] === undefined ? {} : { driftJson: values["drift-json"] }),
      ...(values["drift-html"] === undefined ? {} : { driftHtml: values["drift-html"] }),
    }, {
      progress: true,
      cache: !values["no-cache"],
      ...(values.experiment === undefined ? {} : { experiment: values.experiment }),
    });
  } catch (error) {
    // The flow record is kept; the cause is what the user needs to read.
    if (error instanceof FlowRunError) {
      console.error(`flow run ${error.record.id} failed; record: ${error.recordPath}`);
      throw error.cause;
    }
    throw error;
  }
  console.log(driftTable(run.drift));
  const rate = Math.round(run.rowsIn / Math.max(run.seconds, 1e-9));
  console.log(
    `${run.rowsIn} rows in: ${run.rowsOut} scored to ${run.output}, ${run.rejected} rejected to ${run.rejects} ` +
      `(${run.seconds.toFixed(2)} s, ${rate} rows/s)`,
  );
  console.log(`drift report: ${run.driftFiles.json}, ${run.driftFiles.html}; flow record: ${run.flowRecord}`);
  if (run.runId !== undefined) console.log(`tracking run ${run.runId}`);
  if (values.json) {
    const { drift, ...summary } = run;
    console.log(JSON.stringify({ ...summary, drift: { status: drift.status, scorePsi: drift.score.psi } }));
  }
});
