/**
 * Missing-value imputation fitted on the training split: the median for
 * numeric features, the most frequent level or an explicit missing level for
 * categorical ones, and optional 0/1 missing-indicator columns.
 *
 * @module
 */
import type { Column, Table } from "../data/table.ts";
import { type ColumnKernel, pickFeatures, readCategorical, transformNumeric, withColumns } from "./columns.ts";
import { arrayField, expectStep } from "./json.ts";
import { MISSING_LEVEL } from "./levels.ts";
import { quantiles } from "../stats/descriptive.ts";
import { defineStep } from "./step.ts";

/** Options of {@link Imputer.fit}. */
export interface ImputerOptions {
  /** Features to impute (default: every column). */
  readonly features?: readonly string[];
  /** `"mode"`: the most frequent train level (ties: the smallest in code-unit order); `"missing"`: {@link MISSING_LEVEL}. */
  readonly categorical?: "mode" | "missing";
  /** Add a `<feature>_missing` 0/1 column for each feature that had missing values on train. */
  readonly indicators?: boolean;
}

/** The imputation settings with their defaults filled in. */
type ImputerSettings = Required<Omit<ImputerOptions, "features">>;

/**
 * The default settings: categorical gaps take the most frequent level, no indicator columns.
 */
function resolveImputer(options: Omit<ImputerOptions, "features">): ImputerSettings {
  return { categorical: options.categorical ?? "mode", indicators: options.indicators ?? false };
}

/** The fitted fill of one feature. */
export type ImputerFill =
  | { readonly feature: string; readonly kind: "numeric"; readonly value: number; readonly missing: number }
  | { readonly feature: string; readonly kind: "categorical"; readonly value: string; readonly missing: number };

/** A fill with its train facts: `missing` counts train rows, `indicator` names the added column if any. */
export type ImputerEntry = ImputerFill & { readonly indicator?: string };

/** JSON form of an {@link Imputer}. */
export interface ImputerJSON {
  readonly type: "imputer";
  readonly version: 1;
  readonly entries: readonly ImputerEntry[];
}

/**
 * A fitted imputer. A numeric feature with no value at all on train is filled
 * with 0 (it is constant anyway, and selection drops it).
 *
 * @example
 * ```ts
 * const train = { rows: 3, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, NaN, 5]) } } };
 * const imputer = Imputer.fit(train, { indicators: true });
 * imputer.transform(train).columns.x_missing; // { kind: "numeric", values: Float64Array [0, 1, 0] }
 * ```
 */
export class Imputer {
  readonly entries: readonly ImputerEntry[];
  readonly #byFeature: ReadonlyMap<string, ImputerEntry>;

  /** Wraps fitted parameters; use {@link Imputer.fit} or {@link Imputer.fromJSON} to get them. */
  constructor(entries: readonly ImputerEntry[]) {
    this.entries = entries;
    this.#byFeature = new Map(entries.map((entry) => [entry.feature, entry]));
  }

  /**
   * Fits the fills on a training table.
   *
   * @example
   * ```ts
   * const t = { rows: 3, columns: { c: { kind: "categorical" as const, values: ["a", null, "a"] } } };
   * Imputer.fit(t).entries[0].value; // "a"
   * ```
   */
  static fit(table: Table, options: ImputerOptions = {}): Imputer {
    const { categorical: strategy, indicators } = resolveImputer(options);
    const entries = pickFeatures(table, options.features).map((feature): ImputerEntry => {
      const column = table.columns[feature];
      const fill = column.kind === "numeric"
        ? fitNumeric(feature, column.values, table.rows)
        : fitCategorical(feature, column.values, strategy);
      return indicators && fill.missing > 0 ? { ...fill, indicator: `${feature}_missing` } : fill;
    });
    return new Imputer(entries);
  }

  /**
   * Reads an imputer back from {@link Imputer.toJSON}.
   *
   * @example
   * ```ts
   * const imputer = new Imputer([{ feature: "x", kind: "numeric", value: 4, missing: 1 }]);
   * Imputer.fromJSON(JSON.parse(JSON.stringify(imputer))).entries[0].value; // 4
   * ```
   */
  static fromJSON(json: unknown): Imputer {
    return new Imputer(arrayField<ImputerEntry>(expectStep(json, "imputer", 1), "entries"));
  }

  /**
   * The in-place fill of a numeric feature, or `undefined` when not fitted on it.
   *
   * @example
   * ```ts
   * const t = { rows: 2, columns: { x: { kind: "numeric" as const, values: new Float64Array([4, NaN]) } } };
   * const values = new Float64Array([NaN]);
   * Imputer.fit(t).kernel("x")?.(values, 1); // values[0] === 4
   * ```
   */
  kernel(feature: string): ColumnKernel | undefined {
    const entry = this.#byFeature.get(feature);
    if (entry?.kind !== "numeric") return undefined;
    const fill = entry.value;
    return (values, rows) => {
      for (let i = 0; i < rows; i++) if (!Number.isFinite(values[i])) values[i] = fill;
    };
  }

  /**
   * The level that replaces a missing value of a categorical feature, or `undefined` when not fitted on it.
   *
   * @example
   * ```ts
   * const t = { rows: 1, columns: { c: { kind: "categorical" as const, values: [null] } } };
   * Imputer.fit(t, { categorical: "missing" }).categoricalFill("c"); // "(missing)"
   * ```
   */
  categoricalFill(feature: string): string | undefined {
    const entry = this.#byFeature.get(feature);
    return entry?.kind === "categorical" ? entry.value : undefined;
  }

  /**
   * The indicator column name of a feature, if it has one.
   *
   * @example
   * ```ts
   * new Imputer([{ feature: "x", kind: "numeric", value: 0, missing: 1, indicator: "x_missing" }]).indicator("x"); // "x_missing"
   * ```
   */
  indicator(feature: string): string | undefined {
    return this.#byFeature.get(feature)?.indicator;
  }

  /**
   * Fills missing values (absent columns count as all-missing) and appends the indicator columns.
   *
   * @example
   * ```ts
   * const t = { rows: 2, columns: { x: { kind: "numeric" as const, values: new Float64Array([4, NaN]) } } };
   * Imputer.fit(t).transform(t).columns.x.values; // Float64Array [4, 4]
   * ```
   */
  transform(table: Table): Table {
    const numeric = transformNumeric(table, this.entries.map((e) => e.feature), (f) => this.kernel(f));
    const replaced: Record<string, Column> = {};
    const indicators: Record<string, Column> = {};
    for (const entry of this.entries) {
      const { feature } = entry;
      if (entry.indicator !== undefined) {
        indicators[entry.indicator] = { kind: "numeric", values: missingIndicator(table, feature) };
      }
      if (entry.kind === "categorical") {
        const fill = entry.value;
        replaced[feature] = { kind: "categorical", values: readCategorical(table, feature).map((v) => v ?? fill) };
      }
    }
    return withColumns(numeric, { ...replaced, ...indicators });
  }

  /** The JSON form, read back by {@link Imputer.fromJSON}. */
  toJSON(): ImputerJSON {
    return { type: "imputer", version: 1, entries: this.entries };
  }
}

/**
 * 1 where `feature` is missing in `table` (absent column: everywhere), written
 * into `target` at `offset` with `stride` when given (a design-matrix column).
 *
 * @example
 * ```ts
 * const t = { rows: 2, columns: { c: { kind: "categorical" as const, values: [null, "a"] } } };
 * missingIndicator(t, "c"); // Float64Array [1, 0]
 * ```
 */
export function missingIndicator(
  table: Table,
  feature: string,
  target: Float64Array = new Float64Array(table.rows),
  offset = 0,
  stride = 1,
): Float64Array {
  const column = table.columns[feature];
  for (let i = 0, k = offset; i < table.rows; i++, k += stride) {
    target[k] = column === undefined
      ? 1
      : column.kind === "numeric"
      ? (Number.isFinite(column.values[i]) ? 0 : 1)
      : (column.values[i] === null ? 1 : 0);
  }
  return target;
}

function fitNumeric(feature: string, values: Float64Array, rows: number): ImputerFill {
  const median = quantiles(values, [0.5], rows);
  return { feature, kind: "numeric", value: median.count === 0 ? 0 : median.values[0], missing: rows - median.count };
}

function fitCategorical(
  feature: string,
  values: readonly (string | null)[],
  strategy: "mode" | "missing",
): ImputerFill {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let value = MISSING_LEVEL;
  if (strategy === "mode") {
    let best = 0;
    for (const [level, count] of counts) {
      if (count > best || (count === best && level < value)) {
        best = count;
        value = level;
      }
    }
  }
  return { feature, kind: "categorical", value, missing };
}

/**
 * The imputation step of a preparation (one-hot encoding only: WoE bins give
 * missing values their own bin). Later steps fit on the imputed table.
 */
export const imputeStep = defineStep({
  option: "impute",
  key: "imputer",
  resolve: (given: false | Omit<ImputerOptions, "features"> | undefined, encoding) =>
    encoding === "onehot" && given !== false ? resolveImputer(given ?? {}) : false,
  fit: (context, settings) =>
    settings === false ? undefined : Imputer.fit(context.view, { ...settings, features: context.features }),
  advance: (context, imputer) => ({ ...context, view: imputer.transform(context.view) }),
  fromJSON: (json) => Imputer.fromJSON(json),
  report: (imputer) => ({ imputation: imputer?.entries ?? [] }),
});
