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
 * `transform` runs fused per-feature kernels on one reused scratch buffer and
 * writes straight into the matrix, so a one-row request allocates only its
 * output.
 *
 * @module
 */
import { type Column, type DesignMatrix, type Table, takeRows } from "../data/table.ts";
import { DataError } from "../data/errors.ts";
import type { Bin, BinningOptions } from "./binning.ts";
import { type ClipBounds, Clipper, type ClipRule } from "./clip.ts";
import { checkLabels, type ColumnKernel, copyNumeric, pickFeatures, readCategorical, withColumns } from "./columns.ts";
import type { IvBand } from "./evidence.ts";
import {
  balancedClassWeights,
  type ClassWeights,
  classWeightsFromCounts,
  countPositives,
  resampleIndices,
  sampleWeights,
} from "./imbalance.ts";
import { Imputer, type ImputerEntry, missingIndicator } from "./impute.ts";
import { expectStep } from "./json.ts";
import { OneHotEncoder, type OneHotLookup, writeOneHot } from "./onehot.ts";
import { schemaOf, type TableSchema } from "./records.ts";
import { type ScaleEntry, Scaler } from "./scale.ts";
import { FeatureSelection, type SelectionDecision } from "./selection.ts";
import { type SkewEntry, SkewTransformer } from "./skew.ts";
import { type LevelEncoder, WoeEncoder } from "./woe.ts";

/** How to handle class imbalance when building the training set ({@link Preparation.trainingSet}). */
export type ImbalanceOptions =
  | { readonly method: "none" }
  | { readonly method: "weights" }
  | { readonly method: "over" | "under"; readonly seed?: number; readonly ratio?: number };

/** Options of {@link Preparation.fit}; every step can be switched off with `false`. */
export interface PreparationOptions {
  /** Input features (default: every column of the training table; pass the table without its target). */
  readonly features?: readonly string[];
  /**
   * Numeric columns to treat as categorical codes (e.g. `Region` = 1..9):
   * their values become levels spelled as JavaScript prints the number.
   */
  readonly categorical?: readonly string[];
  /** Default `"onehot"`. */
  readonly encoding?: "onehot" | "woe";
  /** Default `{ categorical: "mode", indicators: false }` (one-hot encoding only). */
  readonly impute?: false | { readonly categorical?: "mode" | "missing"; readonly indicators?: boolean };
  /** Default quantile clipping at 1% / 99% (one-hot encoding only). */
  readonly clip?: false | ClipRule;
  /** Default log1p above |skewness| 1 (one-hot encoding only). */
  readonly transform?: false | { readonly method?: "log1p" | "yeo-johnson"; readonly threshold?: number };
  /** Rare-level pooling of the one-hot encoder (default `minCount` 10). */
  readonly onehot?: { readonly minCount?: number };
  /** WoE binning (default: monotonic, at most 6 bins, with `"woe"`; 6 quantile bins with `"onehot"`). */
  readonly binning?: BinningOptions;
  /** Default `{ maxCorrelation: 0.9, minIv: 0.02 }`. */
  readonly selection?: false | { readonly maxCorrelation?: number; readonly minIv?: number };
  /** Default `"standard"` with one-hot encoding, `false` with WoE. */
  readonly scale?: false | "standard" | "minmax";
  /** Default `{ method: "none" }`. */
  readonly imbalance?: ImbalanceOptions;
}

/** Options with every default filled in, as stored in the JSON form. */
export interface ResolvedPreparationOptions {
  readonly encoding: "onehot" | "woe";
  readonly impute: false | { readonly categorical: "mode" | "missing"; readonly indicators: boolean };
  readonly clip: false | ClipRule;
  readonly transform: false | { readonly method: "log1p" | "yeo-johnson"; readonly threshold: number };
  readonly onehot: { readonly minCount: number };
  readonly binning: BinningOptions;
  readonly selection: false | { readonly maxCorrelation: number; readonly minIv: number };
  readonly scale: false | "standard" | "minmax";
  readonly imbalance: ImbalanceOptions;
}

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

/** What the preparation did, for people and for the run log. */
export interface PreparationReport {
  readonly encoding: "onehot" | "woe";
  readonly rows: number;
  readonly positives: number;
  readonly positiveRate: number;
  readonly features: readonly FeatureSummary[];
  readonly imputation: readonly ImputerEntry[];
  readonly clipping: readonly ClipBounds[];
  readonly transforms: readonly SkewEntry[];
  readonly iv: readonly { feature: string; iv: number; band: IvBand; bins: readonly Bin[] }[];
  readonly selection: readonly SelectionDecision[];
  readonly encodings: readonly { feature: string; encoding: string; columns: readonly string[] }[];
  readonly scaling: readonly ScaleEntry[];
  readonly imbalance: ImbalanceOptions & { classWeights?: ClassWeights };
  /** Steps not applied, and why. */
  readonly notes: readonly string[];
}

/** JSON form of a {@link Preparation}. */
export interface PreparationJSON {
  readonly type: "preparation";
  readonly version: 1;
  readonly options: ResolvedPreparationOptions;
  /** The kept input features and their kinds: what `transform` reads (build requests with {@link tableFromRecords}). */
  readonly schema: TableSchema;
  readonly train: { readonly rows: number; readonly positives: number; readonly features: readonly FeatureSummary[] };
  readonly steps: {
    readonly imputer?: unknown;
    readonly clipper?: unknown;
    readonly skew?: unknown;
    readonly woe: unknown;
    readonly selection: unknown;
    readonly onehot?: unknown;
    readonly scaler?: unknown;
  };
}

/** The fitted steps of a {@link Preparation} (absent: switched off or not used by the encoding). */
export interface PreparationSteps {
  readonly imputer?: Imputer;
  readonly clipper?: Clipper;
  readonly skew?: SkewTransformer;
  readonly woe: WoeEncoder;
  readonly selection: FeatureSelection;
  readonly onehot?: OneHotEncoder;
  readonly scaler?: Scaler;
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
    readonly lookup: OneHotLookup;
    readonly fill: string | undefined;
  };

/**
 * A fitted preparation.
 *
 * @example
 * ```ts
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
  readonly steps: PreparationSteps;
  readonly outputs: readonly OutputColumn[];
  readonly names: readonly string[];
  readonly #plans: readonly Plan[];
  #scratch = new Float64Array(1);

  /** Wraps fitted parameters; use {@link Preparation.fit} or {@link Preparation.fromJSON} to get them. */
  constructor(
    options: ResolvedPreparationOptions,
    schema: TableSchema,
    train: PreparationJSON["train"],
    steps: PreparationSteps,
  ) {
    this.options = options;
    this.schema = schema;
    this.train = train;
    this.steps = steps;
    const { plans, outputs } = compile(options, schema, steps);
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
    checkLabels(y, input.rows);
    const table = asCategorical(input, options.categorical ?? []);
    const positives = countPositives(y);
    if (positives === 0 || positives === y.length) {
      throw new DataError(`the training labels have a single class (${positives} positives in ${y.length} rows)`);
    }
    const resolved = resolveOptions(options);
    const features = pickFeatures(table, options.features);
    if (features.length === 0) throw new DataError("the training table has no feature columns");
    const numeric = features.filter((f) => table.columns[f].kind === "numeric");
    const woe = WoeEncoder.fit(table, y, { ...resolved.binning, features });
    let imputer: Imputer | undefined;
    let clipper: Clipper | undefined;
    let skew: SkewTransformer | undefined;
    let view: Table;
    if (resolved.encoding === "onehot") {
      view = table;
      if (resolved.impute) {
        imputer = Imputer.fit(view, { ...resolved.impute, features });
        view = imputer.transform(view);
      }
      if (resolved.clip) {
        clipper = Clipper.fit(view, { ...resolved.clip, features: numeric });
        view = clipper.transform(view);
      }
      if (resolved.transform) {
        skew = SkewTransformer.fit(view, { ...resolved.transform, features: numeric });
        view = skew.transform(view);
      }
    } else {
      view = woe.transform(table);
    }
    const iv = Object.fromEntries(woe.binnings.map((b) => [b.feature, b.iv]));
    const selection = resolved.selection
      ? FeatureSelection.fit(view, iv, { ...resolved.selection, features, source: table })
      : new FeatureSelection(features.map((feature) => ({ feature, decision: "keep", reason: "selection disabled" })));
    const kept = selection.kept;
    let onehot: OneHotEncoder | undefined;
    let scaler: Scaler | undefined;
    if (resolved.encoding === "onehot") {
      onehot = OneHotEncoder.fit(view, { features: kept.filter((f) => !numeric.includes(f)), ...resolved.onehot });
      if (resolved.scale) {
        scaler = Scaler.fit(view, {
          method: resolved.scale,
          features: kept.filter((f) => numeric.includes(f)),
        });
      }
    } else if (resolved.scale) {
      scaler = Scaler.fit(view, { method: resolved.scale, features: kept });
    }
    const train = { rows: table.rows, positives, features: features.map((f) => summarise(table, f)) };
    return new Preparation(resolved, schemaOf(table, kept), train, {
      imputer,
      clipper,
      skew,
      woe,
      selection,
      onehot,
      scaler,
    });
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
    const { steps } = object;
    if (steps === null || typeof steps !== "object") {
      throw new DataError(`fitted "preparation": field "steps" is missing`);
    }
    return new Preparation(object.options, object.schema, object.train, {
      imputer: steps.imputer === undefined ? undefined : Imputer.fromJSON(steps.imputer),
      clipper: steps.clipper === undefined ? undefined : Clipper.fromJSON(steps.clipper),
      skew: steps.skew === undefined ? undefined : SkewTransformer.fromJSON(steps.skew),
      woe: WoeEncoder.fromJSON(steps.woe),
      selection: FeatureSelection.fromJSON(steps.selection),
      onehot: steps.onehot === undefined ? undefined : OneHotEncoder.fromJSON(steps.onehot),
      scaler: steps.scaler === undefined ? undefined : Scaler.fromJSON(steps.scaler),
    });
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
        writeOneHot(readCategorical(table, plan.feature), plan.lookup, plan.fill, data, plan.column, cols, rows);
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

  /** What was fitted, step by step. */
  get report(): PreparationReport {
    const { imputer, clipper, skew, woe, selection, scaler } = this.steps;
    const { encoding, imbalance } = this.options;
    const notes: string[] = [];
    if (encoding === "woe") {
      notes.push(
        "imputation, clipping and skew transforms are not applied with WoE encoding: missing values have their own bin, and bins do not change under clipping or monotone transforms",
      );
    }
    const encodings = Object.keys(this.schema).map((feature) => ({
      feature,
      encoding: encoding === "woe"
        ? "woe"
        : this.schema[feature] === "categorical"
        ? "onehot"
        : scaler
        ? `${scaler.method} scaled`
        : "as is",
      columns: this.outputs.filter((o) => o.feature === feature).map((o) => o.name),
    }));
    return {
      encoding,
      rows: this.train.rows,
      positives: this.train.positives,
      positiveRate: this.train.positives / this.train.rows,
      features: this.train.features,
      imputation: imputer?.entries ?? [],
      clipping: clipper?.bounds ?? [],
      transforms: skew?.entries ?? [],
      iv: woe.ivTable().map(({ feature, iv, band }) => ({ feature, iv, band, bins: woe.binning(feature)!.bins })),
      selection: selection.decisions,
      encodings,
      scaling: scaler?.entries ?? [],
      imbalance: imbalance.method === "weights"
        ? { ...imbalance, classWeights: classWeightsFromCounts(this.train.rows, this.train.positives) }
        : imbalance,
      notes,
    };
  }

  /** The JSON form, read back by {@link Preparation.fromJSON}. */
  toJSON(): PreparationJSON {
    const { imputer, clipper, skew, woe, selection, onehot, scaler } = this.steps;
    return {
      type: "preparation",
      version: 1,
      options: this.options,
      schema: this.schema,
      train: this.train,
      steps: {
        ...(imputer ? { imputer: imputer.toJSON() } : {}),
        ...(clipper ? { clipper: clipper.toJSON() } : {}),
        ...(skew ? { skew: skew.toJSON() } : {}),
        woe: woe.toJSON(),
        selection: selection.toJSON(),
        ...(onehot ? { onehot: onehot.toJSON() } : {}),
        ...(scaler ? { scaler: scaler.toJSON() } : {}),
      },
    };
  }
}

function resolveOptions(options: PreparationOptions): ResolvedPreparationOptions {
  const encoding = options.encoding ?? "onehot";
  if (encoding !== "onehot" && encoding !== "woe") {
    throw new RangeError(`unknown encoding "${encoding}" (expected onehot or woe)`);
  }
  const onehot = encoding === "onehot";
  const impute = options.impute ?? {};
  const transform = options.transform ?? {};
  const selection = options.selection ?? {};
  return {
    encoding,
    impute: onehot && impute !== false
      ? { categorical: impute.categorical ?? "mode", indicators: impute.indicators ?? false }
      : false,
    clip: onehot && options.clip !== false ? resolveClip(options.clip ?? {}) : false,
    transform: onehot && transform !== false
      ? { method: transform.method ?? "log1p", threshold: transform.threshold ?? 1 }
      : false,
    onehot: { minCount: options.onehot?.minCount ?? 10 },
    binning: {
      method: options.binning?.method ?? (onehot ? "quantile" : "monotonic"),
      bins: options.binning?.bins ?? 6,
      preBins: options.binning?.preBins ?? 20,
      minBinShare: options.binning?.minBinShare ?? 0.05,
      minLevelCount: options.binning?.minLevelCount ?? 10,
    },
    selection: selection === false
      ? false
      : { maxCorrelation: selection.maxCorrelation ?? 0.9, minIv: selection.minIv ?? 0.02 },
    scale: options.scale ?? (onehot ? "standard" : false),
    imbalance: options.imbalance ?? { method: "none" },
  };
}

function resolveClip(clip: ClipRule): ClipRule {
  return clip.method === "iqr"
    ? { method: "iqr", k: clip.k ?? 1.5 }
    : { method: "quantile", lower: clip.lower ?? 0.01, upper: clip.upper ?? 0.99 };
}

function compile(
  options: ResolvedPreparationOptions,
  schema: TableSchema,
  steps: PreparationSteps,
): { plans: Plan[]; outputs: OutputColumn[] } {
  const plans: Plan[] = [];
  const outputs: OutputColumn[] = [];
  const kernels = (...candidates: (ColumnKernel | undefined)[]) =>
    candidates.filter((k): k is ColumnKernel => k !== undefined);
  for (const feature of Object.keys(schema)) {
    const column = outputs.length;
    const scale = steps.scaler?.kernel(feature);
    if (options.encoding === "woe") {
      outputs.push({ name: feature, feature, role: "woe" });
      if (schema[feature] === "numeric") {
        plans.push({
          kind: "numeric",
          feature,
          column,
          indicator: -1,
          kernels: kernels(steps.woe.kernel(feature), scale),
        });
      } else {
        plans.push({
          kind: "levels",
          feature,
          column,
          encode: steps.woe.levelEncoder(feature)!,
          kernels: kernels(scale),
        });
      }
      continue;
    }
    const indicatorName = steps.imputer?.indicator(feature);
    if (schema[feature] === "numeric") {
      outputs.push({ name: feature, feature, role: "value" });
      if (indicatorName !== undefined) outputs.push({ name: indicatorName, feature, role: "indicator" });
      const fill = steps.imputer?.numericKernel(feature);
      plans.push({
        kind: "numeric",
        feature,
        column,
        indicator: indicatorName === undefined ? -1 : column + 1,
        kernels: kernels(fill, steps.clipper?.kernel(feature), steps.skew?.kernel(feature), scale),
      });
    } else {
      const lookup = steps.onehot!.lookup(feature)!;
      for (const name of lookup.names) outputs.push({ name, feature, role: "level" });
      if (indicatorName !== undefined) outputs.push({ name: indicatorName, feature, role: "indicator" });
      plans.push({
        kind: "onehot",
        feature,
        column,
        indicator: indicatorName === undefined ? -1 : column + lookup.width,
        lookup,
        fill: steps.imputer?.categoricalFill(feature),
      });
    }
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
