/**
 * Scores customers with a model bundle: probability, points, decision at the
 * bundle's threshold, and reason codes. One code path for a single HTTP
 * request, a notebook cell and a million-row batch.
 *
 * Reason codes are exact and additive ({@link Contributions}): each input
 * field's contribution in points relative to a baseline (the bundle's
 * reference customer, or for scorecards the maximum attainable points), and
 * the contributions of all fields add up to `score − baseline_score`. The
 * score is `offset + factor · log-odds`, unrounded, so contributions are
 * computed in log-odds and multiplied by the factor; the offset cancels. The
 * fields that pull the score down most are reported first.
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import { DataError } from "../data/errors.ts";
import { tableFromRecords } from "../prep/records.ts";
import type { ModelBundle } from "./bundle.ts";
import { Contributions, type ReasonMethod } from "./contributions.ts";
import { FittedCandidate } from "./fitted.ts";
import { pointsScaling } from "../models/points.ts";

export type { ReasonMethod } from "./contributions.ts";

/** One reason code: a field, its value, the baseline's value, and the points it adds (negative: it lowers the score). */
export interface Reason {
  readonly feature: string;
  readonly value: number | string | null;
  readonly reference_value: number | string | null;
  readonly points: number;
}

/** The score of one customer. */
export interface ScoreResult {
  readonly probability: number;
  readonly score: number;
  /** The baseline's score: the contributions of all fields add up to `score − baseline_score`. */
  readonly baseline_score: number;
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
  /** The baseline's score (the same for every row). */
  readonly baseline: number;
  /** When reasons were asked for. */
  readonly reasons?: ReasonColumns;
}

/** Reason codes of many rows, column-wise: `slots` per row, most negative points first. */
export interface ReasonColumns {
  readonly slots: number;
  /** Index into {@link Scorer.features} of row `i`'s slot `k` at `i · slots + k`; -1 past the row's last reason. */
  readonly field: Int32Array;
  /** Points of each slot (0 in unused slots). */
  readonly points: Float64Array;
  /** The baseline's value of each field, in {@link Scorer.features} order. */
  readonly referenceValues: readonly (number | string | null)[];
}

/** Options of the scoring calls. */
export interface ScoreOptions {
  /**
   * How many reason codes per row: the fields with the most negative points,
   * most negative first (default 3; 0 skips the work); `"all"`: every field,
   * in the same order, zeros and gains included.
   */
  readonly reasons?: number | "all";
  /** The baseline: the bundle's reference customer (default), or for scorecards `"max_points"`. */
  readonly method?: ReasonMethod;
}

/**
 * A loaded bundle, ready to score.
 *
 * @example
 * ```ts
 * import { readBundle } from "./bundle.ts";
 * const scorer = new Scorer(readBundle("data/artifacts/model_bundle.json"));
 * const [result] = scorer.scoreRecords([{ recency_days: 12, frequency: 20, monetary: 250.5 }]);
 * result.score - result.baseline_score; // the sum of every field's points with { reasons: "all" }
 * ```
 */
export class Scorer {
  readonly fitted: FittedCandidate;
  readonly features: readonly string[];
  /** The reason methods this model offers (`max_points` only for scorecards). */
  readonly methods: readonly ReasonMethod[];
  readonly #factor: number;
  readonly #offset: number;
  readonly #threshold: number;
  readonly #reference: Readonly<Record<string, number | string | null>>;
  readonly #explainers = new Map<ReasonMethod, Contributions>();

  constructor(readonly bundle: ModelBundle) {
    this.fitted = FittedCandidate.fromJSON(bundle.fitted);
    this.features = Object.keys(this.fitted.preparation.schema);
    this.methods = Contributions.offersMaxPoints(this.fitted) ? ["reference", "max_points"] : ["reference"];
    const { factor, offset } = pointsScaling(bundle.scaling);
    this.#factor = factor;
    this.#offset = offset;
    this.#threshold = bundle.threshold.probability;
    const byName = new Map(bundle.fields.map((field) => [field.name, field.reference]));
    this.#reference = Object.fromEntries(this.features.map((name) => [name, byName.get(name) ?? null]));
    this.#explainer("reference");
  }

  /** Builds the reason-code machinery of a method now rather than on the first scoring call that asks for reasons. */
  prepareReasons(method: ReasonMethod = "reference"): void {
    this.#explainer(method).prepare();
  }

  /** Points for a log-odds value. */
  points(logOdds: number): number {
    return this.#offset + this.#factor * logOdds;
  }

  /**
   * The baseline score of a reason method: the reference customer's score,
   * or a scorecard's maximum attainable score.
   */
  baselineScore(method: ReasonMethod = "reference"): number {
    return this.points(this.#explainer(method).baseline);
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
        baseline_score: scores.baseline,
        decision: scores.decision[i] === 1 ? "convert" : "no_convert",
        reasons: scores.reasons ? this.#reasonsOf(table, scores.reasons, i) : [],
      };
    }
    return results;
  }

  /**
   * Scores a table column-wise; the fast path for batches. A table without
   * one of the model's fields is a DataError naming them: scoring it as all
   * missing would give every row the same meaningless score. A `method` the
   * model does not support (`max_points` on a model that is not a
   * scorecard) is a RangeError.
   */
  scoreTable(table: Table, options: ScoreOptions = {}): BatchScores {
    const absent = this.features.filter((name) => table.columns[name] === undefined);
    if (absent.length > 0) {
      throw new DataError(`the table lacks the model's field(s) ${absent.join(", ")}`, { column: absent[0] });
    }
    const wanted = options.reasons ?? 3;
    const explainer = this.#explainer(options.method ?? "reference");
    const baseline = this.points(explainer.baseline);
    const X = this.fitted.design(table);
    if (wanted === 0 || this.features.length === 0) {
      return { ...this.#finish(this.fitted.logOddsOf(X), table.rows), baseline };
    }
    const fields = this.features.length;
    const z = new Float64Array(table.rows);
    const phi = new Float64Array(table.rows * fields);
    explainer.explain(X, z, phi);
    const reasons = this.#topReasons(phi, table.rows, explainer, wanted);
    return { ...this.#finish(z, table.rows), baseline, reasons };
  }

  #explainer(method: ReasonMethod): Contributions {
    let explainer = this.#explainers.get(method);
    if (explainer === undefined) {
      explainer = method === "max_points"
        ? Contributions.againstMaxPoints(this.fitted)
        : Contributions.againstReference(this.fitted, this.#reference);
      this.#explainers.set(method, explainer);
    }
    return explainer;
  }

  /** Each row's most negative contributions (or all, for `"all"`), in points, into slots. */
  #topReasons(phi: Float64Array, rows: number, explainer: Contributions, wanted: number | "all"): ReasonColumns {
    const fields = this.features.length;
    const slots = wanted === "all" ? fields : Math.min(wanted, fields);
    const field = new Int32Array(rows * slots).fill(-1);
    const points = new Float64Array(rows * slots);
    const factor = this.#factor;
    for (let i = 0, o = 0, out = 0; i < rows; i++, o += fields, out += slots) {
      // Insertion into the row's slots, most negative first, ties in field order; with a count, only losses.
      let n = 0;
      for (let k = 0; k < fields; k++) {
        const p = phi[o + k];
        if (wanted !== "all" && !(p < 0)) continue;
        if (n === slots && !(p < phi[o + field[out + n - 1]])) continue;
        let at = n < slots ? n++ : n - 1;
        while (at > 0 && phi[o + field[out + at - 1]] > p) {
          field[out + at] = field[out + at - 1];
          at--;
        }
        field[out + at] = k;
      }
      for (let r = 0; r < n; r++) points[out + r] = factor * phi[o + field[out + r]];
    }
    return { slots, field, points, referenceValues: explainer.baselineValues };
  }

  #reasonsOf(table: Table, reasons: ReasonColumns, row: number): Reason[] {
    const found: Reason[] = [];
    for (let k = row * reasons.slots, end = k + reasons.slots; k < end && reasons.field[k] >= 0; k++) {
      const feature = this.features[reasons.field[k]];
      found.push({
        feature,
        value: valueAt(table, feature, row),
        reference_value: reasons.referenceValues[reasons.field[k]],
        points: reasons.points[k],
      });
    }
    return found;
  }

  #finish(z: Float64Array, rows: number): Omit<BatchScores, "baseline"> {
    const probability = new Float64Array(rows);
    const points = new Float64Array(rows);
    const decision = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      const logOdds = z[i];
      const p = 1 / (1 + Math.exp(-logOdds));
      probability[i] = p;
      points[i] = this.#offset + this.#factor * logOdds;
      decision[i] = p >= this.#threshold ? 1 : 0;
    }
    return { probability, points, decision };
  }
}

function valueAt(table: Table, feature: string, row: number): number | string | null {
  const column = table.columns[feature];
  if (column.kind === "categorical") return column.values[row];
  const value = column.values[row];
  return Number.isNaN(value) ? null : value;
}
