/**
 * Batch scoring, defined once as steps for a {@link StepRunner} (plain calls,
 * or tasks of the flow runtime): load the model (cached by what it resolves
 * to), open the input, then per chunk read → validate → score, appending the
 * scores, the rejects and the drift counts as it goes; finally the drift and
 * stability report. Memory holds one chunk (and, for a transaction log, its
 * per-customer feature rows), whatever the batch size.
 *
 * Every input row ends up in exactly one place: the output or the rejects
 * file (with its reason), and the run checks that the counts add up.
 *
 * @module
 */
import pl from "nodejs-polars";
import { extname } from "node:path";
import type { ColumnMapping } from "../data/transactions.ts";
import { type LoadedModel, loadModel, type ModelSource } from "../bundle/load_model.ts";
import type { StepDefinition, StepRunner } from "../flow/step_runner.ts";
import { Scorer } from "../bundle/scorer.ts";
import { openTracking } from "../tracking/open.ts";
import { type BatchInput, type InputSpec, openInput } from "./batch_input.ts";
import { type ChunkWriter, chunkWriter, OutputSet } from "./batch_output.ts";
import { DriftMonitor, type DriftReport } from "./drift.ts";
import { NativeMemoryGuard } from "./native_memory.ts";
import { driftHtml } from "./drift_html.ts";
import { scoreChunk } from "./score_chunk.ts";
import { type ChunkField, ChunkValidator } from "./validate_chunk.ts";

/**
 * Rows per chunk by default: memory holds one chunk with its scores and reason columns (and the input block it
 * is sliced from).
 *
 * @example
 * ```ts
 * import { plainRunner } from "../flow/step_runner.ts";
 * const options = { model: "model_bundle.json", data: "customers.parquet", out: "scores.parquet" };
 * await runBatch({ ...options, chunkSize: DEFAULT_CHUNK_SIZE * 2 }, plainRunner); // fewer, bigger chunks
 * ```
 */
export const DEFAULT_CHUNK_SIZE = 50_000;

/**
 * Options of a batch run.
 */
export interface BatchOptions {
  /** Model URI (`models:/NAME@ALIAS`, `models:/NAME/VERSION`, `runs:/...`) or bundle path. */
  readonly model: string;
  readonly trackingUri?: string;
  /** A feature table or a transaction log (CSV or Parquet). */
  readonly data: string;
  /** Scores file (`.csv` or `.parquet`); absent: score for the drift report only. */
  readonly out?: string;
  /** Rejects file (default beside `out`: `<name>.rejects.csv`). */
  readonly rejects?: string;
  readonly idColumn?: string;
  /** Transaction logs: the last day of history (default: the log's last day). */
  readonly cutoff?: Date;
  /** Transaction logs: canonical column -> the log's column name. */
  readonly columns?: ColumnMapping;
  /** Rows per chunk (default {@link DEFAULT_CHUNK_SIZE}). */
  readonly chunkSize?: number;
  /** Reason codes per row (default 3; 0 skips them, several times faster). */
  readonly reasons?: number;
  /** Drift report files (default beside `out`: `<name>.drift.json` and `<name>.drift.html`). */
  readonly driftJson?: string;
  readonly driftHtml?: string;
}

/**
 * The outcome of a batch run.
 */
export interface BatchResult {
  readonly model: ModelSource & { readonly candidate: string };
  readonly input: {
    readonly kind: BatchInput["kind"];
    readonly description: string;
    readonly cutoff?: string;
    readonly notices: readonly string[];
  };
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly rejected: number;
  readonly chunks: number;
  readonly seconds: number;
  readonly output?: string;
  readonly rejects?: string;
  readonly drift: DriftReport;
  readonly driftFiles: { readonly json?: string; readonly html?: string };
}

/**
 * Input of the chunk step.
 */
export interface ChunkInput {
  readonly input: BatchInput;
  readonly scorer: Scorer;
  readonly validator: ChunkValidator;
  readonly offset: number;
  readonly length: number;
  readonly reasons: number;
}

/**
 * The steps, as the runners see them.
 *
 * @example
 * ```ts
 * import { plainRunner } from "../flow/step_runner.ts";
 * const uri = "models:/customer_conversion_model@champion";
 * const { bundle } = await plainRunner.run(BATCH_STEPS.loadModel, { uri, source: await modelSource(uri) });
 * ```
 */
export const BATCH_STEPS = {
  /** `source` only keys the cache: it names what the URI resolves to now (see {@link modelSource}). */
  loadModel: {
    name: "load-model",
    run: ({ uri, trackingUri }: { uri: string; trackingUri?: string; source: string }) => loadModel(uri, trackingUri),
    retries: 2,
    cache: true,
  } satisfies StepDefinition<{ uri: string; trackingUri?: string; source: string }, LoadedModel>,
  openInput: { name: "open-input", run: openInput, retries: 2 } satisfies StepDefinition<InputSpec, BatchInput>,
  scoreChunk: {
    name: "score-chunk",
    run: ({ input, scorer, validator, offset, length, reasons }: ChunkInput) => {
      const valid = validator.validate(input.read(offset, length), offset);
      const scored = scoreChunk(scorer, valid, reasons);
      return { ...scored, rejects: pl.concat([valid.rejects, scored.rejects]).sort("row") };
    },
    retries: 1,
  } satisfies StepDefinition<ChunkInput, ReturnType<typeof scoreChunk>>,
  /** Writes the report to the given paths: the run's temporaries, published with the scores. */
  driftReport: {
    name: "drift-report",
    run: ({ report, json, html }: { report: DriftReport; json?: string; html?: string }) => {
      if (json !== undefined) Deno.writeTextFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
      if (html !== undefined) Deno.writeTextFileSync(html, driftHtml(report));
      return { ...(json === undefined ? {} : { json }), ...(html === undefined ? {} : { html }) };
    },
  } satisfies StepDefinition<{ report: DriftReport; json?: string; html?: string }, BatchResult["driftFiles"]>,
};

/**
 * Runs a batch with a runner, reporting progress.
 *
 * @example
 * ```ts
 * import { plainRunner } from "../flow/step_runner.ts";
 * const result = await runBatch({ model: "model_bundle.json", data: "customers.parquet", out: "scores.parquet" }, plainRunner);
 * result.rowsIn === result.rowsOut + result.rejected; // true
 * ```
 */
export async function runBatch(
  options: BatchOptions,
  runner: StepRunner,
  progress: (message: string) => void = () => {},
): Promise<BatchResult> {
  const began = performance.now();
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunk size must be >= 1, got ${chunkSize}`);
  const reasons = options.reasons ?? 3;
  const { model: uri, trackingUri } = options;
  const loaded = await runner.run(BATCH_STEPS.loadModel, {
    uri,
    ...(trackingUri === undefined ? {} : { trackingUri }),
    source: await modelSource(uri, trackingUri),
  });
  const { bundle, source } = loaded;
  progress(`model ${describeModel(source)}: ${bundle.candidate}, threshold ${bundle.threshold.probability.toFixed(4)}`);
  const scorer = new Scorer(bundle);
  const input = await runner.run(BATCH_STEPS.openInput, {
    data: options.data,
    bundle,
    features: scorer.features,
    ...(options.cutoff === undefined ? {} : { cutoff: options.cutoff }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.idColumn === undefined ? {} : { idColumn: options.idColumn }),
  });
  progress(`input: ${input.description}, ${input.rows} rows`);
  for (const notice of input.notices) progress(`notice: ${notice}`);
  // Fields the input lacks are neither read nor compared; the model's own features are always there.
  const present = bundle.fields.filter((field) => input.columns.includes(field.name));
  const fields: ChunkField[] = present.map(({ name, kind, nonNegative }) => ({
    name,
    kind,
    ...(nonNegative ? { nonNegative } : {}),
    ...(scorer.features.includes(name) ? {} : { monitorOnly: true }),
  }));
  const validator = new ChunkValidator(fields, input.idColumn, input.rejected);
  const monitor = new DriftMonitor({ ...bundle, fields: present });
  const files = outputFiles(options);
  const outputs = new OutputSet();
  let output: ChunkWriter | undefined;
  let rejects: ChunkWriter | undefined;
  const memory = new NativeMemoryGuard();
  try {
    output = files.out === undefined ? undefined : chunkWriter(files.out, outputs);
    rejects = files.rejects === undefined ? undefined : chunkWriter(files.rejects, outputs);
    let scoredRows = 0, rejectedRows = 0, chunks = 0;
    for (let offset = 0; offset < input.rows || chunks === 0; offset += chunkSize) {
      const length = Math.min(chunkSize, input.rows - offset);
      const scored = await runner.run(BATCH_STEPS.scoreChunk, { input, scorer, validator, offset, length, reasons });
      output?.write(scored.output);
      rejects?.write(scored.rejects);
      monitor.add(scored.table, scored.probability);
      scoredRows += scored.output.height;
      rejectedRows += scored.rejects.height;
      chunks++;
      // polars frees a frame's native memory in a finalizer, which runs only when the event loop turns:
      // without this yield, every chunk read so far would stay resident until the batch ends.
      await new Promise((resolve) => setTimeout(resolve, 0));
      memory.check();
      progress(`scored ${offset + length} of ${input.rows} rows (${rejectedRows} rejected)`);
    }
    if (scoredRows + rejectedRows !== input.rows) {
      throw new Error(`batch: ${input.rows} rows in, but ${scoredRows} scored and ${rejectedRows} rejected`);
    }
    const drift = monitor.report(source, options.data);
    const staged = {
      ...(files.driftJson === undefined ? {} : { json: outputs.temporary(files.driftJson) }),
      ...(files.driftHtml === undefined ? {} : { html: outputs.temporary(files.driftHtml) }),
    };
    await runner.run(BATCH_STEPS.driftReport, { report: drift, ...staged });
    // Published in this order, all at once at the end: the scores file comes last, so a reader who sees a new
    // scores file sees its rejects and drift report new as well (and a failed run publishes none of them).
    if (staged.json !== undefined) outputs.complete(staged.json, files.driftJson!);
    if (staged.html !== undefined) outputs.complete(staged.html, files.driftHtml!);
    rejects?.finish();
    output?.finish();
    outputs.publish();
    const driftFiles = {
      ...(files.driftJson === undefined ? {} : { json: files.driftJson }),
      ...(files.driftHtml === undefined ? {} : { html: files.driftHtml }),
    };
    return {
      model: { ...source, candidate: bundle.candidate },
      input: {
        kind: input.kind,
        description: input.description,
        ...(input.cutoff === undefined ? {} : { cutoff: input.cutoff }),
        notices: input.notices,
      },
      rowsIn: input.rows,
      rowsOut: scoredRows,
      rejected: rejectedRows,
      chunks,
      seconds: (performance.now() - began) / 1000,
      ...(output === undefined ? {} : { output: output.path }),
      ...(rejects === undefined ? {} : { rejects: rejects.path }),
      drift,
      driftFiles,
    };
  } catch (error) {
    output?.close();
    rejects?.close();
    outputs.abort();
    throw error;
  }
}

/**
 * What a model URI resolves to now, cheaply, as the model cache's key: a
 * bundle file by size and modification time, an alias by the version it
 * points to (so moving `@champion` is a cache miss); numbered versions, runs
 * and logged models do not change.
 *
 * @example
 * ```ts
 * await modelSource("models:/customer_conversion_model@champion", "file:./mlruns"); // "models:/customer_conversion_model/3"
 * ```
 */
export async function modelSource(uri: string, trackingUri?: string): Promise<string> {
  const alias = /^models:\/([^/@]+)@(.+)$/.exec(uri);
  if (alias) {
    const version = await openTracking(trackingUri).getModelVersionByAlias(alias[1], alias[2]);
    return `models:/${alias[1]}/${version.version}`;
  }
  if (/^(models|runs):\//.test(uri)) return uri;
  const path = uri.startsWith("file:") ? new URL(uri).pathname : uri;
  try {
    const info = await Deno.stat(path);
    return `${path}:${info.size}:${info.mtime?.getTime() ?? 0}`;
  } catch {
    return `${path}:missing`;
  }
}

function describeModel(source: ModelSource): string {
  return source.name === undefined ? source.uri : `${source.name} version ${source.version} (${source.uri})`;
}

/** The files a run writes: the given ones, the rest named after `out`. */
function outputFiles(options: BatchOptions) {
  const stem = options.out === undefined ? undefined : options.out.slice(0, -extname(options.out).length);
  return {
    out: options.out,
    rejects: options.rejects ?? (stem === undefined ? undefined : `${stem}.rejects.csv`),
    driftJson: options.driftJson ?? (stem === undefined ? undefined : `${stem}.drift.json`),
    driftHtml: options.driftHtml ?? (stem === undefined ? undefined : `${stem}.drift.html`),
  };
}
