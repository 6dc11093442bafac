/**
 * The whole data preparation as one fitted object: imputation, outlier
 * clipping, skew transforms, WoE binning / IV, feature selection, encoding
 * (one-hot or WoE) and scaling, fitted on a training table and its labels,
 * then applied to any table (a split, a batch file, or one scoring request)
 * to produce the {@link DesignMatrix} models consume. It serialises to one
 * JSON document (the model bundle embeds it) and reads back with identical
 * outputs.
 *
 * Two encodings:
 * - `"onehot"` (linear models, trees): numeric features are imputed, clipped,
 *   transformed and standardised; categorical ones imputed and one-hot
 *   encoded. Optional 0/1 missing indicators follow their feature.
 * - `"woe"` (the scorecard): every feature becomes its bin's WoE. Binning
 *   gives missing values their own bin and is unchanged by clipping and
 *   monotone transforms, so those steps are not applied; no scaling by
 *   default, so that coefficients stay points-per-WoE.
 *
 * The steps are the registry's list (registry.ts); this file knows none of
 * them by name. `transform` runs each feature's chain of step kernels on one
 * reused scratch buffer and writes straight into the matrix, so a one-row
 * request allocates only its output.
 *
 * @module
 */
import { type Column, type DesignMatrix, type Table, takeRows } from "../data/table.ts";
import { DataError } from "../data/errors.ts";
import { type ColumnKernel, copyNumeric, pickFeatures, readCategorical, withColumns } from "./columns.ts";
import {
  balancedClassWeights,
  type ClassWeights,
  classWeightsFromCounts,
  countPositives,
  resampleIndices,
  sampleWeights,
} from "./imbalance.ts";
import { missingIndicator } from "./impute.ts";
import { checkLabels } from "./labels.ts";
import { expectStep } from "./json.ts";
import { writeOneHot } from "./onehot.ts";
import { schemaOf, type TableSchema } from "./records.ts";
import { type AnyStep, STEPS } from "./registry.ts";
import type { Encoding, FitContext, FittedStep, LevelBlock, LevelEncoder } from "./step.ts";

/** How to handle class imbalance when building the training set ({@link Preparation.trainingSet}). */
export type ImbalanceOptions =
  | { readonly method: "none" }
  | { readonly method: "weights" }
  | { readonly method: "over" | "under"; readonly seed?: number; readonly ratio?: number };

type Registered = (typeof STEPS)[number];

/**
 * Options of {@link Preparation.fit}. Besides the ones below, each registered
 * step takes its options under its name (`impute`, `clip`, `transform`,
 * `binning`, `selection`, `onehot`, `scale`; see each step's definition for
 * its defaults); `false` switches a step off.
 */
export type PreparationOptions =
  & {
    /** Input features (default: every column of the training table; pass the table without its target). */
    readonly features?: readonly string[];
    /**
     * Numeric columns to treat as categorical codes (e.g. `Region` = 1..9):
     * their values become levels spelled as JavaScript prints the number.
     */
    readonly categorical?: readonly string[];
    /** Default `"onehot"`. */
    readonly encoding?: Encoding;
    /** Default `{ method: "none" }`. */
    readonly imbalance?: ImbalanceOptions;
  }
  & { readonly [S in Registered as S["option"]]?: Parameters<S["resolve"]>[0] };

/** Options with every default filled in, as stored in the JSON form. */
export type ResolvedPreparationOptions =
  & { readonly encoding: Encoding; readonly imbalance: ImbalanceOptions }
  & { readonly [S in Registered as S["option"]]: ReturnType<S["resolve"]> };

/** Train facts about one input feature (the bundle's "allowed ranges"). */
export interface FeatureSummary {
  readonly feature: string;
  readonly kind: "numeric" | "categorical";
  readonly missing: number;
  /** Numeric: train minimum and maximum. */
  readonly min?: number;
  readonly max?: number;
  /** Categorical: number of distinct train levels. */
  readonly levels?: number;
}

/** One column of the design matrix and where it comes from. */
export interface OutputColumn {
  readonly name: string;
  readonly feature: string;
  /** `value`: the prepared numeric feature; `indicator`: its missing flag; `level`: a one-hot column; `woe`: its WoE. */
  readonly role: "value" | "indicator" | "level" | "woe";
}

type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void ? I : never;

/** What the preparation did, for people and for the run log: the general facts, then each step's part. */
export type PreparationReport =
  & {
    readonly encoding: Encoding;
    readonly rows: number;
    readonly positives: number;
    readonly positiveRate: number;
    readonly features: readonly FeatureSummary[];
    readonly encodings: readonly { feature: string; encoding: string; columns: readonly string[] }[];
    readonly imbalance: ImbalanceOptions & { classWeights?: ClassWeights };
    /** Steps not applied, and why. */
    readonly notes: readonly string[];
  }
  & Intersection<ReturnType<Registered["report"]>>;

/** JSON form of a {@link Preparation}. */
export interface PreparationJSON {
  readonly type: "preparation";
  readonly version: 1;
  readonly options: ResolvedPreparationOptions;
  /** The kept input features and their kinds: what `transform` reads (build requests with {@link tableFromRecords}). */
  readonly schema: TableSchema;
  readonly train: { readonly rows: number; readonly positives: number; readonly features: readonly FeatureSummary[] };
  /** Each fitted step's JSON under its key, in registry order (steps that did not apply are absent). */
  readonly steps: Readonly<Record<string, unknown>>;
}

/** The model-ready training set. */
export interface TrainingSet {
  readonly matrix: DesignMatrix;
  readonly y: Uint8Array;
  /** Per-row weights with `imbalance: { method: "weights" }`. */
  readonly weights?: Float64Array;
  /** Positive share of `y` (after resampling, if any), for the model layer's prior correction. */
  readonly positiveRate: number;
}

type Plan =
  | {
    readonly kind: "numeric";
    readonly feature: string;
    readonly column: number;
    readonly indicator: number;
    readonly kernels: readonly ColumnKernel[];
  }
  | {
    readonly kind: "levels";
    readonly feature: string;
    readonly column: number;
    readonly encode: LevelEncoder;
    readonly kernels: readonly ColumnKernel[];
  }
  | {
    readonly kind: "onehot";
    readonly feature: string;
    readonly column: number;
    readonly indicator: number;
    readonly block: LevelBlock;
    readonly fill: string | undefined;
  };

/**
 * A fitted preparation.
 *
 * @example
 * ```ts
 * import { tableFromRecords } from "./records.ts";
 * const train = { rows: 4, columns: {
 *   amount: { kind: "numeric" as const, values: new Float64Array([10, 20, NaN, 40]) },
 *   channel: { kind: "categorical" as const, values: ["web", "app", "web", null] },
 * } };
 * const prep = Preparation.fit(train, new Uint8Array([0, 1, 0, 1]), { selection: false, onehot: { minCount: 1 } });
 * const one = tableFromRecords([{ amount: 25, channel: "app" }], prep.schema);
 * prep.transform(one).names; // ["amount", "channel=app", "channel=web"]
 * Preparation.fromJSON(JSON.parse(JSON.stringify(prep))).transform(one).data; // the same numbers
 * ```
 */
export class Preparation {
  readonly options: ResolvedPreparationOptions;
  readonly schema: TableSchema;
  readonly train: PreparationJSON["train"];
  /** The fitted steps by key (`imputer`, `clipper`, ...), in registry order; absent: did not apply. */
  readonly steps: Readonly<Record<string, FittedStep>>;
  readonly outputs: readonly OutputColumn[];
  readonly names: readonly string[];
  readonly #plans: readonly Plan[];
  #scratch = new Float64Array(1);

  /** Wraps fitted parameters; use {@link Preparation.fit} or {@link Preparation.fromJSON} to get them. */
  constructor(
    options: ResolvedPreparationOptions,
    schema: TableSchema,
    train: PreparationJSON["train"],
    steps: Readonly<Record<string, FittedStep>>,
  ) {
    this.options = options;
    this.schema = schema;
    this.train = train;
    this.steps = steps;
    const { plans, outputs } = compile(options.encoding, schema, Object.values(steps));
    this.#plans = plans;
    this.outputs = outputs;
    this.names = outputs.map((o) => o.name);
  }

  /**
   * Fits every step on a training table (features only) and its 0/1 labels.
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * Preparation.fit(t, new Uint8Array([0, 0, 1, 1]), { encoding: "woe" }).report.iv[0].feature; // "x"
   * ```
   */
  static fit(input: Table, y: Uint8Array, options: PreparationOptions = {}): Preparation {
    checkLabels(y, input.rows, { bothClasses: true });
    const table = asCategorical(input, options.categorical ?? []);
    const positives = countPositives(y);
    const resolved = resolveOptions(options);
    const features = pickFeatures(table, options.features);
    if (features.length === 0) throw new DataError("the training table has no feature columns");
    let context: FitContext = {
      source: table,
      view: table,
      y,
      encoding: resolved.encoding,
      features,
      numeric: features.filter((f) => table.columns[f].kind === "numeric"),
      kept: features,
      iv: {},
    };
    const steps: Record<string, FittedStep> = {};
    for (const step of STEPS as readonly AnyStep[]) {
      const settings = resolved[step.option as keyof ResolvedPreparationOptions];
      const fitted = step.fit(context, settings);
      if (fitted === undefined) continue;
      steps[step.key] = fitted;
      context = step.advance?.(context, fitted, settings) ?? context;
    }
    const train = { rows: table.rows, positives, features: features.map((f) => summarise(table, f)) };
    return new Preparation(resolved, schemaOf(table, context.kept), train, steps);
  }

  /**
   * Reads a preparation back from {@link Preparation.toJSON}.
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * const prep = Preparation.fit(t, new Uint8Array([0, 0, 1, 1]));
   * Preparation.fromJSON(JSON.parse(JSON.stringify(prep))).names; // ["x"]
   * ```
   */
  static fromJSON(json: unknown): Preparation {
    const object = expectStep(json, "preparation", 1) as unknown as PreparationJSON;
    const { steps, options } = object;
    if (steps === null || typeof steps !== "object") {
      throw new DataError(`fitted "preparation": field "steps" is missing`);
    }
    const known = new Set(STEPS.map((step) => step.key));
    const unknown = Object.keys(steps).find((key) => !known.has(key));
    if (unknown !== undefined) throw new DataError(`fitted "preparation": unknown step "${unknown}"`);
    const fitted: Record<string, FittedStep> = {};
    for (const step of STEPS as readonly AnyStep[]) {
      if (steps[step.key] === undefined) continue;
      const settings = options[step.option as keyof ResolvedPreparationOptions];
      fitted[step.key] = step.fromJSON(steps[step.key], settings, options.encoding);
    }
    return new Preparation(options, object.schema, object.train, fitted);
  }

  /** Number of design-matrix columns. */
  get cols(): number {
    return this.outputs.length;
  }

  /**
   * The design matrix of any table: absent feature columns count as missing.
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * Preparation.fit(t, new Uint8Array([0, 0, 1, 1]), { clip: false }).transform(t).data; // standardised x
   * ```
   */
  transform(table: Table): DesignMatrix {
    const data = new Float64Array(table.rows * this.outputs.length);
    this.transformInto(table, data);
    return { rows: table.rows, cols: this.outputs.length, names: this.names, data };
  }

  /**
   * Writes the design matrix of `table` into `data` (row-major, at least
   * rows × cols long), for callers that reuse one buffer across batches.
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * const prep = Preparation.fit(t, new Uint8Array([0, 0, 1, 1]));
   * const buffer = new Float64Array(4 * prep.cols);
   * prep.transformInto(t, buffer);
   * ```
   */
  transformInto(table: Table, data: Float64Array): void {
    const rows = table.rows;
    const cols = this.outputs.length;
    if (data.length < rows * cols) {
      throw new RangeError(`the output buffer holds ${data.length} values; ${rows} rows × ${cols} columns need more`);
    }
    if (this.#scratch.length < rows) this.#scratch = new Float64Array(rows);
    const scratch = this.#scratch;
    for (const plan of this.#plans) {
      if (plan.kind === "onehot") {
        if (plan.indicator >= 0) missingIndicator(table, plan.feature, data, plan.indicator, cols);
        writeOneHot(readCategorical(table, plan.feature), plan.block, plan.fill, data, plan.column, cols, rows);
        continue;
      }
      if (plan.kind === "numeric") {
        copyNumeric(table, plan.feature, scratch);
        if (plan.indicator >= 0) missingIndicator(table, plan.feature, data, plan.indicator, cols);
      } else {
        plan.encode(readCategorical(table, plan.feature), scratch, rows);
      }
      for (const kernel of plan.kernels) kernel(scratch, rows);
      for (let i = 0, k = plan.column; i < rows; i++, k += cols) data[k] = scratch[i];
    }
  }

  /**
   * The model-ready training set: the design matrix of the training table,
   * with class weights or resampling applied as the options say. Call it with
   * the table and labels the preparation was fitted on.
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * const y = new Uint8Array([0, 0, 0, 1]);
   * Preparation.fit(t, y, { imbalance: { method: "weights" }, selection: false }).trainingSet(t, y).weights;
   * // Float64Array [2/3, 2/3, 2/3, 2]
   * ```
   */
  trainingSet(table: Table, y: Uint8Array): TrainingSet {
    checkLabels(y, table.rows);
    const matrix = this.transform(table);
    const imbalance = this.options.imbalance;
    if (imbalance.method === "weights") {
      return { matrix, y, weights: sampleWeights(y, balancedClassWeights(y)), positiveRate: positiveRate(y) };
    }
    if (imbalance.method === "over" || imbalance.method === "under") {
      const indices = resampleIndices(y, {
        method: imbalance.method,
        seed: imbalance.seed ?? 0,
        ratio: imbalance.ratio,
      });
      const sampled = Uint8Array.from(indices, (i) => y[i]);
      return { matrix: takeRows(matrix, indices), y: sampled, positiveRate: positiveRate(sampled) };
    }
    return { matrix, y, positiveRate: positiveRate(y) };
  }

  /**
   * The same fitted steps with another class-imbalance handling. Imbalance
   * shapes only {@link Preparation.trainingSet}, never a fitted value, so
   * candidates whose preparations differ only in it can share one fit.
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * const y = new Uint8Array([0, 0, 0, 1]);
   * Preparation.fit(t, y, { selection: false }).withImbalance({ method: "weights" }).trainingSet(t, y).weights;
   * // Float64Array [2/3, 2/3, 2/3, 2]
   * ```
   */
  withImbalance(imbalance: ImbalanceOptions): Preparation {
    return new Preparation({ ...this.options, imbalance }, this.schema, this.train, this.steps);
  }

  /** What was fitted, step by step. */
  get report(): PreparationReport {
    const { encoding, imbalance } = this.options;
    const notes: string[] = [];
    if (encoding === "woe") {
      notes.push(
        "imputation, clipping and skew transforms are not applied with WoE encoding: missing values have their own bin, and bins do not change under clipping or monotone transforms",
      );
    }
    const fitted = Object.values(this.steps);
    const encodings = Object.keys(this.schema).map((feature) => ({
      feature,
      encoding: encoding === "woe"
        ? "woe"
        : this.schema[feature] === "categorical"
        ? "onehot"
        : fitted.map((step) => step.describe?.(feature)).findLast((label) => label !== undefined) ?? "as is",
      columns: this.outputs.filter((o) => o.feature === feature).map((o) => o.name),
    }));
    const parts = (STEPS as readonly AnyStep[]).map((step) => step.report(this.steps[step.key]));
    return Object.assign(
      {
        encoding,
        rows: this.train.rows,
        positives: this.train.positives,
        positiveRate: this.train.positives / this.train.rows,
        features: this.train.features,
      },
      ...parts,
      {
        encodings,
        imbalance: imbalance.method === "weights"
          ? { ...imbalance, classWeights: classWeightsFromCounts(this.train.rows, this.train.positives) }
          : imbalance,
        notes,
      },
    ) as PreparationReport;
  }

  /** The JSON form, read back by {@link Preparation.fromJSON}. */
  toJSON(): PreparationJSON {
    return {
      type: "preparation",
      version: 1,
      options: this.options,
      schema: this.schema,
      train: this.train,
      steps: Object.fromEntries(Object.entries(this.steps).map(([key, step]) => [key, step.toJSON()])),
    };
  }
}

function resolveOptions(options: PreparationOptions): ResolvedPreparationOptions {
  const encoding = options.encoding ?? "onehot";
  if (encoding !== "onehot" && encoding !== "woe") {
    throw new RangeError(`unknown encoding "${encoding}" (expected onehot or woe)`);
  }
  const resolved: Record<string, unknown> = { encoding };
  for (const step of STEPS as readonly AnyStep[]) {
    resolved[step.option] = step.resolve(options[step.option as keyof PreparationOptions], encoding);
  }
  resolved.imbalance = options.imbalance ?? { method: "none" };
  return resolved as ResolvedPreparationOptions;
}

/**
 * Per feature, the chain that turns its input into design-matrix columns: a
 * numeric feature runs every step's kernel in order; a categorical one is
 * encoded by the first step that can (after the fills of the steps before it),
 * into a one-hot block or one number that the later steps' kernels continue on.
 */
function compile(
  encoding: Encoding,
  schema: TableSchema,
  steps: readonly FittedStep[],
): { plans: Plan[]; outputs: OutputColumn[] } {
  const plans: Plan[] = [];
  const outputs: OutputColumn[] = [];
  const kernels = (chain: readonly FittedStep[], feature: string) =>
    chain.map((step) => step.kernel?.(feature)).filter((k): k is ColumnKernel => k !== undefined);
  const indicatorOf = (feature: string) =>
    steps.map((step) => step.indicator?.(feature)).find((name) => name !== undefined);
  const role = encoding === "woe" ? "woe" : "value";
  for (const feature of Object.keys(schema)) {
    const column = outputs.length;
    if (schema[feature] === "numeric") {
      outputs.push({ name: feature, feature, role });
      const indicatorName = indicatorOf(feature);
      if (indicatorName !== undefined) outputs.push({ name: indicatorName, feature, role: "indicator" });
      plans.push({
        kind: "numeric",
        feature,
        column,
        indicator: indicatorName === undefined ? -1 : column + 1,
        kernels: kernels(steps, feature),
      });
      continue;
    }
    const at = steps.findIndex((step) =>
      step.levelBlock?.(feature) !== undefined || step.levelEncoder?.(feature) !== undefined
    );
    if (at < 0) throw new DataError(`no fitted step encodes the categorical feature "${feature}"`, { column: feature });
    const block = steps[at].levelBlock?.(feature);
    if (block === undefined) {
      outputs.push({ name: feature, feature, role });
      const encode = steps[at].levelEncoder!(feature)!;
      plans.push({ kind: "levels", feature, column, encode, kernels: kernels(steps.slice(at + 1), feature) });
      continue;
    }
    for (const name of block.names) outputs.push({ name, feature, role: "level" });
    const indicatorName = indicatorOf(feature);
    if (indicatorName !== undefined) outputs.push({ name: indicatorName, feature, role: "indicator" });
    plans.push({
      kind: "onehot",
      feature,
      column,
      indicator: indicatorName === undefined ? -1 : column + block.width,
      block,
      fill: steps.slice(0, at).map((step) => step.categoricalFill?.(feature)).find((fill) => fill !== undefined),
    });
  }
  return { plans, outputs };
}

function asCategorical(table: Table, features: readonly string[]): Table {
  const replaced: Record<string, Column> = {};
  for (const feature of pickFeatures(table, features)) {
    replaced[feature] = { kind: "categorical", values: readCategorical(table, feature) };
  }
  return withColumns(table, replaced);
}

function summarise(table: Table, feature: string): FeatureSummary {
  const column = table.columns[feature];
  if (column.kind === "numeric") {
    let missing = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < table.rows; i++) {
      const v = column.values[i];
      if (!Number.isFinite(v)) missing++;
      else {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    return missing === table.rows
      ? { feature, kind: "numeric", missing }
      : { feature, kind: "numeric", missing, min, max };
  }
  const levels = new Set<string>();
  let missing = 0;
  for (const v of column.values) {
    if (v === null) missing++;
    else levels.add(v);
  }
  return { feature, kind: "categorical", missing, levels: levels.size };
}

function positiveRate(y: Uint8Array): number {
  return y.length === 0 ? 0 : countPositives(y) / y.length;
}
