/**
 * Everything an EDA report shows about a frame, computed in one call: the
 * column summaries, histograms, outlier counts, correlations and, given a
 * binary target, the target rate per bin of every column.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { REQUIRED_TRANSACTION_COLUMNS } from "../data/schema.ts";
import { columnKind } from "./columns.ts";
import { type CorrelationMatrix, correlationMatrix } from "./correlation.ts";
import { type Histogram, histogram } from "./histogram.ts";
import { type OutlierCount, outlierCounts } from "./outliers.ts";
import { type ColumnSummary, summarizeColumns } from "./summary.ts";
import { targetRates, type TargetRateTable } from "./target_rate.ts";

/** A binary target given as 0/1 per row (for example from the data layer's `parseBinaryTarget`). */
export interface EdaTarget {
  /** The target column's name in the frame (excluded from the per-column target rates). */
  readonly column: string;
  readonly y: Uint8Array;
  /** How the event class is written in the data, for the report. */
  readonly positive?: string;
}

/** Options of {@link analyzeFrame}. */
export interface AnalyzeOptions {
  readonly target?: EdaTarget;
  /** Target-rate bins for numeric columns (default 10: deciles). */
  readonly bins?: number;
  /** Histogram bars (default 30). */
  readonly histogramBins?: number;
  /** Labels listed per categorical column (default 8). */
  readonly topLevels?: number;
}

/** The target part of an {@link EdaAnalysis}. */
export interface TargetAnalysis {
  readonly column: string;
  readonly positive?: string;
  readonly events: number;
  readonly rate: number;
  readonly tables: readonly TargetRateTable[];
}

/** What {@link analyzeFrame} computes. */
export interface EdaAnalysis {
  readonly rows: number;
  /** Rows that repeat an earlier row exactly. */
  readonly duplicateRows: number;
  readonly columns: readonly ColumnSummary[];
  /**
   * Columns named `id` or `*_id`: summarised, but left out of histograms,
   * outliers, correlations and target rates, where their values mean nothing.
   */
  readonly identifiers: readonly string[];
  /** Whether the frame is a transaction log (has the required transaction columns). */
  readonly transactionLog: boolean;
  readonly histograms: readonly Histogram[];
  readonly outliers: readonly OutlierCount[];
  readonly correlation: CorrelationMatrix;
  readonly target?: TargetAnalysis;
}

/**
 * Analyses a frame for an EDA report.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const frame = pl.DataFrame({ x: [1, 2, 3, 4], label: [0, 0, 1, 1] });
 * const analysis = analyzeFrame(frame, { target: { column: "label", y: new Uint8Array([0, 0, 1, 1]) } });
 * analysis.target?.rate; // 0.5
 * ```
 */
export function analyzeFrame(frame: pl.DataFrame, options: AnalyzeOptions = {}): EdaAnalysis {
  const target = options.target;
  if (target !== undefined && target.y.length !== frame.height) {
    throw new RangeError(`analyzeFrame: ${target.y.length} target values for ${frame.height} rows`);
  }
  const identifiers = frame.columns.filter((name) => name === "id" || name.endsWith("_id"));
  const analysed = frame.drop(identifiers);
  const numeric = analysed.columns.filter((name) => columnKind(analysed, name) === "numeric");
  // The target is correlated with the rest, but its own histogram, outliers and target rate say nothing new.
  const explanatory = analysed.drop(analysed.columns.filter((name) => name === target?.column));
  const features = numeric.filter((name) => name !== target?.column);
  const events = target === undefined ? 0 : target.y.reduce((sum, value) => sum + value, 0);
  return {
    rows: frame.height,
    duplicateRows: frame.height - frame.unique().height,
    columns: summarizeColumns(frame, { topLevels: options.topLevels ?? 8 }),
    identifiers,
    transactionLog: REQUIRED_TRANSACTION_COLUMNS.every((name) => frame.columns.includes(name)),
    histograms: features.map((name) => histogram(analysed, name, options.histogramBins ?? 30)),
    outliers: outlierCounts(analysed, { columns: features }),
    correlation: correlationMatrix(analysed, numeric),
    target: target === undefined ? undefined : {
      column: target.column,
      positive: target.positive,
      events,
      rate: frame.height === 0 ? 0 : events / frame.height,
      tables: targetRates(explanatory, target.y, { bins: options.bins ?? 10 }),
    },
  };
}
