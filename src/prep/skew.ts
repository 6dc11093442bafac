/**
 * Transformation of skewed numeric features, chosen per feature by the
 * skewness measured on the training split: `log1p` for right-skewed
 * non-negative features, or Yeo-Johnson (any sign, either skew direction) with
 * its λ fitted by maximum likelihood as scipy/sklearn do. A transform is kept
 * only if it lowers |skewness| on train.
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import { type ColumnKernel, pickFeatures, transformNumeric } from "./columns.ts";
import { arrayField, expectStep } from "./json.ts";
import { moments } from "./stats.ts";

/** Options of {@link SkewTransformer.fit}. */
export interface SkewTransformerOptions {
  /** Default `"log1p"`. */
  readonly method?: "log1p" | "yeo-johnson";
  /** Transform when |skewness| exceeds this (default 1; Bulmer's "highly skewed"). */
  readonly threshold?: number;
  readonly features?: readonly string[];
}

/** The transform chosen for one feature and why. */
export interface SkewEntry {
  readonly feature: string;
  /** Skewness on train before the transform. */
  readonly skewness: number;
  readonly transform: "none" | "log1p" | "yeo-johnson";
  /** Yeo-Johnson's fitted λ. */
  readonly lambda?: number;
  /** Skewness on train after the transform (equals `skewness` when none). */
  readonly skewnessAfter: number;
  readonly reason: string;
}

/** JSON form of a {@link SkewTransformer}. */
export interface SkewTransformerJSON {
  readonly type: "skew-transformer";
  readonly version: 1;
  readonly entries: readonly SkewEntry[];
}

/**
 * A fitted per-feature transform. `log1p` floors values at 0 first: it is
 * only chosen for features that were non-negative on train, and a negative
 * value at scoring time must not turn into `NaN`.
 *
 * @example
 * ```ts
 * const values = Float64Array.from({ length: 100 }, (_, i) => Math.exp(i / 10));
 * const t = { rows: 100, columns: { x: { kind: "numeric" as const, values } } };
 * SkewTransformer.fit(t).entries[0].transform; // "log1p"
 * ```
 */
export class SkewTransformer {
  readonly entries: readonly SkewEntry[];
  readonly #byFeature: ReadonlyMap<string, SkewEntry>;

  constructor(entries: readonly SkewEntry[]) {
    this.entries = entries;
    this.#byFeature = new Map(entries.map((entry) => [entry.feature, entry]));
  }

  /**
   * Chooses and fits the transform of each numeric feature on a training table.
   *
   * @example
   * ```ts
   * const t = { rows: 5, columns: { x: { kind: "numeric" as const, values: new Float64Array([0, 0, 0, 0, 10]) } } };
   * SkewTransformer.fit(t).entries[0].skewness; // 1.5
   * ```
   */
  static fit(table: Table, options: SkewTransformerOptions = {}): SkewTransformer {
    const method = options.method ?? "log1p";
    const threshold = options.threshold ?? 1;
    const entries = pickFeatures(table, options.features, "numeric").map((feature) =>
      fitEntry(feature, (table.columns[feature] as { values: Float64Array }).values, table.rows, method, threshold)
    );
    return new SkewTransformer(entries);
  }

  /**
   * Reads a transformer back from {@link SkewTransformer.toJSON}.
   *
   * @example
   * ```ts
   * SkewTransformer.fromJSON({ type: "skew-transformer", version: 1, entries: [] }).entries; // []
   * ```
   */
  static fromJSON(json: unknown): SkewTransformer {
    return new SkewTransformer(arrayField<SkewEntry>(expectStep(json, "skew-transformer", 1), "entries"));
  }

  /**
   * The in-place transform of a feature, or `undefined` when it is left as is.
   *
   * @example
   * ```ts
   * const t = new SkewTransformer([{ feature: "x", skewness: 3, transform: "log1p", skewnessAfter: 0, reason: "" }]);
   * const v = new Float64Array([Math.E - 1]);
   * t.kernel("x")!(v, 1); // v[0] === 1
   * ```
   */
  kernel(feature: string): ColumnKernel | undefined {
    const entry = this.#byFeature.get(feature);
    if (entry === undefined || entry.transform === "none") return undefined;
    return entry.transform === "log1p" ? log1pKernel : yeoJohnsonKernel(entry.lambda ?? 1);
  }

  /**
   * Transforms the fitted features of any table.
   *
   * @example
   * ```ts
   * const t = { rows: 1, columns: { x: { kind: "numeric" as const, values: new Float64Array([Math.E - 1]) } } };
   * new SkewTransformer([{ feature: "x", skewness: 3, transform: "log1p", skewnessAfter: 0, reason: "" }])
   *   .transform(t).columns.x.values; // Float64Array [1]
   * ```
   */
  transform(table: Table): Table {
    return transformNumeric(table, this.entries.map((e) => e.feature), (feature) => this.kernel(feature));
  }

  /** The JSON form, read back by {@link SkewTransformer.fromJSON}. */
  toJSON(): SkewTransformerJSON {
    return { type: "skew-transformer", version: 1, entries: this.entries };
  }
}

/**
 * The Yeo-Johnson transform of one value.
 *
 * @example
 * ```ts
 * yeoJohnson(3, 0); // Math.log1p(3)
 * yeoJohnson(-3, 2); // -Math.log1p(3)
 * yeoJohnson(5, 1); // 5
 * ```
 */
export function yeoJohnson(x: number, lambda: number): number {
  if (x >= 0) {
    return Math.abs(lambda) < 1e-12 ? Math.log1p(x) : (Math.pow(x + 1, lambda) - 1) / lambda;
  }
  return Math.abs(lambda - 2) < 1e-12 ? -Math.log1p(-x) : -(Math.pow(1 - x, 2 - lambda) - 1) / (2 - lambda);
}

/**
 * Yeo-Johnson's profile log-likelihood (the quantity scipy's `yeojohnson_llf`
 * maximises): `-n/2·ln(var(y_λ)) + (λ-1)·Σ sign(x)·ln(1+|x|)`.
 *
 * @example
 * ```ts
 * yeoJohnsonLogLikelihood(new Float64Array([1, 2, 3]), 1); // -1.5 * Math.log(2 / 3)
 * ```
 */
export function yeoJohnsonLogLikelihood(finite: Float64Array, lambda: number): number {
  const n = finite.length;
  let sum = 0;
  let jacobian = 0;
  for (let i = 0; i < n; i++) {
    const x = finite[i];
    sum += yeoJohnson(x, lambda);
    jacobian += Math.sign(x) * Math.log1p(Math.abs(x));
  }
  const mean = sum / n;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const d = yeoJohnson(finite[i], lambda) - mean;
    variance += d * d;
  }
  variance /= n;
  return -0.5 * n * Math.log(variance) + (lambda - 1) * jacobian;
}

/**
 * The maximum-likelihood λ on [-3, 3]: a grid to bracket the maximum, then
 * golden-section search (the likelihood is smooth and, on real data,
 * unimodal; the grid guards against a wide flat region).
 *
 * @example
 * ```ts
 * const values = Float64Array.from({ length: 200 }, (_, i) => Math.exp(i / 40));
 * fitYeoJohnsonLambda(values); // about -0.4: a strong right skew pulls λ below 1
 * ```
 */
export function fitYeoJohnsonLambda(finite: Float64Array): number {
  const f = (lambda: number) => yeoJohnsonLogLikelihood(finite, lambda);
  const step = 0.25;
  let best = -3;
  let bestValue = -Infinity;
  for (let lambda = -3; lambda <= 3 + 1e-9; lambda += step) {
    const value = f(lambda);
    if (value > bestValue) {
      bestValue = value;
      best = lambda;
    }
  }
  let a = Math.max(-3, best - step);
  let b = Math.min(3, best + step);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > 1e-9) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

const log1pKernel: ColumnKernel = (values, rows) => {
  for (let i = 0; i < rows; i++) values[i] = Math.log1p(Math.max(values[i], 0));
};

function yeoJohnsonKernel(lambda: number): ColumnKernel {
  return (values, rows) => {
    for (let i = 0; i < rows; i++) values[i] = yeoJohnson(values[i], lambda);
  };
}

function fitEntry(
  feature: string,
  values: Float64Array,
  rows: number,
  method: "log1p" | "yeo-johnson",
  threshold: number,
): SkewEntry {
  const before = moments(values, rows);
  const skewness = Number.isFinite(before.skewness) ? before.skewness : 0;
  const none = (reason: string): SkewEntry => ({
    feature,
    skewness,
    transform: "none",
    skewnessAfter: skewness,
    reason,
  });
  if (Math.abs(skewness) <= threshold) return none(`|skewness| ${round(skewness)} <= ${threshold}`);
  const finite = values.slice(0, rows).filter(Number.isFinite);
  let lambda: number | undefined;
  let kernel: ColumnKernel;
  if (method === "log1p") {
    if (skewness < 0) return none(`left-skewed (${round(skewness)}); log1p would worsen it`);
    if (finite.some((v) => v < 0)) return none(`skewness ${round(skewness)} but negative values; log1p needs >= 0`);
    kernel = log1pKernel;
  } else {
    lambda = fitYeoJohnsonLambda(finite);
    kernel = yeoJohnsonKernel(lambda);
  }
  kernel(finite, finite.length);
  const skewnessAfter = moments(finite).skewness;
  if (!(Math.abs(skewnessAfter) < Math.abs(skewness))) {
    return none(`${method} would not lower |skewness| (${round(skewness)} -> ${round(skewnessAfter)})`);
  }
  return {
    feature,
    skewness,
    transform: method,
    ...(lambda === undefined ? {} : { lambda }),
    skewnessAfter,
    reason: `|skewness| ${round(skewness)} > ${threshold}; ${round(skewnessAfter)} after ${method}`,
  };
}

function round(x: number): string {
  return x.toFixed(3);
}
