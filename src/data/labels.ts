/**
 * Forward-looking labels: "does the customer buy within H days after the
 * cutoff?", and the seed project's own rule for comparison.
 *
 * The cutoff is a calendar day that belongs to the history: `--cutoff
 * 1997-09-30` means features see every transaction up to the end of 30
 * September and the outcome window is the H days that follow. Internally this
 * is the exclusive instant {@link LabelWindow.asOf} (00:00 of the next day).
 *
 * @module
 */
import pl from "nodejs-polars";
import { DataError } from "./errors.ts";

const DAY_MS = 86_400_000;

/** The history/outcome split of a log. */
export interface LabelWindow {
  /** History is `purchase_datetime < asOf`; the outcome window is `[asOf, asOf + horizonDays)`. */
  readonly asOf: Date;
  /** The cutoff day, as the user names it (`asOf` minus one day). */
  readonly cutoff: Date;
  readonly horizonDays: number;
  /** First and last transaction of the log. */
  readonly first: Date;
  readonly last: Date;
}

/** How labels are made from a transaction log: a horizon window after a cutoff, or the seed's own rule. */
export type LabelRule = "horizon" | "seed";

/** Default outcome horizon in days. */
export const DEFAULT_HORIZON_DAYS = 30;

/**
 * Resolves the label window. Without a cutoff it is the day `horizonDays`
 * before the last transaction's day, so the outcome window ends with the log.
 * A cutoff outside the log is a {@link DataError}.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const tx = pl.DataFrame({ purchase_datetime: [new Date("2024-01-01"), new Date("2024-03-01")] });
 * labelWindow(tx, { horizonDays: 30 }).cutoff; // 2024-01-31
 * ```
 */
export function labelWindow(
  transactions: pl.DataFrame,
  { cutoff, horizonDays = DEFAULT_HORIZON_DAYS }: { cutoff?: Date; horizonDays?: number } = {},
): LabelWindow {
  if (!Number.isInteger(horizonDays) || horizonDays < 1) {
    throw new DataError(`the horizon must be a positive whole number of days, got ${horizonDays}`);
  }
  const times = transactions.getColumn("purchase_datetime");
  const first = new Date(Number(times.min()));
  const last = new Date(Number(times.max()));
  const day = (date: Date) => Math.floor(date.getTime() / DAY_MS) * DAY_MS;
  const cutoffDay = cutoff === undefined ? day(last) - horizonDays * DAY_MS : day(cutoff);
  if (Number.isNaN(cutoffDay)) throw new DataError("the cutoff is not a valid date");
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  if (cutoffDay < day(first) || cutoffDay >= day(last)) {
    throw new DataError(
      `the cutoff ${iso(cutoffDay)} is outside the data, which runs from ${iso(first.getTime())} to ${
        iso(last.getTime())
      }: it must leave transactions on both sides`,
    );
  }
  return { asOf: new Date(cutoffDay + DAY_MS), cutoff: new Date(cutoffDay), horizonDays, first, last };
}

/**
 * One row per customer with history before `asOf`: `customer_id`, `label`
 * (1 when the customer has a transaction in the outcome window).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const tx = pl.DataFrame({
 *   customer_id: [1, 1, 2, 3],
 *   purchase_datetime: [new Date("2024-01-01"), new Date("2024-02-10"), new Date("2024-01-05"), new Date("2024-02-20")],
 * });
 * const window = labelWindow(tx, { cutoff: new Date("2024-01-31"), horizonDays: 30 });
 * horizonLabels(tx, window); // customer 1 -> 1, customer 2 -> 0 (3 has no history)
 * ```
 */
export function horizonLabels(transactions: pl.DataFrame, window: LabelWindow): pl.DataFrame {
  const asOf = window.asOf;
  const end = new Date(asOf.getTime() + window.horizonDays * DAY_MS);
  const time = pl.col("purchase_datetime");
  const history = transactions.lazy().filter(time.lt(pl.lit(asOf))).select("customer_id").unique();
  const outcome = transactions.lazy()
    .filter(time.gtEq(pl.lit(asOf)).and(time.lt(pl.lit(end))))
    .select("customer_id").unique()
    .withColumns(pl.lit(1).alias("label"));
  return history.join(outcome, { on: "customer_id", how: "left" })
    .withColumns(pl.col("label").fillNull(0).cast(pl.Int32))
    .sort("customer_id")
    .collectSync();
}

/**
 * The seed project's rule, for comparison: over the whole log, `label = 1`
 * when the days since the customer's last purchase (whole days before the
 * log's last timestamp) are under 60 and their transaction count is above the
 * median count. It looks at the same period it labels, so it is not a
 * forecast; it is offered to reproduce the seed.
 *
 * @example
 * ```ts
 * import { loadTransactions } from "./transactions.ts";
 * const labels = seedRuleLabels(loadTransactions("../shared/data/seed/dummy_transactions.csv").frame);
 * labels.getColumn("label").mean(); // 0.339
 * ```
 */
export function seedRuleLabels(transactions: pl.DataFrame): pl.DataFrame {
  const last = new Date(Number(transactions.getColumn("purchase_datetime").max()));
  const perCustomer = transactions.lazy().groupBy("customer_id").agg(
    pl.col("purchase_datetime").max().alias("last_purchase"),
    pl.len().alias("tx_count"),
  ).withColumns(
    pl.lit(last).sub(pl.col("last_purchase")).cast(pl.Int64).div(DAY_MS).floor().alias("days_since_last"),
  ).collectSync();
  const median = perCustomer.getColumn("tx_count").median();
  return perCustomer
    .withColumns(
      pl.col("days_since_last").lt(60).and(pl.col("tx_count").gt(median)).cast(pl.Int32).alias("label"),
    )
    .select("customer_id", "label")
    .sort("customer_id");
}
