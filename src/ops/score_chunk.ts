/**
 * Scores the valid rows of a chunk into the batch output's columns: the id,
 * probability, score points, decision and, with reason codes, the baseline
 * score and `reason_1` .. `reason_k` (the fields that lowered the score most,
 * most first) with their points `reason_1_points` .. `reason_k_points`.
 *
 * A row the model cannot score (a value the preparation refuses, or no
 * finite probability) is moved to the rejects instead of failing the chunk.
 *
 * @module
 */
import pl from "nodejs-polars";
import { DataError } from "../data/errors.ts";
import { takeTableRows } from "../data/table.ts";
import type { Table } from "../data/table.ts";
import type { ReasonColumns, Scorer } from "../bundle/scorer.ts";
import { rejectsFrame, type ValidatedChunk } from "./validate_chunk.ts";

/**
 * A scored chunk.
 */
export interface ScoredChunk {
  /** Output rows: id, probability, score, decision, and with reasons baseline_score, reason_i and reason_i_points. */
  readonly output: pl.DataFrame;
  /** The scored rows' features and probabilities (for the drift monitor). */
  readonly table: Table;
  readonly probability: Float64Array;
  /** Rows the model could not score ({@link rejectsFrame} columns). */
  readonly rejects: pl.DataFrame;
}

/**
 * Scores a validated chunk with `reasons` reason codes per row (0: none).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import type { Scorer } from "../bundle/scorer.ts";
 * import { type ChunkField, ChunkValidator } from "./validate_chunk.ts";
 * declare const scorer: Scorer;
 * declare const fields: ChunkField[];
 * declare const frame: pl.DataFrame;
 * const chunk = new ChunkValidator(fields, "customer_id").validate(frame, 0);
 * const scored = scoreChunk(scorer, chunk, 3);
 * scored.output.columns;
 * // ["customer_id", "probability", "score", "decision", "baseline_score", "reason_1", "reason_1_points", ...]
 * ```
 */
export function scoreChunk(scorer: Scorer, chunk: ValidatedChunk, reasons: number): ScoredChunk {
  let { table, ids, rows } = chunk;
  const failed = { row: [] as number[], id: [] as (string | null)[], reason: [] as string[] };
  const drop = (index: number, reason: string) => {
    failed.row.push(rows[index]);
    const id = ids.get(index);
    failed.id.push(id === null || id === undefined ? null : String(id));
    failed.reason.push(reason);
  };
  const keepOnly = (keep: number[]) => {
    const indices = Uint32Array.from(keep);
    table = takeTableRows(table, indices);
    ids = ids.gather(Array.from(indices));
    rows = Float64Array.from(indices, (i) => rows[i]);
  };
  let scores;
  for (;;) {
    try {
      scores = scorer.scoreTable(table, { reasons });
      break;
    } catch (error) {
      // The preparation names the 1-based row it refused; set that row aside and score the rest.
      const row = error instanceof DataError ? error.location.row : undefined;
      if (row === undefined || row < 1 || row > table.rows) throw error;
      drop(row - 1, (error as DataError).message);
      keepOnly(Array.from({ length: table.rows }, (_, i) => i).filter((i) => i !== row - 1));
    }
  }
  const finite: number[] = [];
  for (let i = 0; i < table.rows; i++) {
    if (Number.isFinite(scores.probability[i])) finite.push(i);
    else drop(i, "the model returned no finite probability");
  }
  let { probability, points, decision } = scores;
  const scoredRows = finite.length < table.rows ? finite : undefined;
  if (scoredRows) {
    probability = Float64Array.from(scoredRows, (i) => probability[i]);
    points = Float64Array.from(scoredRows, (i) => points[i]);
    decision = Uint8Array.from(scoredRows, (i) => decision[i]);
    keepOnly(scoredRows);
  }
  const reasonColumns = scores.reasons
    ? [
      pl.Series("baseline_score", new Float64Array(table.rows).fill(scores.baseline)),
      ...reasonSeries(scorer.features, scores.reasons, reasons, scoredRows ?? table.rows),
    ]
    : [];
  const output = pl.DataFrame([
    ids,
    pl.Series("probability", probability),
    pl.Series("score", points),
    pl.Series("decision", decision),
    ...reasonColumns,
  ]).withColumns(
    pl.when(pl.col("decision").eq(1)).then(pl.lit("convert")).otherwise(pl.lit("no_convert")).alias("decision"),
  );
  const count = failed.row.length;
  const rejects = rejectsFrame({
    row: failed.row,
    id: failed.id,
    column: new Array(count).fill(""),
    value: new Array(count).fill(""),
    reason: failed.reason,
  });
  return { output, table, probability, rejects };
}

/**
 * `reason_k` (field name) and `reason_k_points` for each of `count` slots, of the given rows (indices, or the first n).
 * The slots are gathered into typed arrays of field numbers and points, and the names put in by polars: a million
 * JavaScript strings handed to polars one by one cost more than the scoring.
 */
function reasonSeries(
  features: readonly string[],
  reasons: ReasonColumns,
  count: number,
  rows: readonly number[] | number,
): pl.Series[] {
  const n = typeof rows === "number" ? rows : rows.length;
  const rowAt = typeof rows === "number" ? (i: number) => i : (i: number) => rows[i];
  const codes = features.map((_, f) => f);
  return Array.from({ length: count }).flatMap((_, k) => {
    const field = new Int32Array(n).fill(-1);
    const points = new Float64Array(n);
    if (k < reasons.slots) {
      for (let i = 0; i < n; i++) {
        const slot = rowAt(i) * reasons.slots + k;
        field[i] = reasons.field[slot];
        points[i] = reasons.points[slot];
      }
    }
    const none = pl.col("field").lt(0);
    const frame = pl.DataFrame([pl.Series("field", field), pl.Series("points", points)]).select(
      pl.when(none).then(pl.lit(null).cast(pl.Utf8))
        .otherwise(pl.col("field").replaceStrict([-1, ...codes], ["", ...features], undefined, pl.Utf8))
        .alias(`reason_${k + 1}`),
      pl.when(none).then(pl.lit(null).cast(pl.Float64)).otherwise(pl.col("points")).alias(`reason_${k + 1}_points`),
    );
    return frame.getColumns();
  });
}
