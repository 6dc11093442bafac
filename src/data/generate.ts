/**
 * A seeded synthetic transaction log with the seed project's schema, built on
 * typed arrays and turned into a polars frame in one step (no per-row polars
 * calls), so that 1,000,000 transactions take about a second.
 *
 * Customers differ in when they join, how long they stay (churn), how often
 * they buy, how much they spend, which channel they prefer and how much promos
 * move them. Whether a customer buys in the last weeks of the log therefore
 * follows from their history (recency, frequency, trend) without being
 * certain, so a forward-looking label is predictable but not trivially so.
 *
 * @module
 */
import pl from "nodejs-polars";
import { createRandom, type Random } from "../stats/random.ts";
import { TRANSACTION_COLUMNS } from "./schema.ts";

/** Rates of injected data-quality problems, each a fraction of rows in [0, 1). */
export interface QualityRates {
  /** Share of values set to null in each of product_id, quantity, price, channel and promo_flag. */
  readonly missing: number;
  /** Share of rows whose price (and so amount) is multiplied by 20 to 100. */
  readonly outliers: number;
  /** Share of rows that are returns: negative quantity and amount. */
  readonly returns: number;
  /** Share of rows that are exact duplicates of another row (same transaction_id). */
  readonly duplicates: number;
}

/** Options of {@link generateTransactions}. */
export interface GenerateOptions {
  readonly customers?: number;
  readonly transactions?: number;
  readonly seed?: number;
  /** First day of the log (UTC). */
  readonly start?: Date;
  /** Length of the log in days. */
  readonly spanDays?: number;
  readonly quality?: Partial<QualityRates>;
}

/** The defaults: the seed project's size (1,000 customers, 8,000 transactions over 2024). */
export const DEFAULT_GENERATE_OPTIONS = {
  customers: 1_000,
  transactions: 8_000,
  seed: 42,
  start: new Date(Date.UTC(2024, 0, 1)),
  spanDays: 365,
  quality: { missing: 0.02, outliers: 0.005, returns: 0.02, duplicates: 0.01 } satisfies QualityRates,
};

/** Sales channels, in the order the generator's preferences use. */
export const CHANNELS = ["web", "app", "store"] as const;
const CHANNEL_SHARE = [0.45, 0.35, 0.2];
const PRODUCTS = 200;
const HOUR_MS = 3_600_000;

interface Customers {
  readonly joinDay: Float64Array;
  readonly endDay: Float64Array;
  readonly spend: Float64Array;
  readonly channel: Uint8Array;
  readonly loyalty: Float64Array;
  readonly promo: Float64Array;
  readonly cumulativeWeight: Float64Array;
}

/**
 * Generates a transaction log: `transaction_id, customer_id, purchase_datetime,
 * product_id, quantity, price, channel, promo_flag, amount`, sorted by
 * transaction_id (which follows time), with injected missing values, outliers,
 * returns and duplicated rows at the configured rates. Same options, same frame.
 *
 * @example
 * ```ts
 * const tx = generateTransactions({ customers: 100, transactions: 1_000, seed: 7 });
 * tx.height; // 1000
 * ```
 */
export function generateTransactions(options: GenerateOptions = {}): pl.DataFrame {
  const customers = options.customers ?? DEFAULT_GENERATE_OPTIONS.customers;
  const transactions = options.transactions ?? DEFAULT_GENERATE_OPTIONS.transactions;
  const spanDays = options.spanDays ?? DEFAULT_GENERATE_OPTIONS.spanDays;
  const start = options.start ?? DEFAULT_GENERATE_OPTIONS.start;
  const quality = { ...DEFAULT_GENERATE_OPTIONS.quality, ...options.quality };
  validateOptions(customers, transactions, spanDays, start, quality);

  const random = createRandom(options.seed ?? DEFAULT_GENERATE_OPTIONS.seed);
  const people = drawCustomers(random, customers, spanDays);
  const duplicates = Math.min(Math.round(transactions * quality.duplicates), transactions - 1);
  const unique = transactions - duplicates;

  const productPrice = new Float64Array(PRODUCTS);
  for (let p = 0; p < PRODUCTS; p++) productPrice[p] = Math.exp(3.2 + 0.7 * random.normal());

  const customer = new Int32Array(unique);
  const time = new Float64Array(unique);
  const product = new Int32Array(unique);
  const quantity = new Int32Array(unique);
  const price = new Float64Array(unique);
  const channel = new Uint8Array(unique);
  const promo = new Uint8Array(unique);
  const startMs = start.getTime();
  for (let i = 0; i < unique; i++) {
    const c = pickCustomer(people.cumulativeWeight, random.next());
    customer[i] = c + 1;
    const join = people.joinDay[c];
    const day = join + random.next() * (people.endDay[c] - join);
    time[i] = startMs + Math.floor(day * 24) * HOUR_MS;
    const p = Math.min(PRODUCTS - 1, Math.floor(PRODUCTS * random.next() ** 2));
    product[i] = p + 1;
    quantity[i] = 1 + (random.next() < 0.25 ? 1 + random.poisson(0.4) : 0);
    promo[i] = random.next() < people.promo[c] ? 1 : 0;
    const unitPrice = productPrice[p] * people.spend[c] * Math.exp(0.15 * random.normal()) * (promo[i] ? 0.8 : 1);
    price[i] = Math.round(unitPrice * 100) / 100;
    channel[i] = random.next() < people.loyalty[c] ? people.channel[c] : random.int(CHANNELS.length);
  }

  const order = timeOrder(time, startMs);
  const rows = expandWithDuplicates(order, duplicates, random);
  return buildFrame(rows, { customer, time, product, quantity, price, channel, promo }, quality, random);
}

function validateOptions(
  customers: number,
  transactions: number,
  spanDays: number,
  start: Date,
  quality: QualityRates,
): void {
  const positiveInteger = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  };
  positiveInteger("customers", customers);
  positiveInteger("transactions", transactions);
  positiveInteger("spanDays", spanDays);
  if (Number.isNaN(start.getTime())) throw new RangeError("start must be a valid date");
  for (const [name, rate] of Object.entries(quality)) {
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`quality.${name} must be in [0, 1), got ${rate}`);
  }
}

/**
 * Customer heterogeneity: a join day (a third were already customers when the
 * log starts), a lifetime after which they churn (most churn within the
 * log), a gamma-distributed purchase rate, a log-normal spend level, a
 * preferred channel with a loyalty to it, and a promo propensity.
 */
function drawCustomers(random: Random, n: number, spanDays: number): Customers {
  const joinDay = new Float64Array(n);
  const endDay = new Float64Array(n);
  const spend = new Float64Array(n);
  const channel = new Uint8Array(n);
  const loyalty = new Float64Array(n);
  const promo = new Float64Array(n);
  const cumulativeWeight = new Float64Array(n);
  let total = 0;
  for (let c = 0; c < n; c++) {
    const join = random.next() < 0.35 ? 0 : random.next() * spanDays * 0.9;
    const lifetime = random.exponential(1 / (spanDays * 0.4));
    joinDay[c] = join;
    endDay[c] = Math.min(spanDays, join + Math.max(lifetime, 1));
    const rate = random.gamma(1.3);
    spend[c] = Math.exp(0.35 * random.normal());
    const u = random.next();
    channel[c] = u < CHANNEL_SHARE[0] ? 0 : u < CHANNEL_SHARE[0] + CHANNEL_SHARE[1] ? 1 : 2;
    loyalty[c] = 0.4 + 0.55 * random.next();
    promo[c] = 0.02 + 0.4 * random.next() ** 3;
    total += rate * (endDay[c] - joinDay[c]);
    cumulativeWeight[c] = total;
  }
  for (let c = 0; c < n; c++) cumulativeWeight[c] /= total;
  return { joinDay, endDay, spend, channel, loyalty, promo, cumulativeWeight };
}

function pickCustomer(cumulative: Float64Array, u: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cumulative[mid] < u) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Row indices in time order, ties by draw order; a native numeric sort of packed keys instead of a JS comparator. */
function timeOrder(time: Float64Array, startMs: number): Uint32Array {
  const n = time.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = ((time[i] - startMs) / HOUR_MS) * n + i;
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i] % n;
  return order;
}

/** Final row order: every unique row once, `duplicates` of them a second time, right after the original. */
function expandWithDuplicates(order: Uint32Array, duplicates: number, random: Random): Uint32Array {
  const copies = new Uint8Array(order.length);
  for (let placed = 0; placed < duplicates;) {
    const at = random.int(order.length);
    if (copies[at] === 0) {
      copies[at] = 1;
      placed++;
    }
  }
  const rows = new Uint32Array(order.length + duplicates);
  const ids = new Uint32Array(order.length + duplicates);
  let out = 0;
  for (let k = 0; k < order.length; k++) {
    for (let r = 0; r <= copies[k]; r++) {
      rows[out] = order[k];
      ids[out] = k + 1;
      out++;
    }
  }
  return Object.assign(rows, { ids });
}

interface RawColumns {
  readonly customer: Int32Array;
  readonly time: Float64Array;
  readonly product: Int32Array;
  readonly quantity: Int32Array;
  readonly price: Float64Array;
  readonly channel: Uint8Array;
  readonly promo: Uint8Array;
}

function buildFrame(
  rows: Uint32Array & { ids?: Uint32Array },
  raw: RawColumns,
  quality: QualityRates,
  random: Random,
): pl.DataFrame {
  const n = rows.length;
  const uniqueCount = raw.customer.length;
  // Problems are drawn per unique transaction so that a duplicated row repeats its original exactly.
  const isReturn = bernoulli(random, uniqueCount, quality.returns);
  const isOutlier = bernoulli(random, uniqueCount, quality.outliers);
  const missing = ["product_id", "quantity", "price", "channel", "promo_flag"].map((name) =>
    [name, bernoulli(random, uniqueCount, quality.missing)] as const
  );
  const outlierFactor = new Float64Array(uniqueCount);
  for (let i = 0; i < uniqueCount; i++) outlierFactor[i] = isOutlier[i] ? 20 + 80 * random.next() : 1;

  const gather = <T extends Int32Array | Float64Array | Uint8Array>(source: T, target: T): T => {
    for (let k = 0; k < n; k++) target[k] = source[rows[k]];
    return target;
  };
  const quantity = new Float64Array(n);
  const price = new Float64Array(n);
  const amount = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    const q = isReturn[i] ? -raw.quantity[i] : raw.quantity[i];
    const p = Math.round(raw.price[i] * outlierFactor[i] * 100) / 100;
    quantity[k] = q;
    price[k] = p;
    amount[k] = Math.round(q * p * 100) / 100;
  }
  const channelNames = pl.Series("channel_code", gather(raw.channel, new Uint8Array(n)));
  const masks = missing.map(([name, mask]) => pl.Series(`${name}__missing`, gather(mask, new Uint8Array(n))));
  return pl.DataFrame([
    pl.Series("transaction_id", rows.ids!).cast(pl.Int64),
    pl.Series("customer_id", gather(raw.customer, new Int32Array(n))).cast(pl.Int64),
    pl.Series("purchase_datetime", gather(raw.time, new Float64Array(n))).cast(pl.Int64).cast(pl.Datetime("ms")),
    pl.Series("product_id", gather(raw.product, new Int32Array(n))).cast(pl.Int64),
    pl.Series("quantity", quantity).cast(pl.Int64),
    pl.Series("price", price),
    channelNames,
    pl.Series("promo_flag", gather(raw.promo, new Uint8Array(n))).cast(pl.Int64),
    pl.Series("amount", amount),
    ...masks,
  ])
    .withColumns(
      pl.when(pl.col("channel_code").eq(0)).then(pl.lit(CHANNELS[0]))
        .when(pl.col("channel_code").eq(1)).then(pl.lit(CHANNELS[1]))
        .otherwise(pl.lit(CHANNELS[2])).alias("channel"),
    )
    .withColumns(
      ...missing.map(([name]) =>
        pl.when(pl.col(`${name}__missing`).eq(1)).then(pl.lit(null)).otherwise(pl.col(name)).alias(name)
      ),
    )
    .select(...TRANSACTION_COLUMNS);
}

function bernoulli(random: Random, n: number, rate: number): Uint8Array {
  const out = new Uint8Array(n);
  if (rate <= 0) return out;
  for (let i = 0; i < n; i++) out[i] = random.next() < rate ? 1 : 0;
  return out;
}
