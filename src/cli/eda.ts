/**
 * `deno task eda`: writes an exploratory-analysis report of a CSV or Parquet
 * table as one self-contained HTML file.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { DataError } from "../data/errors.ts";
import { readTable } from "../data/read_table.ts";
import { tableFromFrame } from "../data/frame.ts";
import { parseBinaryTarget } from "../data/target.ts";
import { analyzeFrame, type EdaTarget } from "../eda/analyze.ts";
import type { IvEntry } from "../eda/charts/iv.ts";
import { columnKind, parseDateColumns } from "../eda/columns.ts";
import { renderEdaReport } from "../eda/report.ts";
import type { BinningMethod } from "../prep/binning.ts";
import { informationValues as ivOfTable } from "../prep/information_values.ts";
import { numberFlag, runCommand, UsageError } from "./run_command.ts";
import { writeFileAtomicSync } from "../fs/atomic.ts";

const IV_METHODS: readonly BinningMethod[] = ["monotonic", "quantile", "seed"];

const usage = `deno task eda --data PATH [--target COL] [--positive LABEL] [--bins N] [--iv-method ${
  IV_METHODS.join("|")
}] [--title TEXT] --out report.html
Writes an EDA report (column summaries, missing values, distributions, outliers, correlations; with --target also
the target rate per decile/label and each column's Information Value) as one self-contained HTML file.`;

await runCommand({
  usage,
  options: {
    data: { type: "string" },
    target: { type: "string" },
    positive: { type: "string" },
    bins: { type: "string" },
    "iv-method": { type: "string", default: "monotonic" },
    title: { type: "string" },
    out: { type: "string" },
  },
}, ({ values }) => {
  if (values.data === undefined) throw new UsageError("--data PATH is required");
  if (values.out === undefined) throw new UsageError("--out report.html is required");
  const method = values["iv-method"] as BinningMethod;
  if (!IV_METHODS.includes(method)) {
    throw new UsageError(`--iv-method must be one of ${IV_METHODS.join(", ")}, got "${method}"`);
  }
  const began = performance.now();
  const frame = parseDateColumns(readTable(values.data));
  const target = values.target === undefined ? undefined : targetOf(frame, values.target, values.positive, values.data);
  const analysis = analyzeFrame(frame, { target, bins: numberFlag("bins", values.bins) });
  const iv = target === undefined ? undefined : informationValues(frame, target, method, analysis.identifiers);
  const html = renderEdaReport(analysis, {
    title: values.title ?? `EDA: ${values.data.split("/").pop()}`,
    source: values.data,
    iv,
    ivMethod: `${method} binning`,
  });
  writeFileAtomicSync(values.out, html);
  const seconds = ((performance.now() - began) / 1000).toFixed(2);
  console.log(`wrote ${values.out}: ${frame.height} rows x ${frame.width} columns (${seconds} s)`);
});

function targetOf(frame: pl.DataFrame, column: string, positive: string | undefined, file: string): EdaTarget {
  if (!frame.columns.includes(column)) {
    throw new DataError(`target column "${column}" is not in the table; found: ${frame.columns.join(", ")}`, { file });
  }
  const parsed = parseBinaryTarget(frame.getColumn(column), { positive, file });
  return { column, y: parsed.y, positive: parsed.positive };
}

/** Each column's IV by the preparation step's binning (dates and identifiers skipped). */
function informationValues(
  frame: pl.DataFrame,
  target: EdaTarget,
  method: BinningMethod,
  identifiers: readonly string[],
): IvEntry[] {
  const names = frame.columns.filter((name) =>
    name !== target.column && !identifiers.includes(name) && columnKind(frame, name) !== "datetime"
  );
  return ivOfTable(tableFromFrame(frame, names), target.y, { method, features: names });
}
