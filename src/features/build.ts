/**
 * Per-customer features from a transaction log as of a cutoff, as polars
 * queries (filter and sort, drop duplicates, one group-by over the sorted
 * rows), so that a million transactions take about a second and no row is
 * touched by JavaScript.
 *
 * Only transactions at or before the cutoff are read: every feature of a
 * customer is a function of that customer's pre-cutoff rows alone, which is
 * what makes a forward-looking label leak-free.
 *
 * @module
 */
import pl from "nodejs-polars";
import { DataError } from "../data/errors.ts";
import { REQUIRED_TRANSACTION_COLUMNS, type TransactionColumn } from "../data/schema.ts";
import { DEFAULT_TREND_WINDOW_DAYS, featureCatalogue, type FeatureSpec } from "./spec.ts";

/** Options of {@link buildFeatures}. */
export interface FeatureOptions {
  /** Transactions with `purchase_datetime <= cutoff` are used; later ones are ignored. */
  readonly cutoff: Date;
  /**
   * The features to compute, by name. Default: every catalogue feature whose
   * source columns are present (the others are reported in `notices`). When
   * given, a feature whose source column is absent is an error, because a
   * model trained on it cannot be scored without it.
   */
  readonly features?: readonly string[];
  /** Length in days of the windows `recent_purchases` and `activity_trend` look at. */
  readonly trendWindowDays?: number;
  /**
   * Drop exact duplicate rows before aggregating. Default: only when the log
   * has a `transaction_id`, since without one two identical rows may be two
   * genuine purchases.
   */
  readonly dropDuplicates?: boolean;
}

/**
 * How a feature frame was built, apart from the cutoff: what a model bundle
 * stores so that scoring rebuilds the same features from a log as of another
 * cutoff, with `buildFeatures(log, { cutoff, ...definition })`. Plain JSON.
 */
export interface FeatureDefinition {
  readonly features: readonly string[];
  readonly trendWindowDays: number;
  readonly dropDuplicates: boolean;
}

/** What {@link buildFeatures} returns. */
export interface FeatureResult {
  /** One row per customer with a transaction up to the cutoff, sorted by `customer_id`, then the features. */
  readonly frame: pl.DataFrame;
  /** The features in `frame`, in column order. */
  readonly features: FeatureSpec[];
  /** What was left out or dropped, one sentence each. */
  readonly notices: string[];
  /** The options that rebuild exactly these features (see {@link FeatureDefinition}). */
  readonly definition: FeatureDefinition;
}

const DAY_MS = 86_400_000;
/** Most channels for which {@link preferredChannel} counts each one in the main group-by. */
const MAX_COUNTED_LEVELS = 32;
const TIME = "__t_ms";
const ROWS = "__rows";
const GAP = "__gap_days";
const NEW_DAY = "__new_day";
const LEVEL_COUNT = "__level_";
const RECENT = "__recent";
const PRIOR = "__prior";

/**
 * Computes per-customer features from the transactions up to `options.cutoff`.
 *
 * Rows without `customer_id` or `purchase_datetime` cannot be attributed and
 * are skipped (counted in `notices`); missing optional values are skipped by
 * the features that use them.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const tx = pl.DataFrame({
 *   customer_id: [1, 1, 2],
 *   purchase_datetime: [new Date("2024-01-01"), new Date("2024-01-11"), new Date("2024-02-01")],
 *   amount: [10, 30, 5],
 * });
 * const { frame, notices } = buildFeatures(tx, { cutoff: new Date("2024-01-31") });
 * frame.getColumn("monetary").toArray(); // [40]  (customer 2 bought after the cutoff)
 * notices.length > 0; // true: no quantity, channel, promo_flag or product_id column
 * ```
 */
export function buildFeatures(transactions: pl.DataFrame, options: FeatureOptions): FeatureResult {
  const cutoff = options.cutoff.getTime();
  if (!Number.isFinite(cutoff)) throw new RangeError("buildFeatures: cutoff is not a valid date");
  const window = options.trendWindowDays ?? DEFAULT_TREND_WINDOW_DAYS;
  if (!(window > 0)) throw new RangeError(`buildFeatures: trendWindowDays must be positive, got ${window}`);
  checkColumns(transactions);

  const present = new Set(transactions.columns);
  const { features, notices } = chooseFeatures(featureCatalogue(window), present, options.features);
  const dedupe = options.dropDuplicates ?? present.has("transaction_id");
  const needed = new Set(features.flatMap((spec) => spec.requires));
  const { rows, skipped } = rowsUpToCutoff(transactions, cutoff, dedupe ? present : needed, dedupe);
  notices.push(...skipped);

  const names = features.map((spec) => spec.name);
  const byFeature = aggregations(cutoff, window * DAY_MS);
  const preferred = names.includes("preferred_channel") ? preferredChannel(rows) : NO_PLAN;
  const aggregated = rows.lazy()
    .withColumns(...sequenceColumns())
    .groupBy("customer_id")
    .agg(pl.len().alias(ROWS), ...names.flatMap((name) => byFeature[name] ?? []), ...preferred.aggregations)
    .withColumns(...names.filter((name) => name in DERIVED).map((name) => DERIVED[name]()));
  const frame = preferred.attach(aggregated)
    .select(
      pl.col("customer_id"),
      ...features.map((spec) =>
        spec.kind === "numeric"
          ? pl.col(spec.name).cast(pl.Float64).fillNan(pl.lit(null)).alias(spec.name)
          : pl.col(spec.name).cast(pl.Utf8)
      ),
    )
    .sort("customer_id")
    .collectSync();
  return { frame, features, notices, definition: { features: names, trendWindowDays: window, dropDuplicates: dedupe } };
}

/**
 * The attributable rows up to the cutoff, sorted by customer and time, with
 * `purchase_datetime` replaced by epoch milliseconds; only the `columns`
 * asked for are kept, since sorting (moving every kept value) is most of the
 * cost. Sorting once makes the group-by take polars' sorted fast path and lets
 * gaps between purchases be a plain shifted difference.
 *
 * With `dedupe`, rows equal in every kept column (time to the millisecond)
 * are dropped: with every column a sort key, duplicates end up adjacent and a
 * comparison with the previous row finds them all.
 */
function rowsUpToCutoff(
  transactions: pl.DataFrame,
  cutoff: number,
  columns: ReadonlySet<string>,
  dedupe: boolean,
): { rows: pl.DataFrame; skipped: string[] } {
  const time = pl.col("purchase_datetime").cast(pl.Datetime("ms")).cast(pl.Int64);
  const [withoutTime, withoutCustomer] = transactions.select(
    pl.col("purchase_datetime").isNull().sum(),
    pl.col("customer_id").isNull().and(time.ltEq(cutoff)).sum(),
  ).row(0) as number[];
  const others = transactions.columns.filter((name) =>
    columns.has(name) && name !== "customer_id" && name !== "purchase_datetime"
  );
  const sorted = transactions.lazy()
    .select(pl.col("customer_id"), time.alias(TIME), ...others.map((name) => pl.col(name)))
    .filter(pl.col(TIME).ltEq(cutoff).and(pl.col("customer_id").isNotNull()))
    .sort(["customer_id", TIME, ...(dedupe ? others : [])])
    .collectSync();
  const rows = dedupe ? sorted.filter(pl.allHorizontal(sorted.columns.map(sameAsPrevious)).not()) : sorted;
  const skipped = [
    withoutTime > 0 ? `${withoutTime} rows without purchase_datetime skipped.` : "",
    withoutCustomer > 0 ? `${withoutCustomer} rows up to the cutoff without customer_id skipped.` : "",
    rows.height < sorted.height ? `${sorted.height - rows.height} duplicate rows dropped.` : "",
  ].filter((notice) => notice !== "");
  return { rows, skipped };
}

/** Whether a row's value equals the previous row's, missing values counting as equal. */
function sameAsPrevious(name: string): pl.Expr {
  const value = pl.col(name);
  const previous = value.shift(1);
  return value.eq(previous).fillNull(value.isNull().and(previous.isNull()));
}

/**
 * Columns comparing each row with the previous one (rows sorted by customer
 * and time): days since the customer's previous purchase (missing on their
 * first), and whether the row starts a new purchase day for the customer.
 */
function sequenceColumns(): pl.Expr[] {
  const sameCustomer = pl.col("customer_id").eq(pl.col("customer_id").shift(1)).fillNull(false);
  const day = pl.col(TIME).div(DAY_MS).floor();
  return [
    pl.when(sameCustomer).then(pl.col(TIME).diff(1, "ignore").div(DAY_MS)).otherwise(pl.lit(null)).alias(GAP),
    sameCustomer.and(day.eq(day.shift(1))).not().alias(NEW_DAY),
  ];
}

function checkColumns(transactions: pl.DataFrame): void {
  for (const column of REQUIRED_TRANSACTION_COLUMNS) {
    if (!transactions.columns.includes(column)) {
      throw new DataError("required transaction column is missing", { column });
    }
  }
  const dtype = transactions.getColumn("purchase_datetime").dtype.variant;
  if (dtype !== "Datetime" && dtype !== "Date") {
    throw new DataError(`expected a date-time column, got ${dtype} (load the log with the data layer's loader)`, {
      column: "purchase_datetime",
    });
  }
}

function chooseFeatures(
  catalogue: FeatureSpec[],
  present: ReadonlySet<string>,
  wanted: readonly string[] | undefined,
): { features: FeatureSpec[]; notices: string[] } {
  const absent = (spec: FeatureSpec): TransactionColumn[] => spec.requires.filter((column) => !present.has(column));
  if (wanted === undefined) {
    const notices = catalogue.filter((spec) => absent(spec).length > 0)
      .map((spec) => `${spec.name} left out: no ${absent(spec).join(", ")} column.`);
    return { features: catalogue.filter((spec) => absent(spec).length === 0), notices };
  }
  const byName = new Map(catalogue.map((spec) => [spec.name, spec]));
  const unknown = wanted.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    throw new RangeError(
      `buildFeatures: unknown features ${unknown.join(", ")}; known: ${[...byName.keys()].join(", ")}`,
    );
  }
  const chosen = new Set(wanted);
  const features = catalogue.filter((spec) => chosen.has(spec.name));
  const unmet = features.filter((spec) => absent(spec).length > 0);
  if (unmet.length > 0) {
    throw new DataError(
      `the log cannot provide the requested features ${
        unmet.map((spec) => `${spec.name} (needs ${absent(spec).join(", ")})`).join("; ")
      }`,
      { column: absent(unmet[0])[0] },
    );
  }
  return { features, notices: [] };
}

/**
 * The group-by aggregations behind each feature, aliased to the columns they
 * produce; `frequency` and `activity_trend` come from helper counts (see {@link DERIVED}).
 */
function aggregations(cutoff: number, window: number): Readonly<Record<string, pl.Expr[]>> {
  const t = pl.col(TIME);
  const gaps = pl.col(GAP);
  const daysSince = (instant: pl.Expr) => pl.lit(cutoff).sub(instant).div(DAY_MS).floor();
  const recent = t.gt(cutoff - window).sum();
  return {
    recency_days: [daysSince(t.max()).alias("recency_days")],
    monetary: [pl.col("amount").sum().alias("monetary")],
    avg_amount: [pl.col("amount").mean().alias("avg_amount")],
    qty_mean: [pl.col("quantity").mean().alias("qty_mean")],
    channels: [pl.col("channel").dropNulls().nUnique().alias("channels")],
    tenure_days: [daysSince(t.min()).alias("tenure_days")],
    promo_share: [pl.col("promo_flag").cast(pl.Float64).mean().alias("promo_share")],
    gap_mean_days: [gaps.mean().alias("gap_mean_days")],
    gap_std_days: [gaps.std().alias("gap_std_days")],
    recent_purchases: [recent.alias("recent_purchases")],
    activity_trend: [
      recent.alias(RECENT),
      t.gt(cutoff - 2 * window).and(t.ltEq(cutoff - window)).sum().alias(PRIOR),
    ],
    purchase_days: [pl.col(NEW_DAY).sum().alias("purchase_days")],
    distinct_products: [pl.col("product_id").dropNulls().nUnique().alias("distinct_products")],
    return_rate: [pl.col("quantity").ltEq(0).cast(pl.Float64).mean().alias("return_rate")],
  };
}

/** Features computed from aggregated columns rather than from rows. */
const DERIVED: Readonly<Record<string, () => pl.Expr>> = {
  frequency: () => pl.col(ROWS).alias("frequency"),
  activity_trend: () => {
    const recent = pl.col(RECENT).cast(pl.Float64);
    const prior = pl.col(PRIOR).cast(pl.Float64);
    const total = recent.add(prior);
    return pl.when(total.gt(0)).then(recent.sub(prior).div(total)).otherwise(pl.lit(0)).alias("activity_trend");
  },
};

/** Extra aggregations for the main group-by, and how to turn their result into a feature column. */
interface AggregationPlan {
  readonly aggregations: pl.Expr[];
  attach(aggregated: pl.LazyDataFrame): pl.LazyDataFrame;
}

const NO_PLAN: AggregationPlan = { aggregations: [], attach: (aggregated) => aggregated };

/**
 * Each customer's most used known channel, ties to the alphabetically first.
 * Up to {@link MAX_COUNTED_LEVELS} channels it is read off per-channel counts
 * inside the main (sorted, fast) group-by; beyond, from a separate count per
 * (customer, channel) pair, which costs about as much as all other features.
 */
function preferredChannel(rows: pl.DataFrame): AggregationPlan {
  const values = levels(rows, "channel");
  if (values.length <= MAX_COUNTED_LEVELS) {
    return {
      aggregations: levelCounts("channel", values),
      attach: (aggregated) => aggregated.withColumns(mostCounted(values).alias("preferred_channel")),
    };
  }
  const preferred = mostFrequent(rows.lazy(), "channel").rename({ channel: "preferred_channel" });
  return {
    aggregations: [],
    attach: (aggregated) => aggregated.join(preferred, { on: "customer_id", how: "left" }),
  };
}

/** The distinct known values of a column, sorted (the order ties are broken in). */
function levels(rows: pl.DataFrame, name: string): string[] {
  return rows.select(pl.col(name).dropNulls().unique().sort()).getColumn(name).toArray() as string[];
}

/** Per-group counts of each level, aliased by position (levels may not be valid column names). */
function levelCounts(name: string, values: readonly string[]): pl.Expr[] {
  return values.map((value, i) => pl.col(name).eq(pl.lit(value)).sum().alias(`${LEVEL_COUNT}${i}`));
}

/** The level with the highest {@link levelCounts} count, the first in sorted order on ties; missing when all are 0. */
function mostCounted(values: readonly string[]): pl.Expr {
  const counts = values.map((_, i) => pl.col(`${LEVEL_COUNT}${i}`));
  if (counts.length === 0) return pl.lit(null).cast(pl.Utf8);
  const top = pl.maxHorizontal(counts);
  return values.reduce(
    (chain, value, i) => chain.when(counts[i].eq(top)).then(pl.lit(value)),
    pl.when(top.eq(0)).then(pl.lit(null).cast(pl.Utf8)),
  ).otherwise(pl.lit(null).cast(pl.Utf8));
}

/**
 * The most frequent known value per customer (ties: the first in sorted
 * order), by a separate group-by over (customer, value) pairs.
 */
function mostFrequent(rows: pl.LazyDataFrame, name: string): pl.LazyDataFrame {
  return rows
    .filter(pl.col(name).isNotNull())
    .groupBy(["customer_id", name])
    .agg(pl.len().alias("uses"))
    .sort(["customer_id", "uses", name], [false, true, false])
    .groupBy("customer_id")
    .agg(pl.col(name).first());
}
