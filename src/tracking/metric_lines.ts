/**
 * The line formats of metric histories. A run's `metrics/<key>` holds
 * `<timestamp_ms> <value> <step>` lines (2, 3 or 5 fields; 5 when logged
 * against a dataset); a logged model's holds `<ts> <value> <step> <run_id>`
 * (4 or 6 fields). Values are written as Python's `str(float)` and read as
 * Python's `float()`, as MLflow does.
 *
 * @module
 */
import type { LoggedModelMetric, Metric } from "./entities.ts";
import { TrackingError } from "./errors.ts";
import { parsePythonFloat, parsePythonInt, pythonFloatRepr } from "./python_format.ts";

/**
 * One run-metric line, newline included.
 *
 * @example
 * ```ts
 * formatRunMetricLine({ key: "auc", value: 0.5, timestamp: 1700000000000, step: 2 }); // "1700000000000 0.5 2\n"
 * ```
 */
export function formatRunMetricLine(metric: Metric): string {
  const dataset = metric.datasetName !== undefined ? ` ${metric.datasetName} ${metric.datasetDigest ?? ""}` : "";
  return `${metric.timestamp} ${pythonFloatRepr(metric.value)} ${metric.step}${dataset}\n`;
}

/**
 * One logged-model metric line, newline included.
 *
 * @example
 * ```ts
 * formatModelMetricLine({ key: "auc", value: 0.5, timestamp: 1, step: 0, runId: "abc" }); // "1 0.5 0 abc\n"
 * ```
 */
export function formatModelMetricLine(metric: LoggedModelMetric): string {
  const dataset = metric.datasetName !== undefined ? ` ${metric.datasetName} ${metric.datasetDigest ?? ""}` : "";
  return `${metric.timestamp} ${pythonFloatRepr(metric.value)} ${metric.step} ${metric.runId}${dataset}\n`;
}

/**
 * Parses a run's metric file into its history (file order). Like MLflow, a
 * line with a field count other than 2, 3 or 5, or a field Python could not
 * parse is an error; ours names the file and line. Unlike MLflow (which then
 * drops the whole experiment), an empty file reads as no history, with a
 * warning: it is what a writer killed between creating and writing the file
 * left behind (see `appendText`), and the next point logged to the key
 * replaces it.
 *
 * @example
 * ```ts
 * parseRunMetricFile("1 0.5 0\n2 0.75 1\n", "auc", "metrics/auc").map((m) => m.value); // [0.5, 0.75]
 * ```
 */
export function parseRunMetricFile(text: string, key: string, path: string): Metric[] {
  return parseLines(text, path).map(({ fields, line }) => {
    if (fields.length !== 2 && fields.length !== 3 && fields.length !== 5) {
      fail(path, line, `has ${fields.length} fields; expected 2, 3 or 5`);
    }
    return {
      key,
      ...parseCommon(fields, path, line),
      ...(fields.length === 5 ? { datasetName: fields[3], datasetDigest: fields[4] } : {}),
    };
  });
}

/**
 * Parses a logged model's metric file (4 or 6 fields per line); an empty
 * file reads as no history, with a warning, as for runs.
 *
 * @example
 * ```ts
 * parseModelMetricFile("1 0.5 0 abc\n", "auc", "m/metrics/auc")[0].runId; // "abc"
 * ```
 */
export function parseModelMetricFile(text: string, key: string, path: string): LoggedModelMetric[] {
  return parseLines(text, path).map(({ fields, line }) => {
    if (fields.length !== 4 && fields.length !== 6) fail(path, line, `has ${fields.length} fields; expected 4 or 6`);
    return {
      key,
      ...parseCommon(fields, path, line),
      runId: fields[3],
      ...(fields.length === 6 ? { datasetName: fields[4], datasetDigest: fields[5] } : {}),
    };
  });
}

/**
 * The value MLflow reports as a metric's current one: the entry with the
 * largest (step, timestamp, value), the first such in file order.
 *
 * @example
 * ```ts
 * latestMetric([
 *   { key: "a", value: 9, timestamp: 5, step: 0 },
 *   { key: "a", value: 1, timestamp: 1, step: 1 },
 * ]).value; // 1
 * ```
 */
export function latestMetric<T extends Metric>(history: readonly T[]): T {
  return history.reduce((best, metric) => (isLater(metric, best) ? metric : best));
}

function isLater(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

function parseLines(text: string, path: string): { fields: string[]; line: number }[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length === 0) {
    console.warn(`${path}: empty metric file skipped (left by a writer killed before its first write)`);
    return [];
  }
  return lines.map((raw, index) => ({ fields: raw.trim().split(" "), line: index + 1 }));
}

function parseCommon(fields: string[], path: string, line: number): Omit<Metric, "key"> {
  const timestamp = parsePythonInt(fields[0]);
  const value = parsePythonFloat(fields[1]);
  const step = fields.length > 2 ? parsePythonInt(fields[2]) : 0;
  if (timestamp === undefined) fail(path, line, `timestamp "${fields[0]}" is not an integer`);
  if (value === undefined) fail(path, line, `value "${fields[1]}" is not a number`);
  if (step === undefined) fail(path, line, `step "${fields[2]}" is not an integer`);
  return { value, timestamp, step };
}

function fail(path: string, line: number, problem: string): never {
  throw new TrackingError("CORRUPT_STORE", `line ${line} ${problem}`, { path });
}
