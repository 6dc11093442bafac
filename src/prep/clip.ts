/**
 * Outlier treatment: clipping each numeric feature at bounds fitted on the
 * training split, either quantiles (default 1% / 99%) or Tukey's IQR fences.
 *
 * Features where clipping would destroy information are left alone, with the
 * reason in the report: two or fewer distinct values (a flag whose rare value
 * sits beyond the 99th percentile would become constant) and fences that
 * collapse to one value (IQR = 0 on a mostly-constant count).
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import { type ColumnKernel, pickFeatures, transformNumeric } from "./columns.ts";
import { arrayField, expectStep } from "./json.ts";
import { quantiles } from "../stats/descriptive.ts";
import { defineStep } from "./step.ts";

/** Where to clip: quantile bounds or IQR fences. */
export type ClipRule =
  | {
    readonly method?: "quantile";
    /** Lower quantile (default 0.01). */
    readonly lower?: number;
    /** Upper quantile (default 0.99). */
    readonly upper?: number;
  }
  | {
    readonly method: "iqr";
    /** Fences at Q1 - k·IQR and Q3 + k·IQR (default k = 1.5). */
    readonly k?: number;
  };

/**
 * A clip rule with its defaults filled in: quantiles 1% / 99%, or IQR fences at k = 1.5.
 */
function resolveClipRule(rule: ClipRule): ClipRule {
  return rule.method === "iqr"
    ? { method: "iqr", k: rule.k ?? 1.5 }
    : { method: "quantile", lower: rule.lower ?? 0.01, upper: rule.upper ?? 0.99 };
}

/** Options of {@link Clipper.fit}. */
export type ClipperOptions = ClipRule & { readonly features?: readonly string[] };

/** The fitted bounds of one feature and how many train values they clipped. */
export interface ClipBounds {
  readonly feature: string;
  /** Absent when the feature is left alone (see `skipped`). */
  readonly lower?: number;
  readonly upper?: number;
  readonly clippedLow: number;
  readonly clippedHigh: number;
  /** Why the feature is not clipped. */
  readonly skipped?: string;
}

/** JSON form of a {@link Clipper}. */
export interface ClipperJSON {
  readonly type: "clipper";
  readonly version: 1;
  readonly method: "quantile" | "iqr";
  readonly bounds: readonly ClipBounds[];
}

/**
 * A fitted clipper.
 *
 * @example
 * ```ts
 * const values = Float64Array.from({ length: 101 }, (_, i) => i);
 * const t = { rows: 101, columns: { x: { kind: "numeric" as const, values } } };
 * const clipper = Clipper.fit(t);
 * clipper.bounds[0]; // { feature: "x", lower: 1, upper: 99, clippedLow: 1, clippedHigh: 1 }
 * ```
 */
export class Clipper {
  readonly method: "quantile" | "iqr";
  readonly bounds: readonly ClipBounds[];
  readonly #byFeature: ReadonlyMap<string, ClipBounds>;

  /** Wraps fitted parameters; use {@link Clipper.fit} or {@link Clipper.fromJSON} to get them. */
  constructor(method: "quantile" | "iqr", bounds: readonly ClipBounds[]) {
    this.method = method;
    this.bounds = bounds;
    this.#byFeature = new Map(bounds.map((b) => [b.feature, b]));
  }

  /**
   * Fits the bounds on the numeric features of a training table (categorical ones are ignored).
   *
   * @example
   * ```ts
   * const t = { rows: 5, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4, 100]) } } };
   * Clipper.fit(t, { method: "iqr" }).bounds[0].upper; // 4 + 1.5 * 2 = 7
   * ```
   */
  static fit(table: Table, options: ClipperOptions = {}): Clipper {
    const rule = resolveClipRule(options);
    const fences = rule.method === "iqr" ? iqrFences(rule.k!) : quantileFences(rule.lower!, rule.upper!);
    const bounds = pickFeatures(table, options.features, "numeric").map((feature) => {
      const column = table.columns[feature] as { values: Float64Array };
      return fitBounds(feature, column.values, table.rows, fences);
    });
    return new Clipper(rule.method ?? "quantile", bounds);
  }

  /**
   * Reads a clipper back from {@link Clipper.toJSON}.
   *
   * @example
   * ```ts
   * Clipper.fromJSON({ type: "clipper", version: 1, method: "iqr", bounds: [] }).method; // "iqr"
   * ```
   */
  static fromJSON(json: unknown): Clipper {
    const object = expectStep(json, "clipper", 1);
    return new Clipper(object.method === "iqr" ? "iqr" : "quantile", arrayField<ClipBounds>(object, "bounds"));
  }

  /**
   * The in-place clip of a feature, or `undefined` when it is not clipped.
   *
   * @example
   * ```ts
   * const clip = new Clipper("quantile", [{ feature: "x", lower: 0, upper: 1, clippedLow: 0, clippedHigh: 0 }]).kernel("x")!;
   * const v = new Float64Array([-3, 0.5, 7]);
   * clip(v, 3); // v is [0, 0.5, 1]
   * ```
   */
  kernel(feature: string): ColumnKernel | undefined {
    const bounds = this.#byFeature.get(feature);
    if (bounds?.lower === undefined || bounds.upper === undefined) return undefined;
    const { lower, upper } = bounds;
    return (values, rows) => {
      for (let i = 0; i < rows; i++) {
        const v = values[i];
        if (v < lower) values[i] = lower;
        else if (v > upper) values[i] = upper;
      }
    };
  }

  /**
   * Clips the fitted features of any table (missing values stay missing).
   *
   * @example
   * ```ts
   * const t = { rows: 5, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4, 100]) } } };
   * Clipper.fit(t, { method: "iqr" }).transform(t).columns.x.values; // Float64Array [1, 2, 3, 4, 7]
   * ```
   */
  transform(table: Table): Table {
    return transformNumeric(table, this.bounds.map((b) => b.feature), (feature) => this.kernel(feature));
  }

  /** The JSON form, read back by {@link Clipper.fromJSON}. */
  toJSON(): ClipperJSON {
    return { type: "clipper", version: 1, method: this.method, bounds: this.bounds };
  }
}

/**
 * The outlier-clipping step of a preparation (one-hot encoding only: WoE bins
 * do not change under clipping). Later steps fit on the clipped table.
 */
export const clipStep = defineStep({
  option: "clip",
  key: "clipper",
  resolve: (given: false | ClipRule | undefined, encoding) =>
    encoding === "onehot" && given !== false ? resolveClipRule(given ?? {}) : false,
  fit: (context, rule) =>
    rule === false ? undefined : Clipper.fit(context.view, { ...rule, features: context.numeric }),
  advance: (context, clipper) => ({ ...context, view: clipper.transform(context.view) }),
  fromJSON: (json) => Clipper.fromJSON(json),
  report: (clipper) => ({ clipping: clipper?.bounds ?? [] }),
});

type Fences = (values: Float64Array, rows: number) => readonly [number, number];

function quantileFences(lower: number, upper: number): Fences {
  if (!(lower >= 0 && lower < upper && upper <= 1)) {
    throw new RangeError(`clip quantiles must satisfy 0 <= lower < upper <= 1, got ${lower} and ${upper}`);
  }
  return (values, rows) => {
    const [low, high] = quantiles(values, [lower, upper], rows).values;
    return [low, high];
  };
}

function iqrFences(k: number): Fences {
  if (!(k >= 0)) throw new RangeError(`the IQR multiplier must be >= 0, got ${k}`);
  return (values, rows) => {
    const [q1, q3] = quantiles(values, [0.25, 0.75], rows).values;
    return [q1 - k * (q3 - q1), q3 + k * (q3 - q1)];
  };
}

function fitBounds(feature: string, values: Float64Array, rows: number, fences: Fences): ClipBounds {
  const skip = (skipped: string): ClipBounds => ({ feature, clippedLow: 0, clippedHigh: 0, skipped });
  const distinct = distinctUpTo3(values, rows);
  if (distinct === 0) return skip("no values on train");
  if (distinct <= 2) return skip(`${distinct} distinct value${distinct === 1 ? "" : "s"} on train`);
  const [lower, upper] = fences(values, rows);
  if (!(lower < upper)) return skip(`fences collapse to ${lower}`);
  let clippedLow = 0;
  let clippedHigh = 0;
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (v < lower) clippedLow++;
    else if (v > upper) clippedHigh++;
  }
  return { feature, lower, upper, clippedLow, clippedHigh };
}

/** The number of distinct finite values, counted up to 3. */
function distinctUpTo3(values: Float64Array, rows: number): number {
  let first = NaN;
  let second = NaN;
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v === first || v === second) continue;
    if (Number.isNaN(first)) first = v;
    else if (Number.isNaN(second)) second = v;
    else return 3;
  }
  return Number.isNaN(first) ? 0 : Number.isNaN(second) ? 1 : 2;
}
