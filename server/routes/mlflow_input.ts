/**
 * MLflow's scoring-server input formats turned into records: a JSON object
 * with exactly one of `dataframe_split`, `dataframe_records`, `instances`,
 * `inputs` (plus optional `params`), or a CSV text with a header row. Errors
 * carry MLflow's own wording so that its clients see familiar messages.
 *
 * @module
 */
import { Buffer } from "node:buffer";

/** The JSON keys naming an input format. */
export const MLFLOW_INPUT_FORMATS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

const REQUIRED_INPUT_FORMAT = "The input must be a JSON dictionary with exactly one of the input fields " +
  `{${MLFLOW_INPUT_FORMATS.map((f) => `'${f}'`).join(", ")}}`;

/** Records and params, or why the input is not one of MLflow's formats. */
export type MlflowInput =
  | { readonly ok: true; readonly rows: readonly unknown[]; readonly params: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly message: string };

/**
 * Reads a parsed JSON body. `columns` names the values of positional rows
 * (`instances`/`inputs` given as arrays), in the model's input order.
 *
 * @example
 * ```ts
 * parseMlflowJson({ dataframe_split: { columns: ["a"], data: [[1], [2]] } }, ["a"]);
 * // { ok: true, rows: [{ a: 1 }, { a: 2 }], params: {} }
 * ```
 */
export function parseMlflowJson(body: unknown, columns: readonly string[]): MlflowInput {
  if (Array.isArray(body)) return fail(`${REQUIRED_INPUT_FORMAT}. Received a list.`);
  if (body === null || typeof body !== "object") {
    return fail(`${REQUIRED_INPUT_FORMAT}. Received unexpected input type '${body === null ? "null" : typeof body}'.`);
  }
  const object = body as Record<string, unknown>;
  const formats = MLFLOW_INPUT_FORMATS.filter((format) => format in object);
  if (formats.length !== 1) {
    return fail(
      `${REQUIRED_INPUT_FORMAT}. Received dictionary with input fields: ${JSON.stringify(Object.keys(object))}.`,
    );
  }
  const params = object.params ?? {};
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    return fail("'params' must be a JSON dictionary of parameter names and values.");
  }
  const format = formats[0];
  const data = object[format];
  const rows = format === "dataframe_split"
    ? splitRows(data)
    : format === "dataframe_records"
    ? recordRows(data)
    : tensorRows(data, columns, format);
  return typeof rows === "string" ? fail(rows) : { ok: true, rows, params: params as Record<string, unknown> };
}

/**
 * Reads a CSV body with a header row (parsed by polars, loaded on first use
 * so that a server that never sees CSV does not load it).
 *
 * @example
 * ```ts
 * await parseMlflowCsv("a,b\n1,x\n"); // { ok: true, rows: [{ a: 1, b: "x" }], params: {} }
 * ```
 */
export async function parseMlflowCsv(text: string): Promise<MlflowInput> {
  const { default: pl } = await import("nodejs-polars");
  try {
    // A Buffer, never a string: polars reads a string without a newline as a file path.
    const frame = pl.readCSV(Buffer.from(text, "utf-8"));
    return { ok: true, rows: frame.toRecords(), params: {} };
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    return fail(
      `Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame ` +
        `produced using the \`pandas.DataFrame.to_csv()\` method. Error: '${reason}'`,
    );
  }
}

function fail(message: string): MlflowInput {
  return { ok: false, message };
}

function splitRows(data: unknown): unknown[] | string {
  const split = data as { columns?: unknown; data?: unknown } | null;
  if (split === null || typeof split !== "object" || Array.isArray(split)) {
    return "'dataframe_split' must be a dictionary with 'columns' and 'data' (pandas' split orient).";
  }
  const { columns, data: values } = split;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === "string")) {
    return "'dataframe_split.columns' must be a list of column names.";
  }
  if (!Array.isArray(values)) return "'dataframe_split.data' must be a list of rows.";
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < values.length; i++) {
    const row = values[i];
    if (!Array.isArray(row) || row.length !== columns.length) {
      return `'dataframe_split.data' row ${i} must be a list of ${columns.length} values, one per column.`;
    }
    rows.push(Object.fromEntries(columns.map((column, j) => [column, row[j]])));
  }
  return rows;
}

function recordRows(data: unknown): unknown[] | string {
  if (!Array.isArray(data)) return "'dataframe_records' must be a list of records (pandas' records orient).";
  return data;
}

/** `instances`/`inputs`: records, positional rows, a dictionary of columns, or one record. */
function tensorRows(data: unknown, columns: readonly string[], format: string): unknown[] | string {
  if (Array.isArray(data)) {
    return data.every((row) => Array.isArray(row)) ? positionalRows(data as unknown[][], columns, format) : data;
  }
  if (data === null || typeof data !== "object") {
    return `'${format}' must be a list of rows or a dictionary of columns.`;
  }
  const entries = Object.entries(data as Record<string, unknown>);
  if (!entries.every(([, values]) => Array.isArray(values))) return [data];
  const length = (entries[0]?.[1] as unknown[] | undefined)?.length ?? 0;
  if (!entries.every(([, values]) => (values as unknown[]).length === length)) {
    return `the columns of '${format}' must all have the same length.`;
  }
  return Array.from(
    { length },
    (_, i) => Object.fromEntries(entries.map(([name, values]) => [name, (values as unknown[])[i]])),
  );
}

function positionalRows(data: readonly unknown[][], columns: readonly string[], format: string): unknown[] | string {
  const bad = data.findIndex((row) => row.length !== columns.length);
  if (bad >= 0) {
    return `'${format}' row ${bad} has ${data[bad].length} values; positional rows need ${columns.length}, ` +
      `one per input field in the order GET /model lists them: ${columns.join(", ")}.`;
  }
  return data.map((row) => Object.fromEntries(columns.map((column, j) => [column, row[j]])));
}
