/**
 * Everything a training run can be told, shared by the three entry points
 * (plain, flow, tracked), with the defaults a fresh clone runs with.
 *
 * @module
 */
import type { ColumnMapping } from "../data/transactions.ts";
import { DEFAULT_GENERATE_OPTIONS } from "../data/generate.ts";
import { DEFAULT_HORIZON_DAYS, type LabelRule } from "../data/labels.ts";

/** Options of a training run. */
export interface TrainOptions {
  /** A transaction log or feature table (CSV or Parquet); synthetic data when absent. */
  readonly data?: string;
  /** Target column of a feature table; its presence selects feature-table input. */
  readonly target?: string;
  /** The event label of a target whose labels are not 0/1, true/false or yes/no. */
  readonly positive?: string;
  /** A column whose values `train`/`test` fix the split (its other rows are ignored). */
  readonly splitColumn?: string;
  /** Canonical transaction column -> the name in the user's log. */
  readonly columns?: ColumnMapping;
  readonly customers: number;
  readonly transactions: number;
  readonly seed: number;
  /** Last day of history; default: `horizonDays` before the last transaction. */
  readonly cutoff?: Date;
  readonly horizonDays: number;
  readonly labelRule: LabelRule;
  /** Share of rows held out for the final test (when there is no split column). */
  readonly testSize: number;
  /** Folds of the cross-validation that selects the model. */
  readonly folds: number;
  /** Candidate names to train; all when absent. */
  readonly candidates?: readonly string[];
  /** Monotone constraints of the gbt candidate by numeric feature: +1 score never falls as it grows, −1 never rises. */
  readonly monotone?: Readonly<Record<string, number>>;
  readonly experiment: string;
  readonly modelName: string;
  readonly trackingUri?: string;
  /** Folder for the model bundle and the report. */
  readonly out: string;
  /** Use and fill the flow cache (flow and tracked modes). */
  readonly cache: boolean;
  /** Tracked mode: make the new version champion whatever the comparison (a deliberate promotion). */
  readonly promote?: boolean;
}

/** Defaults: the seed project's data size, its experiment and registered model names. */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  customers: DEFAULT_GENERATE_OPTIONS.customers,
  transactions: DEFAULT_GENERATE_OPTIONS.transactions,
  seed: DEFAULT_GENERATE_OPTIONS.seed,
  horizonDays: DEFAULT_HORIZON_DAYS,
  labelRule: "horizon",
  testSize: 0.25,
  folds: 5,
  experiment: "Customer_Conversion_Scorecard",
  modelName: "customer_conversion_model",
  out: "data/artifacts",
  cache: true,
};
