/**
 * Transaction logs for the feature tests: a typed frame from hand-written
 * rows, and seeded random logs with the data-quality problems real logs have
 * (missing values, returns, duplicate rows).
 *
 * @module
 */
import pl from "nodejs-polars";
import { createRandom, type Random } from "../../src/stats/random.ts";

/** One hand-written transaction; `purchase_datetime` as "YYYY-MM-DD HH:MM:SS". */
export interface Transaction {
  transaction_id?: number;
  customer_id: number | null;
  purchase_datetime: string | null;
  product_id?: number | null;
  quantity?: number | null;
  price?: number | null;
  channel?: string | null;
  promo_flag?: number | null;
  amount: number | null;
}

const DTYPES = {
  transaction_id: pl.Int64,
  customer_id: pl.Int64,
  product_id: pl.Int64,
  quantity: pl.Int64,
  price: pl.Float64,
  channel: pl.Utf8,
  promo_flag: pl.Int64,
  amount: pl.Float64,
} as const;

/**
 * A log frame with the canonical dtypes, holding the columns that the first
 * row has (so a test can leave optional columns out entirely).
 *
 * @example
 * ```ts
 * logFrame([{ customer_id: 1, purchase_datetime: "2024-01-01 10:00:00", amount: 5 }]).width; // 3
 * ```
 */
export function logFrame(rows: readonly Transaction[]): pl.DataFrame {
  const names = Object.keys(rows[0]) as (keyof Transaction)[];
  const series = names.map((name) =>
    name === "purchase_datetime"
      ? pl.Series(name, rows.map((row) => row[name] ?? null), pl.Utf8)
      : pl.Series(name, rows.map((row) => row[name] ?? null), DTYPES[name])
  );
  return pl.DataFrame(series).withColumns(parsedTime());
}

/** Parses a "YYYY-MM-DD HH:MM:SS" `purchase_datetime` column to `Datetime("ms")`. */
export function parsedTime(): pl.Expr {
  return pl.col("purchase_datetime").str.strptime(pl.Datetime("ms"), "%Y-%m-%d %H:%M:%S").cast(pl.Datetime("ms"));
}

/** Options of {@link randomLog}. */
export interface RandomLogOptions {
  readonly rows: number;
  readonly customers: number;
  /** First instant of the log, epoch ms. */
  readonly start: number;
  readonly spanDays: number;
  /** Share of null values in each optional column and in customer_id / purchase_datetime. */
  readonly missing?: number;
}

const CHANNELS = ["web", "app", "store"];

/**
 * A seeded random log with every canonical column, nulls at the `missing`
 * rate, about 3% returns, and about 2% of rows duplicated.
 *
 * @example
 * ```ts
 * randomLog(1, { rows: 100, customers: 10, start: Date.UTC(2024, 0, 1), spanDays: 30 }).height >= 100; // true
 * ```
 */
export function randomLog(seed: number, options: RandomLogOptions): pl.DataFrame {
  const random = createRandom(seed);
  const base = randomRows(random, options.rows, {
    customers: options.customers,
    from: options.start,
    to: options.start + options.spanDays * 86_400_000,
    missing: options.missing ?? 0.03,
    firstId: 1,
  });
  const duplicated = pl.Series("dup", Array.from({ length: base.height }, () => random.next() < 0.02));
  return pl.concat([base, base.filter(duplicated)]);
}

/** Where and how {@link randomRows} draws its rows. */
export interface RowRange {
  readonly customers: number;
  readonly from: number;
  readonly to: number;
  readonly missing: number;
  readonly firstId: number;
}

/**
 * `n` random transactions with times uniform in (`from`, `to`], whole seconds.
 *
 * @example
 * ```ts
 * import { createRandom } from "../../src/stats/random.ts";
 * randomRows(createRandom(1), 5, { customers: 3, from: 0, to: 86_400_000, missing: 0, firstId: 1 }).height; // 5
 * ```
 */
export function randomRows(random: Random, n: number, range: RowRange): pl.DataFrame {
  const maybe = <T>(value: T): T | null => random.next() < range.missing ? null : value;
  const seconds = (range.to - range.from) / 1000;
  const quantity = Array.from({ length: n }, () => random.next() < 0.03 ? -1 : 1 + random.int(3));
  const price = Array.from({ length: n }, () => Math.round(100 + random.gamma(2) * 2000) / 100);
  return pl.DataFrame([
    pl.Series("transaction_id", Array.from({ length: n }, (_, i) => range.firstId + i), pl.Int64),
    pl.Series("customer_id", Array.from({ length: n }, () => maybe(1 + random.int(range.customers))), pl.Int64),
    pl.Series(
      "purchase_datetime",
      Array.from({ length: n }, () => maybe(range.from + 1000 * (1 + random.int(seconds)))),
      pl.Float64,
    ).cast(pl.Int64).cast(pl.Datetime("ms")),
    pl.Series("product_id", Array.from({ length: n }, () => maybe(1 + random.int(30))), pl.Int64),
    pl.Series("quantity", quantity.map(maybe), pl.Int64),
    pl.Series("price", price.map(maybe), pl.Float64),
    pl.Series("channel", Array.from({ length: n }, () => maybe(CHANNELS[random.int(3)])), pl.Utf8),
    pl.Series("promo_flag", Array.from({ length: n }, () => maybe(random.next() < 0.2 ? 1 : 0)), pl.Int64),
    pl.Series("amount", quantity.map((q, i) => maybe(Math.round(q * price[i] * 100) / 100)), pl.Float64),
  ]);
}
