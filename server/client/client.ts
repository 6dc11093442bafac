/**
 * `deno task score`: scores customers through a running server and prints a
 * table (or JSON). One record from `--json '{...}'` goes to `/score`; a JSON
 * array or a CSV/Parquet file goes to `/score/batch` in chunks of
 * `--batch-size`. Columns of a file that the model does not take are left out
 * (and named on stderr). Connection errors and 5xx answers are retried
 * (`--retries`, exponential backoff with jitter); a 4xx answer, or a server
 * still failing or unreachable after the retries, ends with one clear line
 * and exit code 1.
 *
 * @module
 */
import { readTable } from "../../src/data/read_table.ts";
import { numberFlag, runCommand, UsageError } from "../../src/cli/run_command.ts";
import { formatTable } from "../../src/text/table.ts";
import type { ScoreAnswer, ScoredCustomer } from "../routes/score.ts";
import { ConnectionError, type RecordSource, ScoreClient, ScoreError, type ServerModel } from "./score_client.ts";

const usage = `deno task score [--url http://127.0.0.1:8000] [--json '{...}' | --file customers.csv|.parquet]
  [--batch-size 500] [--retries 3] [--timeout-ms 30000] [--reasons N] [--json-out]
Scores one customer (--json with an object) or many (--json with an array, or --file) through the scoring server.
Retries connection errors and 5xx answers --retries times with exponential backoff and jitter; never retries 4xx.`;

await runCommand({
  usage,
  options: {
    url: { type: "string", default: "http://127.0.0.1:8000" },
    json: { type: "string" },
    file: { type: "string" },
    "batch-size": { type: "string", default: "500" },
    retries: { type: "string", default: "3" },
    "timeout-ms": { type: "string", default: "30000" },
    reasons: { type: "string" },
    "json-out": { type: "boolean", default: false },
  },
}, async ({ values }) => {
  if ((values.json === undefined) === (values.file === undefined)) {
    throw new UsageError("give either --json '{...}' or --file PATH");
  }
  if (!/^https?:\/\/[^/]/.test(values.url) || !URL.canParse(values.url)) {
    throw new UsageError(`--url must be an http(s) URL, got "${values.url}"`);
  }
  const retries = numberFlag("retries", values.retries)!;
  const batchSize = numberFlag("batch-size", values["batch-size"])!;
  if (retries < 0) throw new UsageError(`--retries must be 0 or more, got ${retries}`);
  if (batchSize < 1) throw new UsageError(`--batch-size must be at least 1, got ${batchSize}`);
  const client = new ScoreClient(values.url, {
    retries,
    timeoutMs: numberFlag("timeout-ms", values["timeout-ms"]),
    reasons: numberFlag("reasons", values.reasons),
    onRetry: ({ attempt, of, delayMs, reason }) =>
      console.error(`${reason}; retrying in ${(delayMs / 1000).toFixed(2)} s (attempt ${attempt} of ${of})`),
  });
  try {
    if (values.json !== undefined) {
      const input = parseJsonFlag(values.json);
      if (!Array.isArray(input)) return show(await client.score(input), values["json-out"]);
      return show(await client.scoreBatch(input, { batchSize }), values["json-out"]);
    }
    const model = await client.model();
    const source = fileSource(values.file!, model);
    const scores = await client.scoreBatch(source, {
      batchSize: Math.min(batchSize, model.limits.max_batch),
      onChunk: (done) => source.count > batchSize && console.error(`scored ${done} of ${source.count}`),
    });
    return show(scores, values["json-out"]);
  } catch (error) {
    if (error instanceof ScoreError || error instanceof ConnectionError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
});

function parseJsonFlag(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--json is not valid JSON: ${(error as Error).message}`);
  }
}

/** The file's rows, restricted to the columns the serving model takes, read slice by slice. */
function fileSource(path: string, model: ServerModel): RecordSource & { count: number } {
  const frame = readTable(path);
  const accepted = new Set(model.input_schema.map((field) => field.name));
  const kept = frame.columns.filter((name) => accepted.has(name));
  const dropped = frame.columns.filter((name) => !accepted.has(name));
  if (kept.length === 0) {
    throw new UsageError(`${path}: none of its columns is an input of the model (${[...accepted].join(", ")})`);
  }
  if (dropped.length > 0) console.error(`note: not sent (the model does not take them): ${dropped.join(", ")}`);
  const selected = frame.select(...kept);
  return { count: selected.height, take: (offset, size) => selected.slice(offset, size).toRecords() };
}

function show(
  answer: ScoreAnswer | { model_name: string; model_version: number | null; results: readonly ScoredCustomer[] },
  json: boolean,
): number {
  if (json) {
    console.log(JSON.stringify(answer, null, 2));
    return 0;
  }
  const results = "results" in answer ? answer.results : [answer];
  console.log(formatTable(
    ["customer_id", "probability", "score", "decision", "top reasons (points)"],
    results.map((r) => [
      String(r.customer_id ?? ""),
      r.probability.toFixed(4),
      r.score.toFixed(1),
      r.decision,
      r.reasons.map((reason) => `${reason.feature} ${reason.points.toFixed(1)}`).join(", "),
    ]),
  ));
  const converting = results.filter((r) => r.decision === "convert").length;
  const version = answer.model_version === null ? "" : ` version ${answer.model_version}`;
  console.log(`\n${results.length} scored by ${answer.model_name}${version}; ${converting} convert`);
  return 0;
}
