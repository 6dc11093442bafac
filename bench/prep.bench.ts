/**
 * Data preparation at scale: fit + transform of the full preparation on a
 * synthetic table of 100,000 customers × 15 features (12 numeric with gaps
 * and skew, 3 categorical with rare levels and gaps), then transform
 * throughput for batches and for single records (a 1-row table built from a
 * JSON-like record, as the server does per request).
 *
 * Run: `deno task bench prep` (or `deno run -A bench/prep.bench.ts`).
 *
 * @module
 */
import type { Table } from "../src/data/table.ts";
import { createRandom } from "../src/stats/random.ts";
import { Preparation, type PreparationOptions } from "../src/prep/preparation.ts";
import { tableFromRecords } from "../src/prep/records.ts";

const CUSTOMERS = 100_000;
const NUMERIC = 12;
const REPETITIONS = 5;
const SINGLE_RECORDS = 100_000;

function customers(rows: number, seed: number): { table: Table; y: Uint8Array } {
  const random = createRandom(seed);
  const columns: Record<string, Table["columns"][string]> = {};
  const logit = new Float64Array(rows).fill(-1);
  for (let j = 0; j < NUMERIC; j++) {
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const z = random.normal();
      values[i] = random.next() < 0.03 ? NaN : j % 3 === 0 ? Math.exp(2 + z) : j % 3 === 1 ? Math.floor(z * z * 10) : z;
      logit[i] += (j < 6 ? 0.3 : 0.02) * z;
    }
    columns[`n${j}`] = { kind: "numeric", values };
  }
  const levels = [["web", "app", "store", "tv"], ["a", "b", "c", "d", "e", "f", "g", "h"], [
    "north",
    "south",
    "east",
    "west",
    "x",
  ]];
  levels.forEach((names, j) => {
    const values = new Array<string | null>(rows);
    for (let i = 0; i < rows; i++) {
      const u = random.next();
      values[i] = u < 0.02 ? null : u < 0.0205 ? `rare${random.int(50)}` : names[random.int(names.length)];
      if (values[i] === names[0]) logit[i] += 0.5;
    }
    columns[`c${j}`] = { kind: "categorical", values };
  });
  const y = Uint8Array.from(logit, (l) => (random.next() < 1 / (1 + Math.exp(-l)) ? 1 : 0));
  return { table: { rows, columns }, y };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const { table, y } = customers(CUSTOMERS, 1);
const records = Array.from(
  { length: 1000 },
  (_, i) =>
    Object.fromEntries(
      Object.entries(table.columns).map(([name, column]) => {
        const value = column.values[i];
        return [name, typeof value === "number" && Number.isNaN(value) ? null : value];
      }),
    ),
);

const variants: Record<string, PreparationOptions> = {
  onehot: { impute: { indicators: true } },
  "onehot yeo-johnson": { transform: { method: "yeo-johnson" } },
  woe: { encoding: "woe" },
};
console.log(
  `table: ${CUSTOMERS} customers × ${Object.keys(table.columns).length} features; median of ${REPETITIONS} runs`,
);
for (const [name, options] of Object.entries(variants)) {
  const fits: number[] = [];
  const transforms: number[] = [];
  const reused: number[] = [];
  let prep = Preparation.fit(table, y, options);
  for (let r = 0; r < REPETITIONS; r++) {
    let began = performance.now();
    prep = Preparation.fit(table, y, options);
    fits.push(performance.now() - began);
    began = performance.now();
    prep.transform(table);
    transforms.push(performance.now() - began);
  }
  const buffer = new Float64Array(table.rows * prep.cols);
  for (let r = 0; r < REPETITIONS; r++) {
    const began = performance.now();
    prep.transformInto(table, buffer);
    reused.push(performance.now() - began);
  }
  const copy = Preparation.fromJSON(JSON.parse(JSON.stringify(prep)));
  let checksum = 0;
  const began = performance.now();
  for (let k = 0; k < SINGLE_RECORDS; k++) {
    checksum += copy.transform(tableFromRecords([records[k % records.length]], copy.schema)).data[0];
  }
  const single = performance.now() - began;
  const perSecond = (ms: number) => Math.round((table.rows / ms) * 1000).toLocaleString("en-US");
  console.log(
    `${name.padEnd(18)} ${String(prep.cols).padStart(2)} cols | fit ${median(fits).toFixed(0)} ms | ` +
      `fit+transform ${(median(fits) + median(transforms)).toFixed(0)} ms | ` +
      `batch ${perSecond(median(transforms))} rows/s (reused buffer ${perSecond(median(reused))}) | ` +
      `single record ${Math.round((SINGLE_RECORDS / single) * 1000).toLocaleString("en-US")} records/s ` +
      `(${((single / SINGLE_RECORDS) * 1000).toFixed(1)} µs each, tableFromRecords included)` +
      (Number.isFinite(checksum) ? "" : " NON-FINITE OUTPUT"),
  );
}
