/**
 * Weight-of-evidence encoding: every feature binned against the target on
 * the training split ({@link fitBinning}) and replaced by its bin's WoE. The
 * fitted binnings are also the information-value table and the bins a
 * scorecard attaches points to.
 *
 * @module
 */
import type { Column, Table } from "../data/table.ts";
import {
  type Bin,
  type BinningOptions,
  type FeatureBinning,
  fitBinning,
  numericBinIndex,
  resolveBinning,
} from "./binning.ts";
import { type ColumnKernel, pickFeatures, readCategorical, transformNumeric, withColumns } from "./columns.ts";
import { DataError } from "../data/errors.ts";
import { coerceLevel, coerceNumber } from "./coerce.ts";
import { type IvBand, ivBand } from "./evidence.ts";
import { arrayField, expectStep } from "./json.ts";
import { checkLabels } from "./labels.ts";
import { defineStep, type FittedStep, type LevelEncoder } from "./step.ts";

/** Options of {@link WoeEncoder.fit}: the binning options and the features (default: every column). */
export interface WoeEncoderOptions extends BinningOptions {
  readonly features?: readonly string[];
}

/** One line of an information-value table. */
export interface IvEntry {
  readonly feature: string;
  readonly iv: number;
  readonly band: IvBand;
  readonly bins: number;
}

/** JSON form of a {@link WoeEncoder}. */
export interface WoeEncoderJSON {
  readonly type: "woe-encoder";
  readonly version: 1;
  readonly binnings: readonly FeatureBinning[];
}

/** A binning compiled for lookups: typed arrays and a level -> bin map, built once per encoder. */
interface BinLookup {
  readonly kind: "numeric" | "categorical";
  readonly cuts: Float64Array;
  readonly woe: Float64Array;
  readonly levelBins: ReadonlyMap<string, number>;
  readonly missingBin: number;
  readonly unknownBin: number;
}

function compile(binning: FeatureBinning): BinLookup {
  const levelBins = new Map<string, number>();
  binning.bins.forEach((bin, b) => bin.levels?.forEach((level) => levelBins.set(level, b)));
  return {
    kind: binning.kind,
    cuts: Float64Array.from(binning.cuts ?? []),
    woe: Float64Array.from(binning.bins, (b) => b.woe),
    levelBins,
    missingBin: binning.missingBin,
    unknownBin: binning.unknownBin ?? binning.missingBin,
  };
}

/**
 * A fitted WoE encoder.
 *
 * @example
 * ```ts
 * const t = { rows: 4, columns: { c: { kind: "categorical" as const, values: ["a", "a", "b", "b"] } } };
 * const encoder = WoeEncoder.fit(t, new Uint8Array([1, 1, 0, 1]), { minLevelCount: 1 });
 * encoder.transform(t).columns.c.values; // the WoE of "a" twice, then that of "b"
 * ```
 */
export class WoeEncoder {
  readonly binnings: readonly FeatureBinning[];
  readonly #byFeature: ReadonlyMap<string, FeatureBinning>;
  readonly #lookups: ReadonlyMap<string, BinLookup>;

  /** Wraps fitted parameters; use {@link WoeEncoder.fit} or {@link WoeEncoder.fromJSON} to get them. */
  constructor(binnings: readonly FeatureBinning[]) {
    this.binnings = binnings;
    this.#byFeature = new Map(binnings.map((b) => [b.feature, b]));
    this.#lookups = new Map(binnings.map((b) => [b.feature, compile(b)]));
  }

  /**
   * Bins every feature of a training table against its 0/1 labels.
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * WoeEncoder.fit(t, new Uint8Array([0, 0, 1, 1]), { method: "quantile", bins: 2, minBinShare: 0 }).ivTable()[0].iv;
   * ```
   */
  static fit(table: Table, y: Uint8Array, options: WoeEncoderOptions = {}): WoeEncoder {
    checkLabels(y, table.rows);
    return new WoeEncoder(
      pickFeatures(table, options.features).map((feature) => fitBinning(feature, table.columns[feature], y, options)),
    );
  }

  /**
   * Reads an encoder back from {@link WoeEncoder.toJSON}.
   *
   * @example
   * ```ts
   * WoeEncoder.fromJSON({ type: "woe-encoder", version: 1, binnings: [] }).binnings; // []
   * ```
   */
  static fromJSON(json: unknown): WoeEncoder {
    return new WoeEncoder(arrayField<FeatureBinning>(expectStep(json, "woe-encoder", 1), "binnings"));
  }

  /**
   * The fitted binning of a feature.
   *
   * @example
   * ```ts
   * new WoeEncoder([]).binning("x"); // undefined
   * ```
   */
  binning(feature: string): FeatureBinning | undefined {
    return this.#byFeature.get(feature);
  }

  /**
   * Features by decreasing information value, with their IV band and bin count.
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * WoeEncoder.fit(t, new Uint8Array([0, 0, 1, 1])).ivTable()[0].feature; // "x"
   * ```
   */
  ivTable(): IvEntry[] {
    return this.binnings
      .map(({ feature, iv, bins }) => ({ feature, iv, band: ivBand(iv), bins: bins.length }))
      .sort((a, b) => b.iv - a.iv || (a.feature < b.feature ? -1 : 1));
  }

  /**
   * The in-place value -> WoE map of a numeric feature, or `undefined`.
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * const encoder = WoeEncoder.fit(t, new Uint8Array([0, 0, 1, 1]), { method: "quantile", bins: 2, minBinShare: 0 });
   * const v = new Float64Array([10]);
   * encoder.kernel("x")!(v, 1); // v[0] is the top bin's WoE
   * ```
   */
  kernel(feature: string): ColumnKernel | undefined {
    const lookup = this.#lookups.get(feature);
    if (lookup?.kind !== "numeric") return undefined;
    const { cuts, woe, missingBin } = lookup;
    return (values, rows) => {
      for (let i = 0; i < rows; i++) values[i] = woe[numericBinIndex(cuts, missingBin, values[i])];
    };
  }

  /**
   * The level -> WoE writer of a categorical feature, or `undefined`.
   *
   * @example
   * ```ts
   * const t = { rows: 2, columns: { c: { kind: "categorical" as const, values: ["a", "b"] } } };
   * const out = new Float64Array(1);
   * WoeEncoder.fit(t, new Uint8Array([0, 1]), { minLevelCount: 1 }).levelEncoder("c")!(["zzz"], out, 1);
   * ```
   */
  levelEncoder(feature: string): LevelEncoder | undefined {
    const lookup = this.#lookups.get(feature);
    if (lookup?.kind !== "categorical") return undefined;
    const { levelBins, woe } = lookup;
    const unknown = woe[lookup.unknownBin];
    const missing = woe[lookup.missingBin];
    return (values, out, rows) => {
      for (let i = 0; i < rows; i++) {
        const level = values[i];
        if (level === null) out[i] = missing;
        else {
          const bin = levelBins.get(level);
          out[i] = bin === undefined ? unknown : woe[bin];
        }
      }
    };
  }

  /**
   * The bin a value falls in (an index into the feature's `bins`), by the
   * same rules as the encoding: what a scorecard needs to look up points and
   * explain a score. Text given for a numeric feature is parsed.
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * const encoder = WoeEncoder.fit(t, new Uint8Array([0, 0, 1, 1]), { method: "quantile", bins: 2, minBinShare: 0 });
   * encoder.binOf("x", 3.9); // 1
   * ```
   */
  binOf(feature: string, value: number | string | null): number {
    const lookup = this.#lookups.get(feature);
    if (lookup === undefined) {
      throw new DataError(`no binning was fitted for feature "${feature}"`, { column: feature });
    }
    if (lookup.kind === "numeric") {
      return numericBinIndex(lookup.cuts, lookup.missingBin, coerceNumber(value, feature, 0));
    }
    const level = coerceLevel(value, feature, 0);
    return level === null ? lookup.missingBin : lookup.levelBins.get(level) ?? lookup.unknownBin;
  }

  /**
   * Replaces each binned feature by a numeric column of WoE values (same name).
   *
   * @example
   * ```ts
   * const t = { rows: 4, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4]) } } };
   * const encoder = WoeEncoder.fit(t, new Uint8Array([0, 0, 1, 1]), { method: "quantile", bins: 2, minBinShare: 0 });
   * encoder.transform(t).columns.x.values; // [w0, w0, w1, w1] with w0 < 0 < w1
   * ```
   */
  transform(table: Table): Table {
    const numeric = transformNumeric(table, this.binnings.map((b) => b.feature), (f) => this.kernel(f));
    const replaced: Record<string, Column> = {};
    for (const { feature, kind } of this.binnings) {
      if (kind !== "categorical") continue;
      const values = new Float64Array(table.rows);
      this.levelEncoder(feature)!(readCategorical(table, feature), values, table.rows);
      replaced[feature] = { kind: "numeric", values };
    }
    return withColumns(numeric, replaced);
  }

  /** The JSON form, read back by {@link WoeEncoder.fromJSON}. */
  toJSON(): WoeEncoderJSON {
    return { type: "woe-encoder", version: 1, binnings: this.binnings };
  }
}

/**
 * The binning step as a preparation uses it: always fitted (its information
 * values drive feature selection and the report), encoding the features only
 * with the WoE encoding.
 */
export class WoeStep implements FittedStep {
  /** Wraps a fitted encoder; `encodes` is false when it only measures (one-hot encoding). */
  constructor(readonly encoder: WoeEncoder, readonly encodes: boolean) {}

  /** The encoder's JSON form. */
  toJSON(): WoeEncoderJSON {
    return this.encoder.toJSON();
  }

  /** The value -> WoE kernel of a numeric feature when encoding. */
  kernel(feature: string): ColumnKernel | undefined {
    return this.encodes ? this.encoder.kernel(feature) : undefined;
  }

  /** The level -> WoE writer of a categorical feature when encoding. */
  levelEncoder(feature: string): LevelEncoder | undefined {
    return this.encodes ? this.encoder.levelEncoder(feature) : undefined;
  }
}

/** One line of a preparation report's information values: the feature's IV, band and bins. */
export interface IvReportEntry {
  readonly feature: string;
  readonly iv: number;
  readonly band: IvBand;
  readonly bins: readonly Bin[];
}

/**
 * The WoE binning step of a preparation, option `binning` (default: monotonic
 * bins with the WoE encoding, quantile bins with one-hot). It bins the
 * features as given, so that IVs do not depend on imputation or clipping, and
 * hands its IVs (and, with the WoE encoding, the encoded table) to the next steps.
 */
export const binningStep = defineStep({
  option: "binning",
  key: "woe",
  resolve: (given: BinningOptions | undefined, encoding) =>
    resolveBinning({ ...given, method: given?.method ?? (encoding === "onehot" ? "quantile" : "monotonic") }),
  fit: (context, settings) =>
    new WoeStep(
      WoeEncoder.fit(context.source, context.y, { ...settings, features: context.features }),
      context.encoding === "woe",
    ),
  advance: (context, step) => ({
    ...context,
    iv: Object.fromEntries(step.encoder.binnings.map((b) => [b.feature, b.iv])),
    view: step.encodes ? step.encoder.transform(context.view) : context.view,
  }),
  fromJSON: (json, _settings, encoding) => new WoeStep(WoeEncoder.fromJSON(json), encoding === "woe"),
  report: (step): { iv: readonly IvReportEntry[] } => ({
    iv: step === undefined ? [] : step.encoder.ivTable().map(({ feature, iv, band }) => ({
      feature,
      iv,
      band,
      bins: step.encoder.binning(feature)!.bins,
    })),
  }),
});
