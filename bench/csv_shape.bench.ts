/**
 * The cost of checking every CSV row's field count (src/data/csv_shape.ts)
 * on a 1,000,000-row transaction log of 100,000 customers, the size of
 * `deno task generate --customers 100000 --transactions 1000000`: the scan
 * alone, polars' parse alone, and the whole `loadTransactions` (which runs
 * both), interleaved in one process so that the ratios compare like with like.
 *
 * Run: `deno task bench csv_shape`.
 *
 * @module
 */
import pl from "nodejs-polars";
import { scanCsvShape } from "../src/data/csv_shape.ts";
import { generateTransactions } from "../src/data/generate.ts";
import { loadTransactions } from "../src/data/transactions.ts";
import { writeTable } from "../src/data/write_table.ts";

const REPETITIONS = 5;
const dir = Deno.makeTempDirSync({ prefix: "bench-csv-shape-" });
const path = `${dir}/tx.csv`;
writeTable(generateTransactions({ customers: 100_000, transactions: 1_000_000, seed: 42 }), path);
const megabytes = Deno.statSync(path).size / 1e6;

const timings = { scan: [] as number[], parse: [] as number[], load: [] as number[] };
const time = (action: () => unknown) => {
  const began = performance.now();
  action();
  return performance.now() - began;
};
let rows = 0;
for (let k = 0; k < REPETITIONS; k++) {
  timings.scan.push(time(() => (rows = scanCsvShape(path).rows)));
  timings.parse.push(time(() => pl.readCSV(path, { inferSchemaLength: 0, tryParseDates: false })));
  timings.load.push(time(() => loadTransactions(path)));
}
Deno.removeSync(dir, { recursive: true });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const [scan, parse, load] = [median(timings.scan), median(timings.parse), median(timings.load)];
console.log(`log: ${rows} rows, ${megabytes.toFixed(1)} MB; medians of ${REPETITIONS} interleaved runs`);
console.log(
  `field-count scan      ${scan.toFixed(0).padStart(6)} ms  (${(megabytes / (scan / 1000)).toFixed(0)} MB/s)`,
);
console.log(`polars readCSV        ${parse.toFixed(0).padStart(6)} ms`);
console.log(`loadTransactions      ${load.toFixed(0).padStart(6)} ms  (scan + parse + conversion and checks)`);
console.log(`scan / polars parse   ${(scan / parse).toFixed(2)}`);
console.log(`scan / whole load     ${(scan / load).toFixed(2)}`);
