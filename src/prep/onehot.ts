/**
 * One-hot encoding of categorical features with the levels seen on the
 * training split: one 0/1 column per level (sorted, like sklearn's
 * `OneHotEncoder`), levels seen fewer than `minCount` times pooled into one
 * {@link OTHER_LEVEL} column, and a level never seen on train (or a missing
 * value left unimputed) encoded as all zeros.
 *
 * @module
 */
import type { Column, Table } from "../data/table.ts";
import { pickFeatures, readCategorical } from "./columns.ts";
import { arrayField, expectStep } from "./json.ts";
import { OTHER_LEVEL } from "./levels.ts";
import { defineStep, type LevelBlock } from "./step.ts";

/** The default rare-level limit: levels seen on fewer than 10 training rows share one column. */
const DEFAULT_MIN_COUNT = 10;

/** Options of {@link OneHotEncoder.fit}. */
export interface OneHotEncoderOptions {
  readonly features?: readonly string[];
  /** Levels with fewer train rows than this are pooled into {@link OTHER_LEVEL} (default 10; 1 keeps every level). */
  readonly minCount?: number;
}

/** The fitted levels of one feature. */
export interface OneHotEntry {
  readonly feature: string;
  /** One output column per entry, in order (the last is {@link OTHER_LEVEL} when `rare` is not empty). */
  readonly columns: readonly string[];
  /** Train levels pooled into {@link OTHER_LEVEL}. */
  readonly rare: readonly string[];
}

/** JSON form of a {@link OneHotEncoder}. */
export interface OneHotEncoderJSON {
  readonly type: "one-hot-encoder";
  readonly version: 1;
  readonly entries: readonly OneHotEntry[];
}

/**
 * A fitted one-hot encoder.
 *
 * @example
 * ```ts
 * const t = { rows: 3, columns: { c: { kind: "categorical" as const, values: ["b", "a", "b"] } } };
 * const encoder = OneHotEncoder.fit(t, { minCount: 1 });
 * encoder.transform(t).columns["c=b"].values; // Float64Array [1, 0, 1]
 * ```
 */
export class OneHotEncoder {
  readonly entries: readonly OneHotEntry[];
  readonly #lookups: ReadonlyMap<string, LevelBlock>;

  /** Wraps fitted parameters; use {@link OneHotEncoder.fit} or {@link OneHotEncoder.fromJSON} to get them. */
  constructor(entries: readonly OneHotEntry[]) {
    this.entries = entries;
    this.#lookups = new Map(entries.map((entry) => [entry.feature, compile(entry)]));
  }

  /**
   * Fits the levels of the categorical features of a training table (missing values are not a level).
   *
   * @example
   * ```ts
   * const t = { rows: 3, columns: { c: { kind: "categorical" as const, values: ["b", "a", "b"] } } };
   * OneHotEncoder.fit(t, { minCount: 2 }).entries[0]; // { feature: "c", columns: ["b", "(other)"], rare: ["a"] }
   * ```
   */
  static fit(table: Table, options: OneHotEncoderOptions = {}): OneHotEncoder {
    const minCount = options.minCount ?? DEFAULT_MIN_COUNT;
    const entries = pickFeatures(table, options.features, "categorical").map((feature): OneHotEntry => {
      const counts = new Map<string, number>();
      for (const v of readCategorical(table, feature)) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
      const levels = [...counts.keys()].sort();
      const kept = levels.filter((level) => counts.get(level)! >= minCount);
      const rare = levels.filter((level) => counts.get(level)! < minCount);
      return { feature, columns: rare.length > 0 ? [...kept, OTHER_LEVEL] : kept, rare };
    });
    return new OneHotEncoder(entries);
  }

  /**
   * Reads an encoder back from {@link OneHotEncoder.toJSON}.
   *
   * @example
   * ```ts
   * OneHotEncoder.fromJSON({ type: "one-hot-encoder", version: 1, entries: [] }).entries; // []
   * ```
   */
  static fromJSON(json: unknown): OneHotEncoder {
    return new OneHotEncoder(arrayField<OneHotEntry>(expectStep(json, "one-hot-encoder", 1), "entries"));
  }

  /**
   * The compiled block of a feature (for writing a design-matrix block), or `undefined`.
   *
   * @example
   * ```ts
   * new OneHotEncoder([{ feature: "c", columns: ["a"], rare: [] }]).levelBlock("c")?.names; // ["c=a"]
   * ```
   */
  levelBlock(feature: string): LevelBlock | undefined {
    return this.#lookups.get(feature);
  }

  /**
   * Replaces each encoded feature by its 0/1 columns, named `<feature>=<level>`, in the feature's place.
   *
   * @example
   * ```ts
   * const t = { rows: 1, columns: { c: { kind: "categorical" as const, values: ["zzz"] } } };
   * new OneHotEncoder([{ feature: "c", columns: ["a"], rare: [] }]).transform(t).columns["c=a"].values; // [0]
   * ```
   */
  transform(table: Table): Table {
    const columns: Record<string, Column> = {};
    const encoded = new Set(this.entries.map((entry) => entry.feature));
    const emit = (feature: string) => {
      const { width, index, names } = this.#lookups.get(feature)!;
      const block = new Float64Array(table.rows * width);
      writeOneHot(readCategorical(table, feature), { width, index, names }, undefined, block, 0, width, table.rows);
      names.forEach((name, j) => {
        columns[name] = {
          kind: "numeric",
          values: Float64Array.from({ length: table.rows }, (_, i) => block[i * width + j]),
        };
      });
    };
    for (const [name, column] of Object.entries(table.columns)) {
      if (encoded.has(name)) emit(name);
      else columns[name] = column;
    }
    for (const feature of encoded) if (table.columns[feature] === undefined) emit(feature);
    return { rows: table.rows, columns };
  }

  /** The JSON form, read back by {@link OneHotEncoder.fromJSON}. */
  toJSON(): OneHotEncoderJSON {
    return { type: "one-hot-encoder", version: 1, entries: this.entries };
  }
}

/**
 * The one-hot step of a preparation (one-hot encoding only): it encodes the
 * kept categorical features, after imputation.
 */
export const onehotStep = defineStep({
  option: "onehot",
  key: "onehot",
  resolve: (given: Pick<OneHotEncoderOptions, "minCount"> | undefined) => ({
    minCount: given?.minCount ?? DEFAULT_MIN_COUNT,
  }),
  fit: (context, settings) =>
    context.encoding === "onehot"
      ? OneHotEncoder.fit(context.view, {
        features: context.kept.filter((f) => !context.numeric.includes(f)),
        ...settings,
      })
      : undefined,
  fromJSON: (json) => OneHotEncoder.fromJSON(json),
  report: () => ({}),
});

/**
 * Writes one-hot rows into a row-major matrix: row `i`'s block starts at
 * `offset + i * stride`; a missing value is first replaced by `fill` (when
 * given), and an unknown level leaves the block all zeros.
 *
 * @example
 * ```ts
 * const out = new Float64Array(4);
 * const lookup = { width: 2, index: new Map([["a", 0], ["b", 1]]), names: ["c=a", "c=b"] };
 * writeOneHot(["b", "x"], lookup, undefined, out, 0, 2, 2); // out = [0, 1, 0, 0]
 * ```
 */
export function writeOneHot(
  values: readonly (string | null)[],
  { width, index }: LevelBlock,
  fill: string | undefined,
  out: Float64Array,
  offset: number,
  stride: number,
  rows: number,
): void {
  for (let i = 0, base = offset; i < rows; i++, base += stride) {
    for (let k = 0; k < width; k++) out[base + k] = 0;
    const level = values[i] ?? fill;
    if (level === undefined) continue;
    const position = index.get(level);
    if (position !== undefined) out[base + position] = 1;
  }
}

function compile(entry: OneHotEntry): LevelBlock {
  const index = new Map<string, number>();
  entry.columns.forEach((level, position) => index.set(level, position));
  const other = entry.columns.indexOf(OTHER_LEVEL);
  if (other >= 0) { for (const level of entry.rare) index.set(level, other); }
  return {
    width: entry.columns.length,
    index,
    names: entry.columns.map((level) => `${entry.feature}=${level}`),
  };
}
