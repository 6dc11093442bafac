/**
 * `deno task train` (tracked), `deno task train:flow` and `deno task
 * train:plain`: the seed's three versions as three ways of running one
 * pipeline definition (src/pipeline).
 *
 * @module
 */
import { parseColumnMapping } from "../data/transactions.ts";
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from "../pipeline/options.ts";
import { RUN_MODES, type RunMode, train } from "../pipeline/train.ts";
import { dateFlag, numberFlag, runCommand, UsageError } from "./main.ts";

const usage = `deno task train | train:flow | train:plain [options]
  --data PATH             transaction log or feature table (CSV/Parquet); default: synthetic data
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
  --experiment NAME --model-name NAME --tracking-uri file:PATH    tracking (train only)
  --out DIR               bundle and report folder (default ${DEFAULT_TRAIN_OPTIONS.out})
  --no-cache              do not read or write the flow cache
  --json                  print a JSON summary as the last line`;

await runCommand({
  usage,
  options: {
    mode: { type: "string", default: "tracked" },
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
    experiment: { type: "string" },
    "model-name": { type: "string" },
    "tracking-uri": { type: "string" },
    out: { type: "string" },
    "no-cache": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
}, async ({ values }) => {
  const mode = values.mode as RunMode;
  if (!RUN_MODES.includes(mode)) throw new UsageError(`--mode must be one of ${RUN_MODES.join(", ")}`);
  const labelRule = values["label-rule"] ?? DEFAULT_TRAIN_OPTIONS.labelRule;
  if (labelRule !== "horizon" && labelRule !== "seed") {
    throw new UsageError(`--label-rule must be horizon or seed, got "${labelRule}"`);
  }
  const defined = <T>(entries: Record<string, T | undefined>) =>
    Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
  const options: TrainOptions = {
    ...DEFAULT_TRAIN_OPTIONS,
    ...defined({
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
      experiment: values.experiment,
      modelName: values["model-name"],
      trackingUri: values["tracking-uri"],
      out: values.out,
    }),
    labelRule,
    cache: !values["no-cache"],
  };
  const summary = await train(options, mode, { progress: true });
  if (values.json) console.log(JSON.stringify(summary));
  return summary.ok ? 0 : 1;
});
