/**
 * The data step of every pipeline: from synthetic data, a transaction log or
 * a ready feature table to one {@link Dataset} (feature table, 0/1 labels,
 * optional fixed split), with the feature definition a model bundle needs to
 * rebuild the same features at scoring time.
 *
 * @module
 */
import pl from "nodejs-polars";
import { DataError, withDataLocation } from "../data/errors.ts";
import { featureTableFromFrame } from "../data/feature_table.ts";
import { generateTransactions } from "../data/generate.ts";
import { horizonLabels, labelWindow, seedRuleLabels } from "../data/labels.ts";
import { readTable } from "../data/read_table.ts";
import { tableFromFrame } from "../data/frame.ts";
import type { Table } from "../data/table.ts";
import { loadTransactions, type TransactionLog } from "../data/transactions.ts";
import { buildFeatures } from "../features/build.ts";
import type { FeatureDefinition } from "../bundle/feature_definition.ts";
import type { TrainOptions } from "./options.ts";
import { hashBytes } from "../flow/hash.ts";

/** A model input field: name, kind and what it means. */
export interface FieldSpec {
  readonly name: string;
  readonly kind: "numeric" | "categorical";
  readonly description?: string;
}

/** The modelling data of one run. */
export interface Dataset {
  /** Entity ids (customer ids), one per row, as text. */
  readonly ids: readonly string[];
  readonly table: Table;
  readonly fields: readonly FieldSpec[];
  /** 1 = the event (the customer converts). */
  readonly y: Uint8Array;
  readonly positiveLabel: string;
  /** 1 = test row, 0 = train row, from a split column; absent when the run splits itself. */
  readonly fixedSplit?: Uint8Array;
  readonly definition: FeatureDefinition;
  /** What the data step left out or assumed, one sentence each. */
  readonly notices: readonly string[];
  /** SHA-256 of the input file, or of the generator settings for synthetic data. */
  readonly fingerprint: string;
  readonly description: string;
}

/**
 * Builds the dataset a run trains on, following the options: synthetic data
 * (no `data`), a feature table (`target` given) or a transaction log.
 *
 * @example
 * ```ts
 * import { DEFAULT_TRAIN_OPTIONS } from "./options.ts";
 * const dataset = await loadDataset(DEFAULT_TRAIN_OPTIONS);
 * dataset.fields.map((f) => f.name).includes("recency_days"); // true
 * ```
 */
export async function loadDataset(options: TrainOptions): Promise<Dataset> {
  if (options.data === undefined) {
    const settings = { customers: options.customers, transactions: options.transactions, seed: options.seed };
    const frame = generateTransactions(settings);
    const log: TransactionLog = { frame, notices: [] };
    const description =
      `synthetic: ${settings.customers} customers, ${settings.transactions} transactions, seed ${settings.seed}`;
    return datasetFromTransactions(
      log,
      options,
      hashBytes(new TextEncoder().encode(JSON.stringify(settings))),
      description,
    );
  }
  const fingerprint = hashBytes(await Deno.readFile(options.data).catch(() => new Uint8Array()));
  const file = options.data;
  // Every check names what it found; this is the net under them, so a polars failure still names the file.
  return withDataLocation({ file }, "cannot prepare the data", () => {
    if (options.target !== undefined) return datasetFromTable(options, fingerprint);
    const log = loadTransactions(file, options.columns);
    return datasetFromTransactions(log, options, fingerprint, `transaction log ${file}`);
  });
}

function datasetFromTransactions(
  log: TransactionLog,
  options: TrainOptions,
  fingerprint: string,
  description: string,
): Dataset {
  if (options.splitColumn !== undefined) {
    throw new DataError("--split-column applies to feature tables (with --target), not to transaction logs");
  }
  const window = labelWindow(log.frame, { cutoff: options.cutoff, horizonDays: options.horizonDays });
  // buildFeatures keeps transactions at or before its cutoff; ours is the last instant of the cutoff day.
  const built = buildFeatures(log.frame, { cutoff: new Date(window.asOf.getTime() - 1) });
  const labels = options.labelRule === "seed" ? seedRuleLabels(log.frame) : horizonLabels(log.frame, window);
  const joined = built.frame.join(labels, { on: "customer_id", how: "inner" }).sort("customer_id");
  const y = Uint8Array.from(joined.getColumn("label").toArray() as number[]);
  checkBothClasses(y, "the labels");
  const names = built.features.map((spec) => spec.name);
  return {
    ids: joined.getColumn("customer_id").cast(pl.Utf8).toArray() as string[],
    table: tableFromFrame(joined, names),
    fields: built.features.map(({ name, kind, description }) => ({ name, kind, description })),
    y,
    positiveLabel: "1",
    definition: {
      kind: "transactions",
      cutoff: window.cutoff.toISOString().slice(0, 10),
      horizonDays: window.horizonDays,
      labelRule: options.labelRule,
      build: built.definition,
      features: built.features,
    },
    notices: [...log.notices, ...built.notices],
    fingerprint,
    description: `${description}; cutoff ${
      window.cutoff.toISOString().slice(0, 10)
    }, horizon ${window.horizonDays} days`,
  };
}

function datasetFromTable(options: TrainOptions, fingerprint: string): Dataset {
  const file = options.data!;
  let raw = readTable(file);
  let fixedSplit: Uint8Array | undefined;
  const notices: string[] = [];
  if (options.splitColumn !== undefined) {
    ({ raw, fixedSplit } = applySplitColumn(raw, options.splitColumn, file, notices));
  }
  const { frame, target } = featureTableFromFrame(raw, { target: options.target!, positive: options.positive, file });
  const { names, dropped } = chooseFeatureColumns(frame, file);
  notices.push(...dropped);
  if (names.length === 0) throw new DataError("no usable feature columns are left", { file });
  const table = tableFromFrame(frame, names);
  checkBothClasses(fixedSplit ? target.y.filter((_, i) => fixedSplit![i] === 0) : target.y, "the training labels");
  const idColumn = frame.columns.find((name) => ID_PATTERN.test(name));
  const ids = idColumn
    ? (frame.getColumn(idColumn).cast(pl.Utf8).toArray() as string[])
    : Array.from({ length: frame.height }, (_, i) => String(i));
  return {
    ids,
    table,
    fields: names.map((name) => ({ name, kind: table.columns[name].kind })),
    y: target.y,
    positiveLabel: target.positive,
    fixedSplit,
    definition: { kind: "table", targetColumn: options.target! },
    notices,
    fingerprint,
    description: `feature table ${file} (target ${options.target}, event "${target.positive}")`,
  };
}

const ID_PATTERN = /^(id|.*_id|.*Id|ID)$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?/;

/**
 * Which columns of a feature table are features: empty columns (every value
 * missing), identifiers, date strings and free-text columns (more distinct
 * values than half the rows) are not, and each one dropped is reported.
 * Emptiness is tested first: the other tests read values, and an empty
 * column has none.
 */
function chooseFeatureColumns(frame: pl.DataFrame, file: string): { names: string[]; dropped: string[] } {
  const names: string[] = [];
  const dropped: string[] = [];
  for (const name of frame.columns) {
    const series = frame.getColumn(name);
    const isText = series.dtype.variant === "String" || series.dtype.variant === "Utf8";
    if (series.nullCount() === frame.height) {
      dropped.push(`column ${name} of ${file} is empty (no value in any row) and is not used as a feature.`);
    } else if (ID_PATTERN.test(name)) {
      dropped.push(`column ${name} looks like an identifier and is not used as a feature.`);
    } else if (isText && DATE_PATTERN.test(String(series.dropNulls().get(0)))) {
      dropped.push(`column ${name} holds dates and is not used as a feature.`);
    } else if (isText && series.nUnique() > Math.max(50, frame.height / 2)) {
      dropped.push(`column ${name} has ${series.nUnique()} distinct text values and is not used as a feature.`);
    } else {
      names.push(name);
    }
  }
  return { names, dropped };
}

function applySplitColumn(
  raw: pl.DataFrame,
  column: string,
  file: string,
  notices: string[],
): { raw: pl.DataFrame; fixedSplit: Uint8Array } {
  if (!raw.columns.includes(column)) {
    throw new DataError(`split column "${column}" is not in the table; found: ${raw.columns.join(", ")}`, { file });
  }
  const split = pl.col(column).cast(pl.Utf8).str.strip().str.toLowerCase();
  const kept = raw.filter(split.isIn(["train", "test"]));
  if (kept.height < raw.height) {
    notices.push(`${raw.height - kept.height} rows whose ${column} is neither train nor test are ignored.`);
  }
  const isTest = kept.select(split.eq(pl.lit("test")).cast(pl.UInt8).alias("t")).getColumn("t");
  const fixedSplit = Uint8Array.from(isTest.toArray() as number[]);
  const tests = fixedSplit.reduce((a, b) => a + b, 0);
  if (tests === 0 || tests === fixedSplit.length) {
    throw new DataError(`split column "${column}" must mark both train and test rows`, { file, column });
  }
  return { raw: kept.drop(column), fixedSplit };
}

function checkBothClasses(y: Uint8Array, what: string): void {
  const positives = y.reduce((a, b) => a + b, 0);
  if (positives === 0 || positives === y.length) {
    throw new DataError(
      `${what} have only one class (${positives === 0 ? "no" : "only"} events among ${y.length} rows): ` +
        "a model needs both; check the cutoff, the horizon or the target",
    );
  }
}
