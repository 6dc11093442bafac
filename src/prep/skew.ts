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
import { moments } from "../stats/descriptive.ts";
import { defineStep } from "./step.ts";

/** Options of {@link SkewTransformer.fit}. */
export interface SkewTransformerOptions {
  /** Default `"log1p"`. */
  readonly method?: "log1p" | "yeo-johnson";
  /** Transform when |skewness| exceeds this (default 1; Bulmer's "highly skewed"). */
  readonly threshold?: number;
  readonly features?: readonly string[];
}

/** The skew settings with their defaults filled in. */
type SkewSettings = Required<Omit<SkewTransformerOptions, "features">>;

/**
 * The default settings: `log1p` above |skewness| 1.
 */
function resolveSkew(options: Omit<SkewTransformerOptions, "features">): SkewSettings {
  return { method: options.method ?? "log1p", threshold: options.threshold ?? 1 };
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

  /** Wraps fitted parameters; use {@link SkewTransformer.fit} or {@link SkewTransformer.fromJSON} to get them. */
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
    const { method, threshold } = resolveSkew(options);
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
 * The skew-transform step of a preparation, option `transform` (one-hot
 * encoding only: WoE bins do not change under monotone transforms). Later
 * steps fit on the transformed table.
 */
export const transformStep = defineStep({
  option: "transform",
  key: "skew",
  resolve: (given: false | Omit<SkewTransformerOptions, "features"> | undefined, encoding) =>
    encoding === "onehot" && given !== false ? resolveSkew(given ?? {}) : false,
  fit: (context, settings) =>
    settings === false ? undefined : SkewTransformer.fit(context.view, { ...settings, features: context.numeric }),
  advance: (context, skew) => ({ ...context, view: skew.transform(context.view) }),
  fromJSON: (json) => SkewTransformer.fromJSON(json),
  report: (skew) => ({ transforms: skew?.entries ?? [] }),
});

/**
 * The Yeo-Johnson transform of one value, in its `expm1`/`log1p` form (exact
 * near λ = 0 and λ = 2, where the power form loses digits).
 *
 * @example
 * ```ts
 * yeoJohnson(3, 0); // Math.log1p(3)
 * yeoJohnson(-3, 2); // -Math.log1p(3)
 * yeoJohnson(3, 0.5); // 2 (up to rounding): ((3 + 1)^0.5 - 1) / 0.5
 * ```
 */
export function yeoJohnson(x: number, lambda: number): number {
  if (x >= 0) {
    const l = Math.log1p(x);
    return Math.abs(lambda) < 1e-12 ? l : Math.expm1(lambda * l) / lambda;
  }
  const l = Math.log1p(-x);
  return Math.abs(lambda - 2) < 1e-12 ? -l : -Math.expm1((2 - lambda) * l) / (2 - lambda);
}

/**
 * Yeo-Johnson's profile log-likelihood (the quantity scipy's `yeojohnson_llf`
 * maximises): `-n/2·ln(var(y_λ)) + (λ-1)·Σ sign(x)·ln(1+|x|)`, as a function
 * of λ over fixed data (the logarithms are taken once).
 *
 * @example
 * ```ts
 * yeoJohnsonLogLikelihood(new Float64Array([1, 2, 3]))(1); // -1.5 * Math.log(2 / 3)
 * ```
 */
export function yeoJohnsonLogLikelihood(finite: Float64Array): (lambda: number) => number {
  const n = finite.length;
  const logs = new Float64Array(n);
  let jacobian = 0;
  for (let i = 0; i < n; i++) {
    const x = finite[i];
    logs[i] = Math.log1p(Math.abs(x));
    jacobian += x >= 0 ? logs[i] : -logs[i];
  }
  const transformed = new Float64Array(n);
  return (lambda) => {
    const nearZero = Math.abs(lambda) < 1e-12;
    const nearTwo = Math.abs(lambda - 2) < 1e-12;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const l = logs[i];
      const y = finite[i] >= 0
        ? (nearZero ? l : Math.expm1(lambda * l) / lambda)
        : (nearTwo ? -l : -Math.expm1((2 - lambda) * l) / (2 - lambda));
      transformed[i] = y;
      sum += y;
    }
    const mean = sum / n;
    let variance = 0;
    for (let i = 0; i < n; i++) {
      const d = transformed[i] - mean;
      variance += d * d;
    }
    return -0.5 * n * Math.log(variance / n) + (lambda - 1) * jacobian;
  };
}

/** Most values the Yeo-Johnson λ is fitted on. */
const LAMBDA_SAMPLE = 25_000;

/**
 * The maximum-likelihood λ on [-3, 3]: a coarse grid to bracket the maximum,
 * then golden-section search to 1e-6 (the likelihood is smooth and, on real
 * data, unimodal; the grid guards against a wide flat region). Above
 * {@link LAMBDA_SAMPLE} values it is fitted on an evenly strided subsample:
 * each evaluation costs one `expm1` per value, and at that size the
 * estimate's sampling error is already far below what changes the skewness.
 *
 * @example
 * ```ts
 * const values = Float64Array.from({ length: 200 }, (_, i) => Math.exp(i / 40));
 * fitYeoJohnsonLambda(values); // below 1: a right skew is pulled in
 * ```
 */
export function fitYeoJohnsonLambda(finite: Float64Array): number {
  const stride = Math.ceil(finite.length / LAMBDA_SAMPLE);
  const sample = stride > 1 ? finite.filter((_, i) => i % stride === 0) : finite;
  const f = yeoJohnsonLogLikelihood(sample);
  const step = 0.5;
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
  while (b - a > 1e-6) {
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
  const finite = finiteValues(values, rows);
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

function finiteValues(values: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows);
  let n = 0;
  for (let i = 0; i < rows; i++) if (Number.isFinite(values[i])) out[n++] = values[i];
  return out.slice(0, n);
}

function round(x: number): string {
  return x.toFixed(3);
}
