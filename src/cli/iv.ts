/**
 * `deno task iv`: the information value of every feature of a feature table
 * against a binary target, with each feature's bin table.
 *
 * @module
 */
import { loadFeatureTable } from "../data/feature_table.ts";
import { tableFromFrame } from "../data/frame.ts";
import type { BinningMethod } from "../prep/binning.ts";
import { countPositives } from "../prep/imbalance.ts";
import { WoeEncoder } from "../prep/woe.ts";
import { numberFlag, runCommand, UsageError } from "./run_command.ts";

const METHODS: readonly BinningMethod[] = ["seed", "monotonic", "quantile"];

const usage = `deno task iv --data PATH --target COL [--positive LABEL] [--bins N] [--method seed|monotonic|quantile]
  [--exclude COL,COL] [--json]
Prints the information value of each feature of a CSV/Parquet feature table and its bins
(WoE = ln(%events / %non-events), event = the positive label).
--bins: quantile bins (seed, quantile) or most bins (monotonic); default 6. --method default monotonic.
--positive names the event label when the target is not 0/1, true/false or yes/no.`;

await runCommand({
  usage,
  options: {
    data: { type: "string" },
    target: { type: "string" },
    positive: { type: "string" },
    bins: { type: "string" },
    method: { type: "string", default: "monotonic" },
    exclude: { type: "string" },
    json: { type: "boolean", default: false },
  },
}, ({ values }) => {
  if (values.data === undefined) throw new UsageError("--data PATH is required");
  if (values.target === undefined) throw new UsageError("--target COL is required");
  const method = values.method as BinningMethod;
  if (!METHODS.includes(method)) {
    throw new UsageError(`--method must be one of ${METHODS.join(", ")}, got "${values.method}"`);
  }
  const bins = numberFlag("bins", values.bins) ?? 6;
  if (bins < 1) throw new UsageError(`--bins must be at least 1, got ${bins}`);
  const loaded = loadFeatureTable(values.data, { target: values.target, positive: values.positive });
  const excluded = (values.exclude ?? "").split(",").map((name) => name.trim()).filter((name) => name !== "");
  const unknown = excluded.filter((name) => !loaded.frame.columns.includes(name));
  if (unknown.length > 0) throw new UsageError(`--exclude names columns not in the table: ${unknown.join(", ")}`);
  const features = loaded.frame.columns.filter((name) => !excluded.includes(name));
  if (features.length === 0) throw new UsageError("no feature column left after --exclude");
  const table = tableFromFrame(loaded.frame, features);
  const { y, positive } = loaded.target;
  const encoder = WoeEncoder.fit(table, y, { method, bins });
  const positives = countPositives(y);
  const ivs = encoder.ivTable();
  if (values.json) {
    console.log(JSON.stringify({
      data: values.data,
      target: values.target,
      positive,
      rows: table.rows,
      positives,
      method,
      bins,
      features: ivs.map((entry) => ({
        ...entry,
        kind: encoder.binning(entry.feature)!.kind,
        bins: encoder.binning(entry.feature)!.bins,
      })),
    }));
    return;
  }
  console.log(
    `IV of ${features.length} features in ${values.data}: target ${values.target}, event "${positive}" ` +
      `(${positives} of ${table.rows} rows); method ${method}, ${bins} bins`,
  );
  const width = Math.max(7, ...features.map((f) => f.length));
  console.log(`${"feature".padEnd(width)}  ${"IV".padStart(8)}  ${"band".padEnd(10)}  bins`);
  for (const { feature, iv, band, bins: count } of ivs) {
    console.log(`${feature.padEnd(width)}  ${iv.toFixed(4).padStart(8)}  ${band.padEnd(10)}  ${count}`);
  }
  for (const { feature, iv } of ivs) {
    const binning = encoder.binning(feature)!;
    const labelWidth = Math.min(40, Math.max(3, ...binning.bins.map((b) => b.label.length)));
    console.log(`\n${feature} (${binning.kind}, IV ${iv.toFixed(4)})`);
    console.log(
      `  ${"bin".padEnd(labelWidth)}  ${"count".padStart(7)}  ${"events".padStart(7)}  ${"rate".padStart(6)}  ` +
        `${"WoE".padStart(8)}  ${"IV".padStart(7)}`,
    );
    for (const bin of binning.bins) {
      const label = bin.label.length > labelWidth ? `${bin.label.slice(0, labelWidth - 3)}...` : bin.label;
      console.log(
        `  ${label.padEnd(labelWidth)}  ${String(bin.count).padStart(7)}  ${String(bin.events).padStart(7)}  ` +
          `${bin.eventRate.toFixed(3).padStart(6)}  ${bin.woe.toFixed(4).padStart(8)}  ${
            bin.iv.toFixed(4).padStart(7)
          }`,
      );
    }
  }
});
