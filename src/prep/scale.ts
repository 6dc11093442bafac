/**
 * Normalization fitted on the training split: standard scaling (mean and
 * population standard deviation, ddof = 0, as sklearn's `StandardScaler`) or
 * min-max scaling to [0, 1] on train. A constant feature gets scale 1 (so it
 * maps to 0), as sklearn does, rather than dividing by zero.
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import { type ColumnKernel, pickFeatures, transformNumeric } from "./columns.ts";
import { arrayField, expectStep } from "./json.ts";
import { moments } from "../stats/descriptive.ts";
import { defineStep } from "./step.ts";

/** Options of {@link Scaler.fit}. */
export interface ScalerOptions {
  /** Default `"standard"`. */
  readonly method?: "standard" | "minmax";
  readonly features?: readonly string[];
}

/** `(x - shift) / scale` for one feature. */
export interface ScaleEntry {
  readonly feature: string;
  /** Mean (standard) or train minimum (minmax). */
  readonly shift: number;
  /** Standard deviation (standard) or train range (minmax); 1 for a constant feature. */
  readonly scale: number;
}

/** JSON form of a {@link Scaler}. */
export interface ScalerJSON {
  readonly type: "scaler";
  readonly version: 1;
  readonly method: "standard" | "minmax";
  readonly entries: readonly ScaleEntry[];
}

/**
 * A fitted scaler (missing values stay missing).
 *
 * @example
 * ```ts
 * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
 * Scaler.fit(t).entries[0]; // { feature: "x", shift: 2.5, scale: Math.sqrt(1.25) }
 * ```
 */
export class Scaler {
  readonly method: "standard" | "minmax";
  readonly entries: readonly ScaleEntry[];
  readonly #byFeature: ReadonlyMap<string, ScaleEntry>;

  /** Wraps fitted parameters; use {@link Scaler.fit} or {@link Scaler.fromJSON} to get them. */
  constructor(method: "standard" | "minmax", entries: readonly ScaleEntry[]) {
    this.method = method;
    this.entries = entries;
    this.#byFeature = new Map(entries.map((e) => [e.feature, e]));
  }

  /**
   * Fits shift and scale of each numeric feature of a training table.
   *
   * @example
   * ```ts
   * const t = { rows: 3, columns: { x: { kind: "numeric" as const, values: new Float64Array([2, 4, 10]) } } };
   * Scaler.fit(t, { method: "minmax" }).entries[0]; // { feature: "x", shift: 2, scale: 8 }
   * ```
   */
  static fit(table: Table, options: ScalerOptions = {}): Scaler {
    const method = options.method ?? "standard";
    const entries = pickFeatures(table, options.features, "numeric").map((feature): ScaleEntry => {
      const values = (table.columns[feature] as { values: Float64Array }).values;
      if (method === "standard") {
        const { mean, variance } = moments(values, table.rows);
        const std = Math.sqrt(variance);
        return { feature, shift: Number.isFinite(mean) ? mean : 0, scale: std > 0 ? std : 1 };
      }
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < table.rows; i++) {
        const v = values[i];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return { feature, shift: Number.isFinite(min) ? min : 0, scale: max > min ? max - min : 1 };
    });
    return new Scaler(method, entries);
  }

  /**
   * Reads a scaler back from {@link Scaler.toJSON}.
   *
   * @example
   * ```ts
   * Scaler.fromJSON({ type: "scaler", version: 1, method: "minmax", entries: [] }).method; // "minmax"
   * ```
   */
  static fromJSON(json: unknown): Scaler {
    const object = expectStep(json, "scaler", 1);
    return new Scaler(object.method === "minmax" ? "minmax" : "standard", arrayField<ScaleEntry>(object, "entries"));
  }

  /**
   * The in-place scaling of a feature, or `undefined` when not fitted on it.
   *
   * @example
   * ```ts
   * const v = new Float64Array([4]);
   * new Scaler("standard", [{ feature: "x", shift: 2, scale: 4 }]).kernel("x")!(v, 1); // v[0] === 0.5
   * ```
   */
  kernel(feature: string): ColumnKernel | undefined {
    const entry = this.#byFeature.get(feature);
    if (entry === undefined) return undefined;
    const { shift, scale } = entry;
    return (values, rows) => {
      for (let i = 0; i < rows; i++) values[i] = (values[i] - shift) / scale;
    };
  }

  /**
   * How a feature is changed, for reports.
   *
   * @example
   * ```ts
   * new Scaler("minmax", [{ feature: "x", shift: 0, scale: 1 }]).describe("x"); // "minmax scaled"
   * ```
   */
  describe(feature: string): string | undefined {
    return this.#byFeature.has(feature) ? `${this.method} scaled` : undefined;
  }

  /**
   * Scales the fitted features of any table.
   *
   * @example
   * ```ts
   * const t = { rows: 2, columns: { x: { kind: "numeric" as const, values: new Float64Array([0, 2]) } } };
   * Scaler.fit(t).transform(t).columns.x.values; // Float64Array [-1, 1]
   * ```
   */
  transform(table: Table): Table {
    return transformNumeric(table, this.entries.map((e) => e.feature), (feature) => this.kernel(feature));
  }

  /** The JSON form, read back by {@link Scaler.toJSON}. */
  toJSON(): ScalerJSON {
    return { type: "scaler", version: 1, method: this.method, entries: this.entries };
  }
}

/**
 * The scaling step of a preparation, option `scale`: standard scaling of the
 * kept numeric features by default with one-hot encoding; off by default with
 * WoE, so that coefficients stay points per unit of WoE (when on, it scales
 * every WoE column).
 */
export const scaleStep = defineStep({
  option: "scale",
  key: "scaler",
  resolve: (given: false | "standard" | "minmax" | undefined, encoding) =>
    given ?? (encoding === "onehot" ? "standard" : false),
  fit: (context, method) =>
    method === false ? undefined : Scaler.fit(context.view, {
      method,
      features: context.encoding === "onehot" ? context.kept.filter((f) => context.numeric.includes(f)) : context.kept,
    }),
  fromJSON: (json) => Scaler.fromJSON(json),
  report: (scaler) => ({ scaling: scaler?.entries ?? [] }),
});
