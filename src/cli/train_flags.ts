/**
 * The training flags shared by `deno task train*` and `deno task schedule`:
 * their `parseArgs` spec, their usage text, and their conversion to
 * {@link TrainOptions}.
 *
 * @module
 */
import { parseColumnMapping } from "../data/transactions.ts";
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from "../pipeline/options.ts";
import { dateFlag, numberFlag, UsageError } from "./run_command.ts";

/** `parseArgs` options of every training flag. */
export const TRAIN_FLAGS = {
  data: { type: "string" },
  target: { type: "string" },
  positive: { type: "string" },
  "split-column": { type: "string" },
  columns: { type: "string" },
  customers: { type: "string" },
  transactions: { type: "string" },
  seed: { type: "string" },
  cutoff: { type: "string" },
  "horizon-days": { type: "string" },
  "label-rule": { type: "string" },
  candidates: { type: "string" },
  folds: { type: "string" },
  monotone: { type: "string" },
  experiment: { type: "string" },
  "model-name": { type: "string" },
  "tracking-uri": { type: "string" },
  out: { type: "string" },
  "no-cache": { type: "boolean", default: false },
  promote: { type: "boolean", default: false },
} as const;

/** Usage lines of the training flags. */
export const TRAIN_FLAGS_USAGE =
  `  --data PATH             transaction log or feature table (CSV/Parquet); default: synthetic data
  --target COL            target column of a feature table (selects feature-table input)
  --positive LABEL        the event label when the target is not 0/1, true/false or yes/no
  --split-column COL      column with train/test values that fixes the split
  --columns MAP           log column names, e.g. customer_id=ID,purchase_datetime=date,amount=value
  --customers N --transactions M --seed S    synthetic data size and seed (default ${DEFAULT_TRAIN_OPTIONS.customers} / ${DEFAULT_TRAIN_OPTIONS.transactions} / ${DEFAULT_TRAIN_OPTIONS.seed})
  --cutoff YYYY-MM-DD     last day of history (default: horizon days before the last transaction)
  --horizon-days H        outcome window in days (default ${DEFAULT_TRAIN_OPTIONS.horizonDays})
  --label-rule RULE       horizon (default) or seed (the seed project's recency/frequency rule)
  --candidates LIST       comma-separated candidate names (default: all)
  --folds K               cross-validation folds (default ${DEFAULT_TRAIN_OPTIONS.folds})
  --monotone MAP          gbt monotone constraints, e.g. recency_days=-1,frequency=1 (1 rising, -1 falling)
  --experiment NAME --model-name NAME --tracking-uri file:PATH    tracking
  --out DIR               bundle and report folder (default ${DEFAULT_TRAIN_OPTIONS.out})
  --no-cache              do not read or write the flow cache
  --promote               (train) make the new version champion without comparing (e.g. a new input schema)`;

/** Parsed values of {@link TRAIN_FLAGS}. */
export type TrainFlagValues = {
  [K in keyof typeof TRAIN_FLAGS]?: (typeof TRAIN_FLAGS)[K]["type"] extends "boolean" ? boolean
    : string;
};

/**
 * Training options from parsed flags, over the defaults; a malformed value is a {@link UsageError}.
 *
 * @example
 * ```ts
 * trainOptionsFromFlags({ customers: "500", "no-cache": true }).customers; // 500
 * ```
 */
export function trainOptionsFromFlags(values: TrainFlagValues): TrainOptions {
  const labelRule = values["label-rule"] ?? DEFAULT_TRAIN_OPTIONS.labelRule;
  if (labelRule !== "horizon" && labelRule !== "seed") {
    throw new UsageError(`--label-rule must be horizon or seed, got "${labelRule}"`);
  }
  const given = {
    data: values.data,
    target: values.target,
    positive: values.positive,
    splitColumn: values["split-column"],
    columns: values.columns === undefined ? undefined : parseColumnMapping(values.columns),
    customers: numberFlag("customers", values.customers),
    transactions: numberFlag("transactions", values.transactions),
    seed: numberFlag("seed", values.seed),
    cutoff: dateFlag("cutoff", values.cutoff),
    horizonDays: numberFlag("horizon-days", values["horizon-days"]),
    candidates: values.candidates?.split(",").map((name) => name.trim()).filter((name) => name),
    folds: numberFlag("folds", values.folds),
    monotone: values.monotone === undefined ? undefined : parseMonotone(values.monotone),
    experiment: values.experiment,
    modelName: values["model-name"],
    trackingUri: values["tracking-uri"],
    out: values.out,
  };
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_TRAIN_OPTIONS, ...defined, labelRule, cache: !values["no-cache"], promote: values.promote };
}

/**
 * Parses `--monotone name=1,other=-1`; a malformed entry is a {@link UsageError}.
 *
 * @example
 * ```ts
 * parseMonotone("recency_days=-1,frequency=1"); // { recency_days: -1, frequency: 1 }
 * ```
 */
export function parseMonotone(text: string): Record<string, number> {
  const constraints: Record<string, number> = {};
  for (const entry of text.split(",").map((part) => part.trim()).filter((part) => part)) {
    const match = /^([^=]+)=\s*(-1|0|\+?1)$/.exec(entry);
    if (!match) throw new UsageError(`--monotone entries must be name=1, name=-1 or name=0, got "${entry}"`);
    constraints[match[1].trim()] = Number(match[2]);
  }
  return constraints;
}
