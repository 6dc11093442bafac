/**
 * Drift and stability of a scored batch against the model's training data:
 * PSI of the score distribution (the bundle's score bins) and of each input
 * feature (its training bands, see `feature_reference.ts`), the share of
 * missing values, and values outside the training range (below the minimum,
 * above the maximum, or a level never seen in training).
 *
 * Counts accumulate chunk by chunk, so a batch of any size is monitored in
 * the memory of one chunk.
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import { formatNumber } from "../eda/format.ts";
import type { ModelBundle } from "../bundle/bundle.ts";
import type { ModelSource } from "../bundle/load_model.ts";
import type { FeatureReference } from "../bundle/feature_reference.ts";
import { countBands, stability, toShares } from "../evaluate/psi.ts";

/**
 * The usual scorecard bands: PSI above `warning` is worth a look, above `alert` the population has shifted.
 *
 * @example
 * ```ts
 * DRIFT_BANDS.alert; // 0.25
 * ```
 */
export const DRIFT_BANDS = { warning: 0.1, alert: 0.25 } as const;

/**
 * Stability verdict of a PSI value.
 */
export type DriftStatus = "stable" | "warning" | "alert";

/**
 * The verdict of a PSI value under {@link DRIFT_BANDS}.
 *
 * @example
 * ```ts
 * [driftStatus(0.05), driftStatus(0.1), driftStatus(0.12), driftStatus(0.3)]; // ["stable", "stable", "warning", "alert"]
 * ```
 */
export function driftStatus(psi: number | null): DriftStatus {
  if (psi === null || !(psi > DRIFT_BANDS.warning)) return "stable";
  return psi > DRIFT_BANDS.alert ? "alert" : "warning";
}

/**
 * One band of a PSI breakdown.
 */
export interface DriftBand {
  readonly label: string;
  /** Training share. */
  readonly expected: number;
  /** Batch share. */
  readonly actual: number;
  readonly contribution: number;
}

/**
 * Drift of one input feature.
 */
export interface FeatureDrift {
  readonly name: string;
  readonly kind: "numeric" | "categorical";
  /** PSI over the training bands plus a missing band; null without a training reference. */
  readonly psi: number | null;
  readonly status: DriftStatus;
  readonly bands: readonly DriftBand[];
  /** Share of batch rows with a missing value, and the training share. */
  readonly missingShare: number;
  readonly trainMissingShare: number | null;
  /** Numeric: values below the training minimum / above the training maximum. */
  readonly belowMin: number;
  readonly aboveMax: number;
  /** Categorical: levels not seen in training, most frequent first (at most 10), and their total count. */
  readonly unseenLevels: readonly { readonly level: string; readonly count: number }[];
  readonly unseen: number;
  /** Rows out of the training range (below, above or unseen), as a share of the batch. */
  readonly outOfRangeShare: number;
}

/**
 * The drift and stability report of one batch.
 */
export interface DriftReport {
  readonly format: "conversion-scorecard-drift";
  readonly version: 1;
  readonly model: {
    readonly uri: string;
    readonly name?: string;
    readonly version?: number;
    readonly candidate: string;
  };
  readonly data: string;
  /** Scored rows compared (rejected rows are not). */
  readonly rows: number;
  readonly bands: typeof DRIFT_BANDS;
  /** The worst status of the score and the features. */
  readonly status: DriftStatus;
  /** PSI of the score distribution; null when no row was scored. */
  readonly score: { readonly psi: number | null; readonly status: DriftStatus; readonly bands: readonly DriftBand[] };
  readonly features: readonly FeatureDrift[];
}

/** What the monitor reads of a model bundle. */
export type DriftBundle = Pick<ModelBundle, "candidate" | "fields" | "scoreReference" | "featureReference">;

interface FeatureState {
  readonly name: string;
  readonly kind: "numeric" | "categorical";
  readonly reference?: FeatureReference;
  /** Band counts: value bands, then (categorical without an other-group) the unseen band. */
  readonly counts: Float64Array;
  /** Numeric band edges (none without a reference). */
  readonly edges?: Float64Array;
  readonly min: number;
  readonly max: number;
  readonly known: ReadonlySet<string>;
  readonly groupOf: ReadonlyMap<string, number>;
  readonly unseenLevels: Map<string, number>;
  missing: number;
  belowMin: number;
  aboveMax: number;
}

/**
 * Accumulates a batch's drift figures chunk by chunk.
 *
 * @example
 * ```ts
 * import type { ModelBundle } from "../bundle/bundle.ts";
 * import { Scorer } from "../bundle/scorer.ts";
 * import type { Table } from "../data/table.ts";
 * declare const bundle: ModelBundle;
 * declare const table: Table;
 * const scorer = new Scorer(bundle);
 * const monitor = new DriftMonitor(bundle);
 * monitor.add(table, scorer.scoreTable(table, { reasons: 0 }).probability);
 * monitor.report({ uri: "models:/m@champion", path: "bundle.json" }, "batch.csv").status; // "stable"
 * ```
 */
export class DriftMonitor {
  readonly #bundle: DriftBundle;
  readonly #scoreEdges: Float64Array;
  readonly #scoreCounts: Float64Array;
  readonly #features: FeatureState[];
  #rows = 0;

  constructor(bundle: DriftBundle) {
    this.#bundle = bundle;
    const references = new Map(bundle.featureReference.map((reference) => [reference.name, reference]));
    this.#scoreEdges = Float64Array.from(bundle.scoreReference.edges);
    this.#scoreCounts = new Float64Array(bundle.scoreReference.shares.length);
    this.#features = bundle.fields.map((field) => {
      const reference = references.get(field.name);
      const groupOf = new Map<string, number>();
      let bands = 0;
      if (reference?.kind === "numeric") bands = reference.edges.length + 1;
      if (reference?.kind === "categorical") {
        reference.groups.forEach((levels, g) => levels.forEach((level) => groupOf.set(level, g)));
        bands = reference.groups.length + (reference.otherGroup === undefined ? 1 : 0);
      }
      return {
        name: field.name,
        kind: field.kind,
        reference,
        counts: new Float64Array(bands),
        ...(reference?.kind === "numeric" ? { edges: Float64Array.from(reference.edges) } : {}),
        min: field.min ?? -Infinity,
        max: field.max ?? Infinity,
        known: new Set(field.levels ?? []),
        groupOf,
        unseenLevels: new Map(),
        missing: 0,
        belowMin: 0,
        aboveMax: 0,
      };
    });
  }

  /** Rows added so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Adds the rows of a scored chunk: its feature table and probabilities (same order). */
  add(table: Table, probability: Float64Array): void {
    if (table.rows !== probability.length) {
      throw new RangeError(`drift: ${table.rows} rows but ${probability.length} probabilities`);
    }
    this.#rows += table.rows;
    countBands(this.#scoreEdges, probability, this.#scoreCounts);
    for (const state of this.#features) {
      const column = table.columns[state.name];
      if (column === undefined) {
        state.missing += table.rows;
      } else if (column.kind === "numeric") {
        addNumeric(state, column.values);
      } else {
        addCategorical(state, column.values);
      }
    }
  }

  /** The report of everything added. */
  report(model: ModelSource, data: string): DriftReport {
    const score = this.#scoreDrift();
    const features = this.#features.map((state) => this.#featureDrift(state));
    const worst = [score.status, ...features.map((f) => f.status)];
    const status: DriftStatus = worst.includes("alert") ? "alert" : worst.includes("warning") ? "warning" : "stable";
    return {
      format: "conversion-scorecard-drift",
      version: 1,
      model: {
        uri: model.uri,
        ...(model.name === undefined ? {} : { name: model.name }),
        ...(model.version === undefined ? {} : { version: model.version }),
        candidate: this.#bundle.candidate,
      },
      data,
      rows: this.#rows,
      bands: DRIFT_BANDS,
      status,
      score,
      features,
    };
  }

  #scoreDrift(): DriftReport["score"] {
    const edges = this.#bundle.scoreReference.edges;
    const labels = bandLabels(edges, (p) => formatNumber(p, 3));
    const bands = breakdown(labels, this.#bundle.scoreReference.shares, toShares(this.#scoreCounts));
    const psi = this.#rows === 0 ? null : sum(bands.map((band) => band.contribution));
    return { psi, status: driftStatus(psi), bands };
  }

  #featureDrift(state: FeatureState): FeatureDrift {
    const rows = this.#rows;
    const share = (count: number) => (rows === 0 ? 0 : count / rows);
    const unseen = sum([...state.unseenLevels.values()]);
    const unseenLevels = [...state.unseenLevels.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10)
      .map(([level, count]) => ({ level, count }));
    const reference = state.reference;
    let bands: DriftBand[] = [];
    if (reference !== undefined && rows > 0) {
      const labels = reference.kind === "numeric" ? bandLabels(reference.edges, (x) => formatNumber(x)) : [
        ...reference.groups.map((levels) => levels.join(", ")),
        ...(reference.otherGroup === undefined ? ["(unseen)"] : []),
      ];
      const expected = [
        ...reference.shares,
        ...(labels.length > reference.shares.length ? [0] : []),
        reference.missing,
      ];
      const actual = [...Array.from(state.counts, share), share(state.missing)];
      bands = breakdown([...labels, "missing"], expected, actual);
    }
    const psi = bands.length === 0 ? null : sum(bands.map((band) => band.contribution));
    return {
      name: state.name,
      kind: state.kind,
      psi,
      status: driftStatus(psi),
      bands,
      missingShare: share(state.missing),
      trainMissingShare: reference?.missing ?? null,
      belowMin: state.belowMin,
      aboveMax: state.aboveMax,
      unseenLevels,
      unseen,
      outOfRangeShare: share(state.belowMin + state.aboveMax + unseen),
    };
  }
}

function addNumeric(state: FeatureState, values: Float64Array): void {
  const { edges, counts } = state;
  const { min, max } = state;
  let missing = 0, belowMin = 0, aboveMax = 0;
  // One pass per column: a million rows × a dozen features is the monitor's whole cost. A band is the number of
  // edges below the value, counted without branches: with a dozen edges that beats a binary search, whose
  // unpredictable jumps cost more than the comparisons it saves.
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      missing++;
      continue;
    }
    if (edges !== undefined) {
      let band = 0;
      for (let j = 0; j < edges.length; j++) band += v > edges[j] ? 1 : 0;
      counts[band]++;
    }
    if (v < min) belowMin++;
    else if (v > max) aboveMax++;
  }
  state.missing += missing;
  state.belowMin += belowMin;
  state.aboveMax += aboveMax;
}

function addCategorical(state: FeatureState, values: readonly (string | null)[]): void {
  const reference = state.reference;
  const fallback = reference?.kind === "categorical" ? reference.otherGroup ?? reference.groups.length : -1;
  for (let i = 0; i < values.length; i++) {
    const level = values[i];
    if (level === null) {
      state.missing++;
      continue;
    }
    if (!state.known.has(level)) state.unseenLevels.set(level, (state.unseenLevels.get(level) ?? 0) + 1);
    if (fallback >= 0) state.counts[state.groupOf.get(level) ?? fallback]++;
  }
}

function bandLabels(edges: readonly number[], format: (x: number) => string): string[] {
  return Array.from({ length: edges.length + 1 }, (_, b) => {
    const lower = b === 0 ? "-inf" : format(edges[b - 1]);
    return b === edges.length ? `(${lower}, inf)` : `(${lower}, ${format(edges[b])}]`;
  });
}

function breakdown(labels: readonly string[], expected: ArrayLike<number>, actual: ArrayLike<number>): DriftBand[] {
  const { contributions } = stability(expected, actual);
  return labels.map((label, b) => ({
    label,
    expected: expected[b],
    actual: actual[b],
    contribution: contributions[b],
  }));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
