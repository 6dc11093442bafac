/**
 * Turns one raw chunk of a batch into a scorable {@link Table} and the rows
 * that cannot be scored, each with its reason, by the rules a scoring request
 * follows: numbers may arrive as text (blank = missing), anything else in a
 * numeric field is not a number, a count cannot be negative, and a row needs
 * its id. The checks are polars column expressions; JavaScript only words
 * the (few) rejected rows.
 *
 * @module
 */
import pl from "nodejs-polars";
import { DataError } from "../data/errors.ts";
import type { Column, Table } from "../data/table.ts";

/**
 * A field a chunk is checked for.
 */
export interface ChunkField {
  readonly name: string;
  readonly kind: "numeric" | "categorical";
  /** Negative values are rejected. */
  readonly nonNegative?: boolean;
  /**
   * Read for the drift report only (the model does not use it): a value that
   * is not a number counts as missing instead of rejecting the row.
   */
  readonly monitorOnly?: boolean;
}

/** An input row rejected before validation (by the input step), with its reason. */
export interface PreRejected {
  /** 1-based input row. */
  readonly row: number;
  readonly reason: string;
}

/**
 * A chunk split into what can be scored and what cannot.
 */
export interface ValidatedChunk {
  /** The scorable rows, one column per field. */
  readonly table: Table;
  /** Their ids (the id column's values, or 1-based row numbers named `row`). */
  readonly ids: pl.Series;
  /** The 1-based input rows of the scorable rows. */
  readonly rows: Float64Array;
  /** One row per rejected input row: `row, id, column, value, reason`. */
  readonly rejects: pl.DataFrame;
}

const ROW = "__row";
const ID = "__id";
const flag = (k: number) => `__bad_${k}`;

interface Check {
  readonly column: string;
  readonly problem: string;
  readonly bad: pl.Expr;
}

/** The expressions that check chunks of one column layout (built once: building polars expressions is slow). */
interface Plan {
  readonly parsed: readonly pl.Expr[];
  readonly checks: readonly Check[];
  readonly flags: readonly pl.Expr[];
  readonly anyBad: pl.Expr;
  readonly countBad: pl.Expr;
}

/**
 * Validates the chunks of one input: each chunk splits into a scorable
 * table and its rejects.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const validator = new ChunkValidator([{ name: "amount", kind: "numeric" }], "id");
 * const { table, rejects } = validator.validate(pl.DataFrame({ id: ["a", "b"], amount: ["12.5", "abc"] }), 0);
 * table.rows; // 1
 * rejects.getColumn("reason").get(0); // 'column "amount": not a number (value: "abc")'
 * ```
 */
export class ChunkValidator {
  readonly #plans = new Map<string, Plan>();

  /** `rejected`: rows the input step already rejects, in row order; they are rejected with their own reason. */
  constructor(
    readonly fields: readonly ChunkField[],
    readonly idColumn?: string,
    readonly rejected: readonly PreRejected[] = [],
  ) {}

  /** Validates a chunk whose first row is input row `offset + 1`. */
  validate(frame: pl.DataFrame, offset: number): ValidatedChunk {
    const { parsed, checks, flags, anyBad, countBad } = this.#plan(frame);
    const idColumn = this.idColumn;
    const early = this.#rejectedIn(offset, frame.height);
    let checked = frame.withRowIndex(ROW, offset + 1).select(
      pl.col(ROW),
      (idColumn === undefined ? pl.col(ROW) : pl.col(idColumn)).alias(ID),
      ...parsed,
      ...flags,
    );
    let earlyRejects: pl.DataFrame | undefined;
    if (early.length > 0) {
      const rows = early.map((reject) => reject.row);
      const ids = checked.getColumn(ID).gather(rows.map((row) => row - offset - 1)).toArray();
      earlyRejects = rejectsFrame({
        row: rows,
        id: ids.map((id) => (id === null || id === undefined ? null : String(id))),
        column: rows.map(() => ""),
        value: rows.map(() => ""),
        reason: early.map((reject) => reject.reason),
      });
      checked = checked.filter(pl.col(ROW).isIn(rows).not());
    }
    const hasBad = checks.length > 0 && Number(checked.select(countBad).getColumn("bad").toArray()[0]) > 0;
    const good = hasBad ? checked.filter(anyBad.not()) : checked;
    const rejects = hasBad ? rejectRows(frame, checked.filter(anyBad), checks, offset) : emptyRejects();
    return {
      table: tableOf(good, this.fields),
      ids: good.getColumn(ID).alias(idColumn ?? "row"),
      rows: good.getColumn(ROW).cast(pl.Float64).toTypedArray() as Float64Array,
      rejects: earlyRejects === undefined ? rejects : pl.concat([earlyRejects, rejects]).sort("row"),
    };
  }

  /** The pre-rejected rows among input rows `offset + 1 ..= offset + length` (binary search: the list is sorted). */
  #rejectedIn(offset: number, length: number): readonly PreRejected[] {
    const first = (row: number) => {
      let low = 0, high = this.rejected.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (this.rejected[middle].row < row) low = middle + 1;
        else high = middle;
      }
      return low;
    };
    return this.rejected.slice(first(offset + 1), first(offset + length + 1));
  }

  #plan(frame: pl.DataFrame): Plan {
    const layout = this.fields.map((field) => `${field.name}:${frame.getColumn(field.name).dtype.variant}`).join(",");
    const known = this.#plans.get(layout);
    if (known !== undefined) return known;
    const parsed: pl.Expr[] = [];
    const checks: Check[] = [];
    for (const field of this.fields) {
      const source = pl.col(field.name);
      if (field.kind === "categorical") {
        parsed.push(source.cast(pl.Utf8).alias(field.name));
        continue;
      }
      const text = isText(frame.getColumn(field.name).dtype);
      const number = (text ? source.str.strip() : source).cast(pl.Float64, false);
      const present = text ? source.str.strip().str.lengths().gt(0) : source.isNotNull();
      // Missing is NaN in a Table: filled here, in the one select, rather than column by column afterwards.
      parsed.push(number.fillNull(pl.lit(Number.NaN)).alias(field.name));
      if (field.monitorOnly) continue;
      checks.push({
        column: field.name,
        problem: "not a number",
        bad: present.and(number.isNull().or(number.isInfinite()).or(text ? number.isNan() : pl.lit(false))),
      });
      if (field.nonNegative) {
        checks.push({ column: field.name, problem: "a count cannot be negative", bad: number.lt(0) });
      }
    }
    if (this.idColumn !== undefined) {
      const id = pl.col(this.idColumn);
      const blank = isText(frame.getColumn(this.idColumn).dtype) ? id.str.strip().str.lengths().eq(0) : pl.lit(false);
      checks.push({ column: this.idColumn, problem: "missing id", bad: id.isNull().or(blank) });
    }
    const anyBad = checks.length === 0
      ? pl.lit(false)
      : checks.map((_, k) => pl.col(flag(k))).reduce((a, b) => a.or(b));
    const plan = {
      parsed,
      checks,
      flags: checks.map((check, k) => check.bad.fillNull(false).alias(flag(k))),
      anyBad,
      countBad: anyBad.cast(pl.UInt32).sum().alias("bad"),
    };
    this.#plans.set(layout, plan);
    return plan;
  }
}

/** The scorable rows as a Table: numeric columns are already Float64 with NaN for missing, categorical ones text. */
function tableOf(good: pl.DataFrame, fields: readonly ChunkField[]): Table {
  const columns: Record<string, Column> = {};
  for (const { name, kind } of fields) {
    const series = good.getColumn(name);
    columns[name] = kind === "numeric"
      // A copy: the typed array must outlive the frame, whose native memory polars frees in a finalizer.
      ? { kind, values: Float64Array.from(series.toTypedArray() as Float64Array) }
      : { kind, values: textValues(series) };
  }
  return { rows: good.height, columns };
}

/**
 * A text column's values as JavaScript strings, each level converted once:
 * the column arrives as dense codes (nulls 0) and its sorted levels, since
 * handing over a million strings one by one costs more than scoring them.
 */
function textValues(series: pl.Series): (string | null)[] {
  const levels = series.dropNulls().unique().sort().toArray() as string[];
  const codes = pl.DataFrame([series.alias("level")])
    .select(pl.col("level").rank("dense").fillNull(0).cast(pl.UInt32))
    .getColumn("level").toTypedArray() as Uint32Array;
  const lookup = [null, ...levels];
  const values = new Array<string | null>(codes.length);
  for (let i = 0; i < codes.length; i++) values[i] = lookup[codes[i]];
  return values;
}

/** Words each rejected row by its first failing check, naming the column and the value as a DataError does. */
function rejectRows(frame: pl.DataFrame, bad: pl.DataFrame, checks: readonly Check[], offset: number): pl.DataFrame {
  const rows = bad.getColumn(ROW).toArray().map(Number);
  const ids = bad.getColumn("__id").toArray();
  const flags = checks.map((_, k) => bad.getColumn(flag(k)).toArray() as boolean[]);
  const out = {
    row: [] as number[],
    id: [] as (string | null)[],
    column: [] as string[],
    value: [] as string[],
    reason: [] as string[],
  };
  rows.forEach((row, i) => {
    const k = flags.findIndex((column) => column[i]);
    const check = checks[k];
    const value = frame.getColumn(check.column).get(row - offset - 1);
    out.row.push(row);
    out.id.push(ids[i] === null || ids[i] === undefined ? null : String(ids[i]));
    out.column.push(check.column);
    const text = value === null || value === undefined ? "" : String(value);
    out.value.push(text);
    out.reason.push(new DataError(check.problem, { column: check.column, value: text }).message);
  });
  return rejectsFrame(out);
}

/**
 * Rejected rows as a frame with `row, id, column, value, reason` (what every part of a
 * batch run adds rejects through, so their columns always line up).
 *
 * @example
 * ```ts
 * rejectsFrame({ row: [7], id: ["c7"], column: [""], value: [""], reason: ["the model returned no score"] }).height; // 1
 * ```
 */
export function rejectsFrame(columns: {
  row: readonly number[];
  id: readonly (string | null)[];
  column: readonly string[];
  value: readonly string[];
  reason: readonly string[];
}): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("row", Float64Array.from(columns.row)).cast(pl.Int64),
    pl.Series("id", [...columns.id], pl.Utf8),
    pl.Series("column", [...columns.column], pl.Utf8),
    pl.Series("value", [...columns.value], pl.Utf8),
    pl.Series("reason", [...columns.reason], pl.Utf8),
  ]);
}

function emptyRejects(): pl.DataFrame {
  return rejectsFrame({ row: [], id: [], column: [], value: [], reason: [] });
}

function isText(dtype: pl.DataType): boolean {
  return dtype.variant === "String" || dtype.variant === "Utf8";
}
