/**
 * The catalogue of per-customer features: what each one means and which
 * transaction columns it needs. Plain data (no polars expressions), so that a
 * model bundle can store the specs it was trained with as JSON and batch
 * scoring can rebuild exactly those features from a log as of a cutoff.
 *
 * @module
 */
import type { TransactionColumn } from "../data/schema.ts";

/** Whether a feature holds numbers (Float64) or labels (Utf8). */
export type FeatureKind = "numeric" | "categorical";

/** What a feature is, for people (description) and for code (kind, source columns). */
export interface FeatureSpec {
  readonly name: string;
  readonly kind: FeatureKind;
  readonly description: string;
  /** Transaction columns the feature is computed from; absent ones rule the feature out. */
  readonly requires: readonly TransactionColumn[];
}

/** Default length, in days, of the two windows the activity trend compares. */
export const DEFAULT_TREND_WINDOW_DAYS = 90;

/**
 * The features {@link buildFeatures} can compute, in output column order: the
 * seed project's seven first, then the ones a practitioner adds. "Days" are
 * whole days (floor of the elapsed time), the seed's convention; `window` is
 * the trend window in days.
 *
 * @example
 * ```ts
 * featureCatalogue(90).map((spec) => spec.name).slice(0, 3); // ["recency_days", "frequency", "monetary"]
 * ```
 */
export function featureCatalogue(window: number = DEFAULT_TREND_WINDOW_DAYS): FeatureSpec[] {
  const time = ["customer_id", "purchase_datetime"] as const;
  return [
    numeric("recency_days", "Whole days from the last purchase to the cutoff.", time),
    numeric("frequency", "Number of transactions (returns included).", time),
    numeric("monetary", "Sum of amount (returns count negative; missing amounts skipped).", [...time, "amount"]),
    numeric("avg_amount", "Mean amount per transaction with a known amount.", [...time, "amount"]),
    numeric("qty_mean", "Mean quantity per transaction with a known quantity.", [...time, "quantity"]),
    numeric("channels", "Number of distinct known channels used.", [...time, "channel"]),
    numeric("tenure_days", "Whole days from the first purchase to the cutoff.", time),
    {
      name: "preferred_channel",
      kind: "categorical",
      description: "Most used known channel (ties: alphabetically first); missing when no channel is known.",
      requires: [...time, "channel"],
    },
    numeric("promo_share", "Share of transactions with a known promo flag that had a promo.", [...time, "promo_flag"]),
    numeric("gap_mean_days", "Mean days between consecutive purchases; missing with a single purchase.", time),
    numeric(
      "gap_std_days",
      "Sample standard deviation of days between consecutive purchases; missing with fewer than three purchases.",
      time,
    ),
    numeric("recent_purchases", `Transactions in the last ${window} days before the cutoff.`, time),
    numeric(
      "activity_trend",
      `(r - p) / (r + p), with r the transactions in the last ${window} days and p those in the ${window} days ` +
        "before; 1 = all recent, -1 = all earlier, 0 = even or neither.",
      time,
    ),
    numeric("purchase_days", "Number of distinct calendar days (UTC) with a transaction.", time),
    numeric("distinct_products", "Number of distinct known products bought.", [...time, "product_id"]),
    numeric("return_rate", "Share of transactions with a known quantity that are returns (quantity <= 0).", [
      ...time,
      "quantity",
    ]),
  ];
}

function numeric(name: string, description: string, requires: readonly TransactionColumn[]): FeatureSpec {
  return { name, kind: "numeric", description, requires };
}
