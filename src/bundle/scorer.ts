/**
 * Scores customers with a model bundle: probability, points, decision at the
 * bundle's threshold, and reason codes. One code path for a single HTTP
 * request, a notebook cell and a million-row batch.
 *
 * Reason codes are model-agnostic: a feature's contribution is the change in
 * points when that feature alone is set to its typical training value (median
 * or most frequent level). The features that pull the score down most are
 * reported. For the WoE scorecard this equals the difference between the
 * customer's bin points and the typical bin's points.
 *
 * @module
 */
import type { Column, Table } from "../data/table.ts";
import { DataError } from "../data/errors.ts";
import { tableFromRecords } from "../prep/records.ts";
import type { ModelBundle } from "./bundle.ts";
import { FittedCandidate } from "./fitted.ts";
import { pointsScaling } from "../models/points.ts";

/** One reason code: a feature that lowered the score, by how many points, and the value that did it. */
export interface Reason {
  readonly feature: string;
  readonly value: number | string | null;
  readonly points: number;
}

/** The score of one customer. */
export interface ScoreResult {
  readonly probability: number;
  readonly score: number;
  readonly decision: Decision;
  readonly reasons: readonly Reason[];
}

/** The action at the bundle's threshold. */
export type Decision = "convert" | "no_convert";

/** Scores of many rows, column-wise. */
export interface BatchScores {
  readonly probability: Float64Array;
  readonly points: Float64Array;
  /** 1 = convert (probability at or above the threshold). */
  readonly decision: Uint8Array;
  /** Per row, when reasons were asked for. */
  readonly reasons?: readonly (readonly Reason[])[];
}

/** Options of the scoring calls. */
export interface ScoreOptions {
  /** How many reason codes per row (default 3; 0 skips the work). */
  readonly reasons?: number;
}

/**
 * A loaded bundle, ready to score.
 *
 * @example
 * ```ts
 * import { readBundle } from "./bundle.ts";
 * const scorer = new Scorer(readBundle("data/artifacts/model_bundle.json"));
 * scorer.scoreRecords([{ recency_days: 12, frequency: 20, monetary: 250.5 }])[0].probability;
 * ```
 */
export class Scorer {
  readonly fitted: FittedCandidate;
  readonly features: readonly string[];
  readonly #factor: number;
  readonly #offset: number;
  readonly #threshold: number;
  readonly #reference: readonly (number | string | null)[];

  constructor(readonly bundle: ModelBundle) {
    this.fitted = FittedCandidate.fromJSON(bundle.fitted);
    this.features = Object.keys(this.fitted.preparation.schema);
    const { factor, offset } = pointsScaling(bundle.scaling);
    this.#factor = factor;
    this.#offset = offset;
    this.#threshold = bundle.threshold.probability;
    const byName = new Map(bundle.fields.map((field) => [field.name, field.reference]));
    this.#reference = this.features.map((name) => byName.get(name) ?? null);
  }

  /** Points for a log-odds value. */
  points(logOdds: number): number {
    return this.#offset + this.#factor * logOdds;
  }

  /**
   * Scores plain records (JSON objects of field values; absent fields are
   * missing and imputed as in training; fields the model does not use are ignored).
   * Throws a DataError naming the field and record for a value of the wrong type.
   */
  scoreRecords(records: readonly unknown[], options: ScoreOptions = {}): ScoreResult[] {
    const table = tableFromRecords(records, this.fitted.preparation.schema);
    const scores = this.scoreTable(table, options);
    const results = new Array<ScoreResult>(table.rows);
    for (let i = 0; i < table.rows; i++) {
      results[i] = {
        probability: scores.probability[i],
        score: scores.points[i],
        decision: scores.decision[i] === 1 ? "convert" : "no_convert",
        reasons: scores.reasons?.[i] ?? [],
      };
    }
    return results;
  }

  /**
   * Scores a table column-wise; the fast path for batches. A table without
   * one of the model's fields is a DataError naming them: scoring it as all
   * missing would give every row the same meaningless score.
   */
  scoreTable(table: Table, options: ScoreOptions = {}): BatchScores {
    const absent = this.features.filter((name) => table.columns[name] === undefined);
    if (absent.length > 0) {
      throw new DataError(`the table lacks the model's field(s) ${absent.join(", ")}`, { column: absent[0] });
    }
    const wanted = options.reasons ?? 3;
    if (wanted <= 0 || this.features.length === 0) {
      const z = this.fitted.logOdds(table);
      return this.#finish(z, 1, table.rows);
    }
    const stride = this.features.length + 1;
    const z = this.fitted.logOdds(this.#withReferenceRows(table));
    const scores = this.#finish(z, stride, table.rows);
    const reasons = new Array<Reason[]>(table.rows);
    for (let i = 0; i < table.rows; i++) {
      const base = z[i * stride];
      const found: Reason[] = [];
      for (let k = 0; k < this.features.length; k++) {
        const points = this.#factor * (base - z[i * stride + 1 + k]);
        if (points < -1e-9) {
          found.push({ feature: this.features[k], value: valueAt(table, this.features[k], i), points });
        }
      }
      found.sort((a, b) => a.points - b.points);
      reasons[i] = found.slice(0, wanted);
    }
    return { ...scores, reasons };
  }

  #finish(z: Float64Array, stride: number, rows: number): BatchScores {
    const probability = new Float64Array(rows);
    const points = new Float64Array(rows);
    const decision = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      const logOdds = z[i * stride];
      const p = 1 / (1 + Math.exp(-logOdds));
      probability[i] = p;
      points[i] = this.#offset + this.#factor * logOdds;
      decision[i] = p >= this.#threshold ? 1 : 0;
    }
    return { probability, points, decision };
  }

  /** Each row followed by one copy per feature with that feature set to its reference value. */
  #withReferenceRows(table: Table): Table {
    const stride = this.features.length + 1;
    const rows = table.rows * stride;
    const columns: Record<string, Column> = {};
    this.features.forEach((name, k) => {
      const source = table.columns[name];
      const reference = this.#reference[k];
      if (source.kind === "numeric") {
        const values = new Float64Array(rows);
        const fill = typeof reference === "number" ? reference : Number.NaN;
        for (let i = 0; i < table.rows; i++) {
          const v = source.values[i];
          const base = i * stride;
          for (let j = 0; j < stride; j++) values[base + j] = v;
          values[base + 1 + k] = fill;
        }
        columns[name] = { kind: "numeric", values };
      } else {
        const values = new Array<string | null>(rows);
        const fill = typeof reference === "string" ? reference : null;
        for (let i = 0; i < table.rows; i++) {
          const v = source.values[i];
          const base = i * stride;
          for (let j = 0; j < stride; j++) values[base + j] = v;
          values[base + 1 + k] = fill;
        }
        columns[name] = { kind: "categorical", values };
      }
    });
    return { rows, columns };
  }
}

function valueAt(table: Table, feature: string, row: number): number | string | null {
  const column = table.columns[feature];
  if (column.kind === "categorical") return column.values[row];
  const value = column.values[row];
  return Number.isNaN(value) ? null : value;
}
