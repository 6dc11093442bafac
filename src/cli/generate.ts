/**
 * `deno task generate`: writes a seeded synthetic transaction log.
 *
 * @module
 */
import { DEFAULT_GENERATE_OPTIONS, generateTransactions } from "../data/generate.ts";
import { writeTable } from "../data/write_table.ts";
import { dateFlag, numberFlag, runCommand } from "./run_command.ts";

const usage = `deno task generate [--customers N] [--transactions M] [--seed S] [--start YYYY-MM-DD] [--span-days D]
  [--missing-rate R] [--outlier-rate R] [--return-rate R] [--duplicate-rate R] [--out data/transactions.parquet]
Writes a synthetic transaction log (CSV when --out ends in .csv, else Parquet).
Defaults: ${DEFAULT_GENERATE_OPTIONS.customers} customers, ${DEFAULT_GENERATE_OPTIONS.transactions} transactions, seed ${DEFAULT_GENERATE_OPTIONS.seed}, 365 days from 2024-01-01.`;

await runCommand({
  usage,
  options: {
    customers: { type: "string" },
    transactions: { type: "string" },
    seed: { type: "string" },
    start: { type: "string" },
    "span-days": { type: "string" },
    "missing-rate": { type: "string" },
    "outlier-rate": { type: "string" },
    "return-rate": { type: "string" },
    "duplicate-rate": { type: "string" },
    out: { type: "string", default: "data/transactions.parquet" },
  },
}, ({ values }) => {
  const rate = (name: string) => numberFlag(name, values[name as keyof typeof values] as string, { integer: false });
  const began = performance.now();
  const frame = generateTransactions({
    customers: numberFlag("customers", values.customers),
    transactions: numberFlag("transactions", values.transactions),
    seed: numberFlag("seed", values.seed),
    start: dateFlag("start", values.start),
    spanDays: numberFlag("span-days", values["span-days"]),
    quality: Object.fromEntries(
      [
        ["missing", rate("missing-rate")],
        ["outliers", rate("outlier-rate")],
        ["returns", rate("return-rate")],
        ["duplicates", rate("duplicate-rate")],
      ].filter(([, value]) => value !== undefined),
    ),
  });
  const generated = performance.now();
  writeTable(frame, values.out);
  const written = performance.now();
  const customers = frame.getColumn("customer_id").nUnique();
  console.log(
    `wrote ${frame.height} transactions of ${customers} customers to ${values.out} ` +
      `(generate ${((generated - began) / 1000).toFixed(2)} s, write ${((written - generated) / 1000).toFixed(2)} s)`,
  );
});
