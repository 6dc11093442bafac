/**
 * Feature selection fitted on the training split: constant features out,
 * then one of each pair with |Pearson r| above a limit (the lower-IV one),
 * then features with IV below a threshold; every decision is recorded with
 * its reason.
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import { DataError } from "../data/errors.ts";
import { pickFeatures, readCategorical } from "./columns.ts";
import { arrayField, expectStep } from "./json.ts";
import { pearson } from "../stats/descriptive.ts";
import { defineStep } from "./step.ts";

/** Options of {@link FeatureSelection.fit}. */
export interface FeatureSelectionOptions {
  readonly features?: readonly string[];
  /** Drop the lower-IV feature of a pair with |r| above this (default 0.9; 1 disables). */
  readonly maxCorrelation?: number;
  /** Drop features with IV below this (default 0.02; 0 disables). */
  readonly minIv?: number;
  /**
   * The training table before imputation and encoding: a feature constant in
   * `table` is described by its raw values ("always 3", "no value on train").
   */
  readonly source?: Table;
}

/** The selection thresholds with their defaults filled in. */
type SelectionSettings = Required<Pick<FeatureSelectionOptions, "maxCorrelation" | "minIv">>;

/**
 * The default thresholds: |r| 0.9, IV 0.02.
 */
function resolveSelection(
  options: Pick<FeatureSelectionOptions, "maxCorrelation" | "minIv">,
): SelectionSettings {
  return { maxCorrelation: options.maxCorrelation ?? 0.9, minIv: options.minIv ?? 0.02 };
}

/** Why a feature was kept or dropped. */
export interface SelectionDecision {
  readonly feature: string;
  readonly decision: "keep" | "drop";
  readonly reason: string;
}

/** JSON form of a {@link FeatureSelection}. */
export interface FeatureSelectionJSON {
  readonly type: "feature-selection";
  readonly version: 1;
  readonly decisions: readonly SelectionDecision[];
}

/**
 * The fitted selection: which features are kept, in input order.
 *
 * If the IV threshold would drop every feature left, the highest-IV one is
 * kept (and the reason says so): a model with no input is never what the
 * user wants, and the report makes the weak signal visible. A table with
 * only constant features is an error.
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2, 3, 4]);
 * const t = { rows: 4, columns: {
 *   a: { kind: "numeric" as const, values: x },
 *   b: { kind: "numeric" as const, values: x.map((v) => 2 * v) },
 * } };
 * FeatureSelection.fit(t, { a: 0.3, b: 0.2 }).kept; // ["a"]  (b: |r| = 1 with a, which has the higher IV)
 * ```
 */
export class FeatureSelection {
  readonly decisions: readonly SelectionDecision[];
  readonly kept: readonly string[];

  /** Wraps fitted parameters; use {@link FeatureSelection.fit} or {@link FeatureSelection.fromJSON} to get them. */
  constructor(decisions: readonly SelectionDecision[]) {
    this.decisions = decisions;
    this.kept = decisions.filter((d) => d.decision === "keep").map((d) => d.feature);
  }

  /**
   * Decides on each feature of a training table given each feature's IV.
   * Correlation uses the numeric columns as given (the caller passes the
   * values the model will see: imputed and transformed, or WoE-encoded);
   * categorical features only take part in the constant and IV checks.
   *
   * @example
   * ```ts
   * const t = { rows: 3, columns: { k: { kind: "numeric" as const, values: new Float64Array([5, 5, 5]) } } };
   * FeatureSelection.fit(t, { k: 0 }).decisions; // throws: every feature is constant
   * ```
   */
  static fit(
    table: Table,
    iv: Readonly<Record<string, number>>,
    options: FeatureSelectionOptions = {},
  ): FeatureSelection {
    const { maxCorrelation, minIv } = resolveSelection(options);
    const features = pickFeatures(table, options.features);
    const reasons = new Map<string, SelectionDecision>();
    const drop = (feature: string, reason: string) => reasons.set(feature, { feature, decision: "drop", reason });
    const ivOf = (feature: string) => iv[feature] ?? 0;
    for (const feature of features) {
      if (constantReason(table, feature, false) === undefined) continue;
      const source = options.source ?? table;
      const raw = source.columns[feature] === undefined ? undefined : constantReason(source, feature, true);
      drop(feature, raw ?? "constant after imputation and encoding");
    }
    const ranked = features.filter((f) => !reasons.has(f)).sort((a, b) => ivOf(b) - ivOf(a));
    if (ranked.length === 0) {
      throw new DataError(`every feature is constant on the training rows (${features.join(", ")})`);
    }
    const survivors: string[] = [];
    for (const feature of ranked) {
      const column = table.columns[feature];
      const clash = column.kind !== "numeric" ? undefined : survivors.map((other) => {
        const otherColumn = table.columns[other];
        const r = otherColumn.kind === "numeric" ? pearson(column.values, otherColumn.values, table.rows) : NaN;
        return { other, r };
      }).find(({ r }) => Math.abs(r) > maxCorrelation);
      if (clash !== undefined) {
        drop(
          feature,
          `|r| = ${
            clash.r.toFixed(3).replace("-", "")
          } > ${maxCorrelation} with ${clash.other}, which has the higher IV (${ivOf(clash.other).toFixed(4)} >= ${
            ivOf(feature).toFixed(4)
          })`,
        );
      } else survivors.push(feature);
    }
    const strong = survivors.filter((f) => ivOf(f) >= minIv);
    for (const feature of survivors) {
      if (ivOf(feature) >= minIv) {
        reasons.set(feature, { feature, decision: "keep", reason: `IV ${ivOf(feature).toFixed(4)} >= ${minIv}` });
      } else if (strong.length === 0 && feature === survivors[0]) {
        reasons.set(feature, {
          feature,
          decision: "keep",
          reason: `IV ${ivOf(feature).toFixed(4)} < ${minIv}, kept as the highest-IV feature (every feature is below)`,
        });
      } else drop(feature, `IV ${ivOf(feature).toFixed(4)} < ${minIv}`);
    }
    return new FeatureSelection(features.map((f) => reasons.get(f)!));
  }

  /**
   * Reads a selection back from {@link FeatureSelection.toJSON}.
   *
   * @example
   * ```ts
   * FeatureSelection.fromJSON({ type: "feature-selection", version: 1, decisions: [] }).kept; // []
   * ```
   */
  static fromJSON(json: unknown): FeatureSelection {
    return new FeatureSelection(arrayField<SelectionDecision>(expectStep(json, "feature-selection", 1), "decisions"));
  }

  /**
   * The table without the dropped features (other columns are kept).
   *
   * @example
   * ```ts
   * const t = { rows: 1, columns: { a: { kind: "numeric" as const, values: new Float64Array([1]) } } };
   * new FeatureSelection([{ feature: "a", decision: "drop", reason: "" }]).transform(t).columns; // {}
   * ```
   */
  transform(table: Table): Table {
    const dropped = new Set(this.decisions.filter((d) => d.decision === "drop").map((d) => d.feature));
    const columns = Object.fromEntries(Object.entries(table.columns).filter(([name]) => !dropped.has(name)));
    return { rows: table.rows, columns };
  }

  /** The JSON form, read back by {@link FeatureSelection.fromJSON}. */
  toJSON(): FeatureSelectionJSON {
    return { type: "feature-selection", version: 1, decisions: this.decisions };
  }
}

/**
 * The feature-selection step of a preparation: it decides on the features as
 * the model will see them (imputed and transformed, or WoE-encoded) with the
 * IVs of the binning step, and the next steps work on the kept features only.
 * Switched off, it keeps every feature and says so.
 */
export const selectionStep = defineStep({
  option: "selection",
  key: "selection",
  resolve: (given: false | Pick<FeatureSelectionOptions, "maxCorrelation" | "minIv"> | undefined) =>
    given === false ? false : resolveSelection(given ?? {}),
  fit: (context, settings) =>
    settings === false
      ? new FeatureSelection(
        context.kept.map((feature) => ({ feature, decision: "keep", reason: "selection disabled" })),
      )
      : FeatureSelection.fit(context.view, context.iv, { ...settings, features: context.kept, source: context.source }),
  advance: (context, selection) => ({ ...context, kept: selection.kept }),
  fromJSON: (json) => FeatureSelection.fromJSON(json),
  report: (selection) => ({ selection: selection?.decisions ?? [] }),
});

/**
 * Why a feature is constant in `table`, or `undefined`. A missing value counts
 * as a value of its own unless `ignoreMissing` (the raw data's wording).
 */
function constantReason(table: Table, feature: string, ignoreMissing: boolean): string | undefined {
  const column = table.columns[feature];
  const values: ArrayLike<number | string | null> = column.kind === "numeric"
    ? column.values
    : readCategorical(table, feature);
  const isMissing = (v: number | string | null) => v === null || (typeof v === "number" && !Number.isFinite(v));
  let first: number | string | null | undefined;
  let missing = 0;
  for (let i = 0; i < table.rows; i++) {
    const v = values[i];
    if (isMissing(v)) {
      missing++;
      if (ignoreMissing) continue;
    }
    if (first === undefined) first = v;
    else if (isMissing(first) ? !isMissing(v) : v !== first) return undefined;
  }
  if (first === undefined || isMissing(first)) return "no value on train";
  const shown = typeof first === "string" ? `"${first}"` : String(first);
  return `constant on train (always ${shown}${missing > 0 ? `, ${missing} missing` : ""})`;
}
