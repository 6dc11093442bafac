/**
 * Binning of one feature against a 0/1 target, the engine behind WoE
 * encoding, information values and (later) scorecard points.
 *
 * Methods:
 * - `"quantile"`: `bins` quantile bins, right-closed `(a, b]`, ties kept
 *   together, bins below `minBinShare` merged into a neighbour.
 * - `"monotonic"`: `preBins` (20) quantile pre-bins, small bins merged, then
 *   adjacent bins pooled (pool-adjacent-violators) until event rates are
 *   monotonic in the direction that keeps more IV, then merged by least IV
 *   loss down to at most `bins` bins.
 * - `"seed"`: the seed project's IV method, reproduced exactly: `bins`
 *   equal-count groups of the ordinal rank of each value (ties broken by row
 *   order; pandas `qcut(rank(method="first"), bins)`, numpy's linear quantile
 *   arithmetic included), no merging. Tied values can straddle two seed
 *   bins; each bin's largest value is its upper bound for labels and for
 *   transforming new values.
 *
 * Missing values always get their own bin when train had any. Categorical
 * levels seen fewer than `minLevelCount` times are pooled into
 * {@link OTHER_LEVEL}; levels are ordered by event rate, and the monotonic
 * method merges them like numeric bins. WoE/IV follow {@link weightOfEvidence}.
 *
 * @module
 */
import { DataError } from "../data/errors.ts";
import { type Evidence, weightOfEvidence } from "./evidence.ts";
import { OTHER_LEVEL } from "./levels.ts";
import { quantiles } from "../stats/descriptive.ts";

/** How bins are formed; see the module documentation. */
export type BinningMethod = "seed" | "quantile" | "monotonic";

/** Options of {@link fitBinning}. */
export interface BinningOptions {
  /** Default `"monotonic"`. */
  readonly method?: BinningMethod;
  /** Number of quantile bins (`seed`, `quantile`) or maximum number of bins (`monotonic`); default 6. */
  readonly bins?: number;
  /** Quantile pre-bins of the monotonic method (default 20). */
  readonly preBins?: number;
  /** Bins with a smaller share of the train rows are merged into a neighbour (default 0.05; not by `seed`). */
  readonly minBinShare?: number;
  /** Categorical levels seen fewer times are pooled into {@link OTHER_LEVEL} (default 10). */
  readonly minLevelCount?: number;
}

/** One row of a bin table. */
export interface Bin {
  /** `(a, b]` for numeric bins, the levels for categorical ones, `missing` for the missing bin. */
  readonly label: string;
  readonly count: number;
  readonly events: number;
  /** events / count (raw, unsmoothed). */
  readonly eventRate: number;
  readonly woe: number;
  /** This bin's IV contribution. */
  readonly iv: number;
  /** Numeric bins: exclusive lower bound (absent: -∞) and inclusive upper bound (absent: +∞). */
  readonly lower?: number;
  readonly upper?: number;
  /** Categorical bins: the train levels (pooled rare levels appear as {@link OTHER_LEVEL}). */
  readonly levels?: readonly string[];
  readonly missing?: true;
}

/** A fitted binning of one feature: plain data, JSON as is. */
export interface FeatureBinning {
  readonly feature: string;
  readonly kind: "numeric" | "categorical";
  readonly method: BinningMethod;
  readonly iv: number;
  readonly bins: readonly Bin[];
  /**
   * Numeric: the upper bounds of every value bin but the last (value bins
   * are `bins[0 .. cuts.length]`, the missing bin, if any, follows).
   */
  readonly cuts?: readonly number[];
  /** Bin of a missing value: its own bin, or, when train had none, the median's (numeric) or the mode's (categorical) bin. */
  readonly missingBin: number;
  /** Categorical: bin of a level not seen on train: the {@link OTHER_LEVEL} bin if any, else the mode's bin. */
  readonly unknownBin?: number;
}

/**
 * Bins a numeric or categorical column against labels.
 *
 * @example
 * ```ts
 * const values = new Float64Array([1, 2, 3, 4, 5, 6]);
 * const y = new Uint8Array([0, 0, 0, 1, 1, 1]);
 * const binning = fitBinning("x", { kind: "numeric", values }, y, { method: "quantile", bins: 2, minBinShare: 0 });
 * binning.cuts; // [3.5]
 * binning.bins.map((b) => b.events); // [0, 3]
 * ```
 */
export function fitBinning(
  feature: string,
  column: { readonly kind: "numeric"; readonly values: Float64Array } | {
    readonly kind: "categorical";
    readonly values: readonly (string | null)[];
  },
  y: Uint8Array,
  options: BinningOptions = {},
): FeatureBinning {
  const settings = resolveBinning(options);
  const rows = y.length;
  if (rows === 0) throw new DataError("cannot bin an empty column", { column: feature });
  return column.kind === "numeric"
    ? numericBinning(feature, column.values, y, rows, settings)
    : categoricalBinning(feature, column.values, y, settings);
}

/**
 * The bin of a numeric value under a fitted numeric binning (binary search
 * over the cuts; non-finite values go to `missingBin`).
 *
 * @example
 * ```ts
 * numericBinIndex(new Float64Array([3.5]), 2, 7); // 1
 * ```
 */
export function numericBinIndex(cuts: Float64Array, missingBin: number, value: number): number {
  if (!Number.isFinite(value)) return missingBin;
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= cuts[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Binning options with their defaults filled in (monotonic, 6 bins, 20
 * pre-bins, 5% minimum bin share, 10 rows per level), checked.
 *
 * @example
 * ```ts
 * resolveBinning({ bins: 4 }).method; // "monotonic"
 * resolveBinning({ bins: 0 }); // throws RangeError
 * ```
 */
export function resolveBinning(options: BinningOptions): Required<BinningOptions> {
  const settings = {
    method: options.method ?? "monotonic",
    bins: options.bins ?? 6,
    preBins: options.preBins ?? 20,
    minBinShare: options.minBinShare ?? 0.05,
    minLevelCount: options.minLevelCount ?? 10,
  };
  if (!["seed", "quantile", "monotonic"].includes(settings.method)) {
    throw new RangeError(`unknown binning method "${settings.method}" (expected seed, quantile or monotonic)`);
  }
  if (!Number.isInteger(settings.bins) || settings.bins < 1) {
    throw new RangeError(`bins must be a positive whole number, got ${settings.bins}`);
  }
  if (!Number.isInteger(settings.preBins) || settings.preBins < 1) {
    throw new RangeError(`preBins must be a positive whole number, got ${settings.preBins}`);
  }
  return settings;
}

/** A bin under construction: counts and, numeric, its upper bound or, categorical, its levels. */
interface Group {
  readonly count: number;
  readonly events: number;
  readonly upper: number;
  readonly levels: readonly string[];
}

function mergeGroups(a: Group, b: Group): Group {
  return { count: a.count + b.count, events: a.events + b.events, upper: b.upper, levels: [...a.levels, ...b.levels] };
}

const rate = (g: Group) => (g.count === 0 ? 0 : g.events / g.count);

function evidenceOf(groups: readonly Group[], missing: Group | undefined): Evidence {
  const all = missing === undefined ? groups : [...groups, missing];
  return weightOfEvidence(all.map((g) => g.events), all.map((g) => g.count - g.events));
}

function numericBinning(
  feature: string,
  values: Float64Array,
  y: Uint8Array,
  rows: number,
  settings: Required<BinningOptions>,
): FeatureBinning {
  let missingCount = 0;
  let missingEvents = 0;
  for (let i = 0; i < rows; i++) {
    if (!Number.isFinite(values[i])) {
      missingCount++;
      missingEvents += y[i];
    }
  }
  const missing = missingCount > 0 ? { count: missingCount, events: missingEvents, upper: NaN, levels: [] } : undefined;
  let groups: Group[];
  if (settings.method === "seed") {
    groups = seedGroups(values, y, rows, settings.bins);
  } else {
    groups = quantileGroups(values, y, rows, settings.method === "monotonic" ? settings.preBins : settings.bins);
    groups = mergeSmall(groups, settings.minBinShare * rows);
    if (settings.method === "monotonic") {
      groups = limitBins(monotone(groups, missing), settings.bins, missing);
    }
  }
  const cuts = groups.slice(0, -1).map((g) => g.upper);
  let missingBin = groups.length;
  if (missing === undefined) {
    const [median] = quantiles(values, [0.5], rows).values;
    missingBin = numericBinIndex(Float64Array.from(cuts), 0, median);
  }
  const evidence = evidenceOf(groups, missing);
  const bins: Bin[] = groups.map((g, b) => {
    const lower = b === 0 ? undefined : groups[b - 1].upper;
    const upper = b === groups.length - 1 ? undefined : g.upper;
    return {
      label: `(${lower === undefined ? "-inf" : formatNumber(lower)}, ${
        upper === undefined ? "inf)" : `${formatNumber(upper)}]`
      }`,
      ...binStats(g, evidence, b),
      ...(lower === undefined ? {} : { lower }),
      ...(upper === undefined ? {} : { upper }),
    };
  });
  if (missing !== undefined) {
    bins.push({ label: "missing", ...binStats(missing, evidence, groups.length), missing: true });
  }
  return { feature, kind: "numeric", method: settings.method, iv: evidence.iv, bins, cuts, missingBin };
}

function categoricalBinning(
  feature: string,
  values: readonly (string | null)[],
  y: Uint8Array,
  settings: Required<BinningOptions>,
): FeatureBinning {
  const stats = new Map<string, { count: number; events: number }>();
  let missingCount = 0;
  let missingEvents = 0;
  for (let i = 0; i < y.length; i++) {
    const level = values[i];
    if (level === null) {
      missingCount++;
      missingEvents += y[i];
      continue;
    }
    const entry = stats.get(level);
    if (entry === undefined) stats.set(level, { count: 1, events: y[i] });
    else {
      entry.count++;
      entry.events += y[i];
    }
  }
  const missing = missingCount > 0 ? { count: missingCount, events: missingEvents, upper: NaN, levels: [] } : undefined;
  let groups: Group[] = [];
  let other: Group | undefined;
  let mode = "";
  let modeCount = 0;
  for (const level of [...stats.keys()].sort()) {
    const { count, events } = stats.get(level)!;
    if (count > modeCount) {
      mode = level;
      modeCount = count;
    }
    if (count >= settings.minLevelCount) groups.push({ count, events, upper: NaN, levels: [level] });
    else {
      const rare = { count, events, upper: NaN, levels: [OTHER_LEVEL] };
      other = other === undefined ? rare : { ...mergeGroups(other, rare), levels: [OTHER_LEVEL] };
    }
  }
  if (other !== undefined) groups.push(other);
  groups.sort((a, b) => rate(a) - rate(b) || (a.levels[0] < b.levels[0] ? -1 : 1));
  if (settings.method === "monotonic") {
    groups = limitBins(mergeSmall(groups, settings.minBinShare * y.length), settings.bins, missing);
  }
  const binOf = (level: string) => {
    const b = groups.findIndex((g) => g.levels.includes(level));
    return b >= 0 ? b : groups.findIndex((g) => g.levels.includes(OTHER_LEVEL));
  };
  const modeBin = Math.max(0, binOf(mode));
  const unknownBin = other !== undefined ? binOf(OTHER_LEVEL) : modeBin;
  const evidence = evidenceOf(groups, missing);
  const bins: Bin[] = groups.map((g, b) => ({
    label: levelLabel(g.levels),
    ...binStats(g, evidence, b),
    levels: g.levels,
  }));
  if (missing !== undefined) {
    bins.push({ label: "missing", ...binStats(missing, evidence, groups.length), missing: true });
  }
  const missingBin = missing !== undefined ? groups.length : modeBin;
  return { feature, kind: "categorical", method: settings.method, iv: evidence.iv, bins, missingBin, unknownBin };
}

function binStats(g: Group, evidence: Evidence, b: number) {
  return {
    count: g.count,
    events: g.events,
    eventRate: rate(g),
    woe: evidence.woe[b],
    iv: evidence.ivContributions[b],
  };
}

/** Groups of the finite values between quantile cuts (right-closed, empty groups dropped). */
function quantileGroups(values: Float64Array, y: Uint8Array, rows: number, k: number): Group[] {
  const ps = Array.from({ length: k }, (_, j) => (j + 1) / k);
  const { count, values: qs } = quantiles(values, ps, rows);
  if (count === 0) return [];
  const max = qs[k - 1];
  const cuts: number[] = [];
  for (let j = 0; j < k - 1; j++) {
    const q = qs[j];
    if (q < max && (cuts.length === 0 || q > cuts[cuts.length - 1])) cuts.push(q);
  }
  const uppers = Float64Array.from([...cuts, Infinity]);
  const counts = new Float64Array(uppers.length);
  const events = new Float64Array(uppers.length);
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const b = numericBinIndex(uppers, 0, v);
    counts[b]++;
    events[b] += y[i];
  }
  const groups: Group[] = [];
  for (let b = 0; b < uppers.length; b++) {
    if (counts[b] > 0) groups.push({ count: counts[b], events: events[b], upper: uppers[b], levels: [] });
  }
  return withOpenTop(groups);
}

/** The last value group's upper bound is +∞, so values above the train maximum land in it. */
function withOpenTop(groups: Group[]): Group[] {
  if (groups.length > 0) groups[groups.length - 1] = { ...groups[groups.length - 1], upper: Infinity };
  return groups;
}

/**
 * The seed's bins: pandas `qcut(x.rank(method="first"), q)`. The rank edges
 * are computed with numpy's arithmetic (`linspace`, the linear method's
 * virtual index and `_lerp`), because an edge that lands a hair below a whole
 * rank moves one row to the next bin and shifts the IV in the third decimal.
 */
function seedGroups(values: Float64Array, y: Uint8Array, rows: number, q: number): Group[] {
  const order: number[] = [];
  for (let i = 0; i < rows; i++) if (Number.isFinite(values[i])) order.push(i);
  order.sort((a, b) => values[a] - values[b] || a - b);
  const n = order.length;
  if (n === 0) return [];
  const edges = new Float64Array(q + 1);
  const step = 1 / q;
  for (let k = 0; k <= q; k++) {
    edges[k] = linearQuantileOfRanks(n, k === q ? 1 : k * step);
  }
  const counts = new Float64Array(q);
  const events = new Float64Array(q);
  const maxima = new Float64Array(q).fill(-Infinity);
  let bin = 0;
  for (let position = 0; position < n; position++) {
    const rank = position + 1;
    // pd.cut(right=True, include_lowest=True): bin = #edges < rank, minus 1; the first edge belongs to bin 0.
    while (bin < q - 1 && rank > edges[bin + 1]) bin++;
    const row = order[position];
    counts[bin]++;
    events[bin] += y[row];
    maxima[bin] = Math.max(maxima[bin], values[row]);
  }
  const groups: Group[] = [];
  for (let b = 0; b < q; b++) {
    if (counts[b] > 0) groups.push({ count: counts[b], events: events[b], upper: maxima[b], levels: [] });
  }
  return withOpenTop(groups);
}

/** numpy's `quantile(arange(1, n + 1), p, method="linear")`, operation for operation. */
function linearQuantileOfRanks(n: number, p: number): number {
  const virtual = n * p + (1 + p * (1 - 1 - 1)) - 1;
  if (virtual >= n - 1) return n;
  if (virtual < 0) return 1;
  const previous = Math.floor(virtual);
  const gamma = virtual - previous;
  const a = previous + 1;
  const b = previous + 2;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Merges every group below `minCount` rows into the neighbour with the closer event rate, smallest first. */
function mergeSmall(groups: Group[], minCount: number): Group[] {
  const out = [...groups];
  while (out.length > 1) {
    let i = -1;
    for (let j = 0; j < out.length; j++) {
      if (out[j].count < minCount && (i < 0 || out[j].count < out[i].count)) i = j;
    }
    if (i < 0) break;
    let j: number;
    if (i === 0) j = 1;
    else if (i === out.length - 1) j = i - 1;
    else {
      const left = Math.abs(rate(out[i - 1]) - rate(out[i]));
      const right = Math.abs(rate(out[i + 1]) - rate(out[i]));
      j = left < right || (left === right && out[i - 1].count <= out[i + 1].count) ? i - 1 : i + 1;
    }
    const at = Math.min(i, j);
    out.splice(at, 2, mergeGroups(out[at], out[at + 1]));
  }
  return out;
}

/** Pool-adjacent-violators in both directions; keeps the one with the higher IV (ties: increasing). */
function monotone(groups: readonly Group[], missing: Group | undefined): Group[] {
  const pool = (increasing: boolean) => {
    const stack: Group[] = [];
    for (const g of groups) {
      stack.push(g);
      while (stack.length > 1) {
        const a = stack[stack.length - 2];
        const b = stack[stack.length - 1];
        if (increasing ? rate(a) <= rate(b) : rate(a) >= rate(b)) break;
        stack.splice(stack.length - 2, 2, mergeGroups(a, b));
      }
    }
    return stack;
  };
  const up = pool(true);
  const down = pool(false);
  return evidenceOf(up, missing).iv >= evidenceOf(down, missing).iv ? up : down;
}

/** Merges adjacent groups, each time the pair whose merge keeps the most IV, until at most `maxBins` remain. */
function limitBins(groups: Group[], maxBins: number, missing: Group | undefined): Group[] {
  let out = groups;
  while (out.length > maxBins) {
    let best: Group[] = [];
    let bestIv = -Infinity;
    for (let i = 0; i + 1 < out.length; i++) {
      const candidate = [...out.slice(0, i), mergeGroups(out[i], out[i + 1]), ...out.slice(i + 2)];
      const iv = evidenceOf(candidate, missing).iv;
      if (iv > bestIv) {
        bestIv = iv;
        best = candidate;
      }
    }
    out = best;
  }
  return out;
}

function levelLabel(levels: readonly string[]): string {
  return levels.length <= 5 ? levels.join(", ") : `${levels.slice(0, 5).join(", ")}, ... (${levels.length} levels)`;
}

function formatNumber(x: number): string {
  return String(Number(x.toPrecision(6)));
}
