/**
 * Building a {@link Table} from plain objects (JSON scoring requests), typed by
 * a schema rather than by guessing from the values, so that a request whose
 * numeric field arrives as text still lands in the numeric column the
 * preparation was fitted on.
 *
 * @module
 */
import type { Column, Table } from "../data/table.ts";
import { DataError } from "../data/errors.ts";
import type { FeatureKind } from "./columns.ts";
import { coerceLevel, coerceNumber } from "./coerce.ts";

/** Feature name -> kind; a fitted preparation exposes its own as `schema`. */
export type TableSchema = Readonly<Record<string, FeatureKind>>;

/**
 * One column per schema field; an absent or `null` field is missing. Numbers
 * given as text are parsed, levels given as numbers are spelled out; any other
 * type is a {@link DataError} naming the field and the record (1-based row).
 * Fields not in the schema are ignored.
 *
 * @example
 * ```ts
 * const t = tableFromRecords([{ amount: "12.5", channel: "web" }, { channel: null }], {
 *   amount: "numeric",
 *   channel: "categorical",
 * });
 * t.columns.amount; // { kind: "numeric", values: Float64Array [12.5, NaN] }
 * ```
 */
export function tableFromRecords(records: readonly unknown[], schema: TableSchema): Table {
  const rows = records.length;
  for (let i = 0; i < rows; i++) {
    const record = records[i];
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      throw new DataError("a record must be a JSON object of field values", { row: i + 1, value: record });
    }
  }
  const objects = records as readonly Readonly<Record<string, unknown>>[];
  const columns: Record<string, Column> = {};
  for (const field in schema) {
    if (schema[field] === "numeric") {
      const values = new Float64Array(rows);
      for (let i = 0; i < rows; i++) values[i] = coerceNumber(objects[i][field], field, i);
      columns[field] = { kind: "numeric", values };
    } else {
      const values = new Array<string | null>(rows);
      for (let i = 0; i < rows; i++) values[i] = coerceLevel(objects[i][field], field, i);
      columns[field] = { kind: "categorical", values };
    }
  }
  return { rows, columns };
}

/**
 * The schema of a table (its columns' kinds).
 *
 * @example
 * ```ts
 * schemaOf({ rows: 0, columns: { x: { kind: "numeric", values: new Float64Array() } } }); // { x: "numeric" }
 * ```
 */
export function schemaOf(table: Table, features: readonly string[] = Object.keys(table.columns)): TableSchema {
  const schema: Record<string, FeatureKind> = {};
  for (const name of features) schema[name] = table.columns[name].kind;
  return schema;
}
