/**
 * Feature engineering at scale: 1,000,000 transactions of 100,000 customers
 * (built here from typed arrays, independent of the data layer's generator)
 * to per-customer features, timed over a few repetitions.
 *
 * Run: `deno task bench features` (or `deno run -A bench/features.bench.ts`).
 * Besides wall time it prints the process CPU time (user + system, all
 * threads): on a shared machine wall time swings with other load, CPU time
 * much less.
 *
 * @module
 */
import process from "node:process";
import pl from "nodejs-polars";
import { createRandom } from "../src/stats/random.ts";
import { buildFeatures } from "../src/features/build.ts";

const TRANSACTIONS = 1_000_000;
const CUSTOMERS = 100_000;
const REPETITIONS = 5;
const DAY_MS = 86_400_000;
const start = Date.UTC(2024, 0, 1);

function transactionLog(rows: number, customers: number, seed: number): pl.DataFrame {
  const random = createRandom(seed);
  const customer = new Float64Array(rows);
  const time = new Float64Array(rows);
  const product = new Float64Array(rows);
  const quantity = new Float64Array(rows);
  const price = new Float64Array(rows);
  const promo = new Float64Array(rows);
  const channel = new Array<string | null>(rows);
  const names = ["web", "app", "store"];
  for (let i = 0; i < rows; i++) {
    customer[i] = 1 + random.int(customers);
    time[i] = start + Math.floor(random.next() * 365 * 24) * 3_600_000;
    product[i] = 1 + random.int(200);
    quantity[i] = random.next() < 0.02 ? -1 : 1 + random.int(3);
    price[i] = Math.round(random.gamma(2) * 2500) / 100;
    promo[i] = random.next() < 0.15 ? 1 : 0;
    channel[i] = random.next() < 0.02 ? null : names[random.int(3)];
  }
  return pl.DataFrame([
    pl.Series("transaction_id", Float64Array.from({ length: rows }, (_, i) => i + 1)).cast(pl.Int64),
    pl.Series("customer_id", customer).cast(pl.Int64),
    pl.Series("purchase_datetime", time).cast(pl.Int64).cast(pl.Datetime("ms")),
    pl.Series("product_id", product).cast(pl.Int64),
    pl.Series("quantity", quantity).cast(pl.Int64),
    pl.Series("price", price),
    pl.Series("channel", channel, pl.Utf8),
    pl.Series("promo_flag", promo).cast(pl.Int64),
  ]).withColumns(pl.col("price").mul(pl.col("quantity")).alias("amount"));
}

const built = performance.now();
const log = transactionLog(TRANSACTIONS, CUSTOMERS, 1);
console.log(`log: ${log.height} rows, built in ${((performance.now() - built) / 1000).toFixed(2)} s`);

const cutoff = new Date(start + 335 * DAY_MS);

/** Times `buildFeatures` over the log and prints median / min / max wall time and the median CPU time. */
function measure(label: string, options: { dropDuplicates?: boolean }): void {
  const wall: number[] = [];
  const cpu: number[] = [];
  let shape = "";
  for (let i = 0; i < REPETITIONS; i++) {
    const usage = process.cpuUsage();
    const began = performance.now();
    const { frame } = buildFeatures(log, { cutoff, ...options });
    wall.push((performance.now() - began) / 1000);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1e6);
    shape = `${frame.height} customers x ${frame.width - 1} features`;
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(
    `buildFeatures (${label}): ${TRANSACTIONS} transactions -> ${shape}: wall median ${median(wall).toFixed(3)} s ` +
      `(min ${Math.min(...wall).toFixed(3)}, max ${Math.max(...wall).toFixed(3)}), ` +
      `CPU median ${median(cpu).toFixed(3)} s, ${REPETITIONS} runs`,
  );
}

measure("default: exact duplicates dropped", {});
measure("dropDuplicates: false", { dropDuplicates: false });
