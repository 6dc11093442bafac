/**
 * The design matrices of `../shared/data/real/REFERENCE.md`, rebuilt exactly
 * as the scikit-learn reference built them, so that our models can be
 * compared with its coefficients and test metrics: numeric columns
 * standardised with the train mean and population std, categorical columns
 * read as strings and one-hot encoded with all (sorted) train levels.
 * Shared by the model and evaluation tests and by `bench/models.bench.ts`.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { DesignMatrix } from "../../src/data/table.ts";

/**
 * One split of a reference dataset.
 *
 * @example
 * ```ts
 * const split: LabelledMatrix = cdnowDesign().test;
 * ```
 */
export interface LabelledMatrix {
  readonly X: DesignMatrix;
  readonly y: Uint8Array;
}

/**
 * A reference dataset as train and test design matrices.
 *
 * @example
 * ```ts
 * const design: ReferenceDesign = cdnowDesign();
 * ```
 */
export interface ReferenceDesign {
  readonly train: LabelledMatrix;
  readonly test: LabelledMatrix;
}

/**
 * One model row of `reference_results.json`.
 *
 * @example
 * ```ts
 * const lr: ReferenceResult | undefined = referenceResults("cdnow").get("LogisticRegression");
 * ```
 */
export interface ReferenceResult {
  readonly model: string;
  readonly auc: number;
  readonly logloss: number;
  readonly brier: number;
  readonly ks: number;
  readonly pr_auc: number;
  readonly mean_pred: number;
  readonly fit_seconds_median: number;
  readonly intercept?: number;
  readonly coef?: Readonly<Record<string, number>>;
}

const REAL = "../shared/data/real";

/**
 * The reference figures of one dataset (`online_shoppers` or `cdnow`), by model name.
 *
 * @example
 * ```ts
 * referenceResults("online_shoppers").get("XGBoost")?.auc; // 0.9230…
 * ```
 */
export function referenceResults(dataset: "online_shoppers" | "cdnow"): Map<string, ReferenceResult> {
  const json = JSON.parse(Deno.readTextFileSync(`${REAL}/reference_results.json`));
  const results = json[dataset].results as ReferenceResult[];
  return new Map(results.map((r) => [r.model, r]));
}

const OSI_NUMERIC = [
  "Administrative",
  "Administrative_Duration",
  "Informational",
  "Informational_Duration",
  "ProductRelated",
  "ProductRelated_Duration",
  "BounceRates",
  "ExitRates",
  "PageValues",
  "SpecialDay",
];
const OSI_CATEGORICAL = ["Month", "OperatingSystems", "Browser", "Region", "TrafficType", "VisitorType", "Weekend"];
const CDNOW_NUMERIC = [
  "recency_days",
  "frequency",
  "monetary_total",
  "avg_amount",
  "avg_quantity",
  "tenure_days",
  "n_purchase_days",
];

const PANDAS_BOOLEANS: Record<string, string> = { TRUE: "True", FALSE: "False" };

function numericColumn(frame: pl.DataFrame, name: string): Float64Array {
  return Float64Array.from(frame.select(pl.col(name).cast(pl.Float64)).getColumn(name).toTypedArray() as Float64Array);
}

/** Builds both splits; column names follow scikit-learn's `num__x` / `cat__x_level`. */
function buildDesign(
  file: string,
  target: string,
  positive: string,
  numeric: readonly string[],
  categorical: readonly string[],
  standardise: boolean,
): ReferenceDesign {
  const frame = pl.readCSV(`${REAL}/${file}`, { inferSchemaLength: 0 });
  const isTrain = (frame.getColumn("split").toArray() as string[]).map((s) => s === "train");
  const labels = frame.getColumn(target).toArray() as string[];
  const columns: { name: string; values: Float64Array }[] = [];
  for (const name of numeric) {
    const values = numericColumn(frame, name);
    if (standardise) {
      let n = 0, sum = 0, sq = 0;
      values.forEach((v, i) => isTrain[i] && (n++, sum += v));
      const mean = sum / n;
      values.forEach((v, i) => isTrain[i] && (sq += (v - mean) ** 2));
      const std = Math.sqrt(sq / n) || 1;
      for (let i = 0; i < values.length; i++) values[i] = (values[i] - mean) / std;
    }
    columns.push({ name: `num__${name}`, values });
  }
  for (const name of categorical) {
    // pandas parsed TRUE/FALSE as booleans, and the reference's one-hot names use their str(): True/False.
    const raw = (frame.getColumn(name).toArray() as string[]).map((v) => PANDAS_BOOLEANS[v] ?? v);
    const levels = [...new Set(raw.filter((_, i) => isTrain[i]))].sort();
    for (const level of levels) {
      columns.push({ name: `cat__${name}_${level}`, values: Float64Array.from(raw, (v) => v === level ? 1 : 0) });
    }
  }
  const split = (train: boolean): LabelledMatrix => {
    const rows = isTrain.flatMap((t, i) => t === train ? [i] : []);
    const data = new Float64Array(rows.length * columns.length);
    rows.forEach((r, i) => columns.forEach((c, j) => data[i * columns.length + j] = c.values[r]));
    const X = { rows: rows.length, cols: columns.length, names: columns.map((c) => c.name), data };
    return { X, y: Uint8Array.from(rows, (r) => labels[r] === positive ? 1 : 0) };
  };
  return { train: split(true), test: split(false) };
}

/**
 * Online shoppers: 10 standardised numeric + 65 one-hot columns, target `Revenue`.
 *
 * @example
 * ```ts
 * onlineShoppersDesign().train.X.cols; // 75
 * ```
 */
export function onlineShoppersDesign(): ReferenceDesign {
  return buildDesign("online_shoppers_split.csv", "Revenue", "TRUE", OSI_NUMERIC, OSI_CATEGORICAL, true);
}

/**
 * CDNOW: 7 standardised features, target `label`.
 *
 * @example
 * ```ts
 * cdnowDesign().test.X.rows; // 5893
 * ```
 */
export function cdnowDesign(): ReferenceDesign {
  return buildDesign("cdnow_features.csv", "label", "1", CDNOW_NUMERIC, [], true);
}
