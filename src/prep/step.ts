/**
 * What a preparation step is: a definition (its options with their defaults,
 * how it fits, how it reads back from JSON, what it reports) and the fitted
 * object it produces. A {@link Preparation} is the ordered list of the steps in
 * the registry (registry.ts); it knows no step by name, so a new step is one
 * file exporting a {@link StepDefinition} plus one line in the registry.
 *
 * A fitted step takes part in scoring through optional hooks, each asked per
 * feature: a numeric {@link ColumnKernel} chained in registry order on one
 * scratch buffer, a categorical encoder (one number per row, or a one-hot
 * block), the fill of a missing level before encoding, and a missing-indicator
 * column.
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import type { ColumnKernel } from "./columns.ts";

/** The two encodings a preparation produces: one-hot (linear models, trees) or WoE (the scorecard). */
export type Encoding = "onehot" | "woe";

/** Writes one number per row for categorical input (e.g. its bin's WoE) into a numeric buffer. */
export type LevelEncoder = (values: readonly (string | null)[], out: Float64Array, rows: number) => void;

/** A categorical feature's one-hot block: level -> position among its `width` columns, and the column names. */
export interface LevelBlock {
  readonly width: number;
  readonly index: ReadonlyMap<string, number>;
  readonly names: readonly string[];
}

/** What a step sees while a preparation is fitted; each step may hand an updated one to the next. */
export interface FitContext {
  /** The training table as given (numeric code columns already read as categorical). */
  readonly source: Table;
  /** The training table as the steps before this one left it. */
  readonly view: Table;
  readonly y: Uint8Array;
  readonly encoding: Encoding;
  /** The input features. */
  readonly features: readonly string[];
  /** The numeric input features. */
  readonly numeric: readonly string[];
  /** The features still in the model (all of them until a selection step drops some). */
  readonly kept: readonly string[];
  /** Information value per feature, once a binning step has measured it. */
  readonly iv: Readonly<Record<string, number>>;
}

/** A fitted step, as the composed preparation uses it. Every hook is optional. */
export interface FittedStep {
  /** The JSON form stored under the step's key, read back by its definition's `fromJSON`. */
  toJSON(): unknown;
  /** The in-place effect on a numeric feature (or on an encoded categorical one), or `undefined` for none. */
  kernel?(feature: string): ColumnKernel | undefined;
  /** Encodes a categorical feature into one number per row. */
  levelEncoder?(feature: string): LevelEncoder | undefined;
  /** Encodes a categorical feature into a one-hot block. */
  levelBlock?(feature: string): LevelBlock | undefined;
  /** The level that replaces a missing categorical value before encoding. */
  categoricalFill?(feature: string): string | undefined;
  /** The name of a 0/1 missing-indicator column added after the feature's columns. */
  indicator?(feature: string): string | undefined;
  /** How the step changes a numeric feature, for the report's encodings (e.g. "standard scaled"). */
  describe?(feature: string): string | undefined;
}

/**
 * One kind of step. `Option` is its key in the preparation's options (and
 * `key` its key in the fitted JSON); `Given` what callers may pass there,
 * `Resolved` the same with every default filled in (stored in the JSON, so a
 * change of default never changes a saved preparation), `Report` its part of
 * the preparation's report.
 */
export interface StepDefinition<Option extends string, Given, Resolved, Step extends FittedStep, Report> {
  readonly option: Option;
  readonly key: string;
  /** Fills in the defaults (`undefined` when the caller gave nothing). */
  resolve(given: Given | undefined, encoding: Encoding): Resolved;
  /** Fits the step, or returns `undefined` when it does not apply (switched off, or not used by the encoding). */
  fit(context: FitContext, options: Resolved): Step | undefined;
  /** What the next steps see (default: the context unchanged). */
  advance?(context: FitContext, step: Step, options: Resolved): FitContext;
  /** Reads the fitted step back from its JSON form. */
  fromJSON(json: unknown, options: Resolved, encoding: Encoding): Step;
  /** The step's part of the report (`undefined`: not fitted). */
  report(step: Step | undefined): Report;
}

/**
 * Declares a step, keeping the literal option key so that the preparation's
 * option and report types can be derived from the registry.
 *
 * @example
 * ```ts
 * import type { ColumnKernel } from "./columns.ts";
 * const negate: ColumnKernel = (values, rows) => { for (let i = 0; i < rows; i++) values[i] = -values[i]; };
 * const negateStep = defineStep({
 *   option: "negate",
 *   key: "negate",
 *   resolve: (given: boolean | undefined) => given ?? false,
 *   fit: (context, on) => on ? { toJSON: () => ({ features: context.numeric }), kernel: () => negate } : undefined,
 *   fromJSON: () => ({ toJSON: () => ({}), kernel: () => negate }),
 *   report: (step) => ({ negated: step !== undefined }),
 * });
 * negateStep.resolve(undefined, "onehot"); // false
 * ```
 */
export function defineStep<Option extends string, Given, Resolved, Step extends FittedStep, Report>(
  definition: StepDefinition<Option, Given, Resolved, Step, Report>,
): StepDefinition<Option, Given, Resolved, Step, Report> {
  return definition;
}
