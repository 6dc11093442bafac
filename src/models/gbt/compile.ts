/**
 * Tree ensembles compiled into JavaScript functions: each split becomes an
 * `if` on a column with its threshold as a number literal, each leaf an
 * addition of a literal. V8 then keeps thresholds and column offsets as
 * immediates instead of loading them from node arrays, which made batch
 * prediction about 3× faster than walking the arrays on the project's
 * 300-tree depth-4 model (measured in `deno task bench predict`).
 *
 * Two kinds of function, both over chunks of trees (small enough for V8 to
 * optimise) and applied tree-chunk-major over blocks of rows, so a chunk's
 * code stays hot in cache for a block:
 * - predictors `(x, o, z) => z + Σ leaf values` for the row `x[o ..]`;
 * - explainers `(x, o, phi, p, z)` that also add each player's exact baseline
 *   Shapley value against a fixed reference row to `phi[p + player]`: the
 *   walk of {@link TreeShapley} unrolled at compile time. The reference's
 *   direction at every split is a constant, and so is the set of players
 *   decided on each code path, so the generated code only tests x and adds
 *   constants: the same additions, in the same order, as the array walk.
 *
 * Source text is built only from typed-array numbers printed with `String`
 * (shortest round-trip form, so every threshold and value is exact) and
 * integer indices: nothing from a bundle reaches the code as text.
 *
 * @module
 */
import type { TreeArrays } from "./model.ts";
import { shareTable, treeDepth } from "./shapley.ts";

/** Adds the leaf values of a chunk of trees for the row `x[o ..]` to `z`. */
type PredictChunk = (x: ArrayLike<number>, o: number, z: number) => number;

/** As {@link PredictChunk}, also adding each player's Shapley value to `phi[p + player]`. */
type ExplainChunk = (x: ArrayLike<number>, o: number, phi: Float64Array, p: number, z: number) => number;

/** Characters of source per generated function: V8 stops optimising very large functions. */
const CHUNK_CHARS = 24_000;
/** Rows per block: a block's rows are pushed through one chunk of trees before the next chunk. */
const BLOCK_ROWS = 256;
/**
 * Deepest trees whose explainers are compiled: a depth-d tree unrolls into up
 * to 3^d leaf blocks (each split the reference takes can be shared, left to x,
 * or left to the reference), 729 at depth 6.
 */
export const MAX_COMPILED_EXPLAIN_DEPTH = 6;

/** A number as an exact JavaScript literal, parenthesised so that signs never merge with operators. */
function literal(value: number): string {
  return `(${String(value)})`;
}

/** The test "x goes left" at a split, NaN following the node's missing direction. */
function goesLeft(trees: TreeArrays, node: number): string {
  const column = `x[o+${trees.feature[node]}]`;
  const threshold = literal(trees.threshold[node]);
  return trees.missingLeft[node] === 1 ? `!(${column}>${threshold})` : `${column}<=${threshold}`;
}

function chunked<F>(sources: readonly string[], parameters: readonly string[]): F[] {
  const functions: F[] = [];
  let body = "";
  const flush = () => {
    if (body === "") return;
    functions.push(new Function(...parameters, `${body}return z;`) as F);
    body = "";
  };
  for (const source of sources) {
    if (body.length + source.length > CHUNK_CHARS) flush();
    body += source;
  }
  flush();
  return functions;
}

/**
 * Predicts tree ensembles from compiled code.
 *
 * @example
 * ```ts
 * import type { TreeArrays } from "./model.ts";
 * const trees: TreeArrays = {
 *   roots: new Int32Array([0]), feature: new Int32Array([0, -1, -1]), threshold: new Float64Array([0.5, 0, 0]),
 *   left: new Int32Array([1, -1, -1]), missingLeft: new Uint8Array([1, 0, 0]),
 *   value: new Float64Array([0, -1, 1]), gain: new Float64Array(3),
 * };
 * const forest = new CompiledForest(trees, 0.25);
 * forest.row(new Float64Array([2]), 0); // 1.25
 * ```
 */
export class CompiledForest {
  readonly #chunks: PredictChunk[];

  constructor(trees: TreeArrays, readonly baseScore: number) {
    const emit = (node: number): string =>
      trees.feature[node] < 0
        ? `z+=${literal(trees.value[node])};`
        : `if(${goesLeft(trees, node)}){${emit(trees.left[node])}}else{${emit(trees.left[node] + 1)}}`;
    this.#chunks = chunked<PredictChunk>(Array.from(trees.roots, emit), ["x", "o", "z"]);
  }

  /** The log-odds of the row `x[offset ..]`: the base score plus each tree's leaf, added tree by tree. */
  row(x: ArrayLike<number>, offset: number): number {
    let z = this.baseScore;
    for (const chunk of this.#chunks) z = chunk(x, offset, z);
    return z;
  }

  /** Writes the log-odds of `rows` rows of a row-major matrix with `cols` columns into `out`. */
  predict(data: Float64Array, rows: number, cols: number, out: Float64Array): void {
    out.fill(this.baseScore, 0, rows);
    const chunks = this.#chunks;
    for (let start = 0; start < rows; start += BLOCK_ROWS) {
      const end = Math.min(rows, start + BLOCK_ROWS);
      for (const chunk of chunks) {
        for (let i = start, o = start * cols; i < end; i++, o += cols) out[i] = chunk(data, o, out[i]);
      }
    }
  }
}

/**
 * Exact baseline Shapley values against a fixed reference row, from compiled
 * code (trees at most {@link MAX_COMPILED_EXPLAIN_DEPTH} deep).
 *
 * @example
 * ```ts
 * import type { TreeArrays } from "./model.ts";
 * // "a > 0 and b > 0" is worth 1; the reference passes both, x fails both: each field costs 0.5.
 * const trees: TreeArrays = {
 *   roots: new Int32Array([0]), feature: new Int32Array([0, -1, 1, -1, -1]), threshold: new Float64Array(5),
 *   left: new Int32Array([1, -1, 3, -1, -1]), missingLeft: new Uint8Array(5),
 *   value: new Float64Array([0, 0, 0, 0, 1]), gain: new Float64Array(5),
 * };
 * const explainer = new CompiledShapley(trees, 0, new Int32Array([0, 1]), new Float64Array([1, 1]));
 * const z = new Float64Array(1), phi = new Float64Array(2);
 * explainer.explain(new Float64Array([-1, -1]), 1, 2, 2, z, phi); // z = [0], phi = [-0.5, -0.5]
 * ```
 */
export class CompiledShapley {
  readonly #chunks: ExplainChunk[];

  /**
   * @param trees the ensemble's nodes
   * @param baseScore added to every row's log-odds
   * @param playerOf the player of each design column
   * @param reference the reference row's design values
   */
  constructor(trees: TreeArrays, readonly baseScore: number, playerOf: Int32Array, reference: Float64Array) {
    const depth = treeDepth(trees);
    if (depth > MAX_COMPILED_EXPLAIN_DEPTH) {
      throw new RangeError(`trees of depth ${depth} are too deep to compile (at most ${MAX_COMPILED_EXPLAIN_DEPTH})`);
    }
    const share = shareTable(depth);
    const stride = depth + 1;
    const { feature, threshold, left, missingLeft, value } = trees;
    const emit = (node: number, sideA: readonly number[], sideB: readonly number[]): string => {
      const f = feature[node];
      if (f < 0) {
        const v = value[node];
        const a = sideA.length, b = sideB.length;
        let code = "";
        if (a > 0) {
          const gain = literal(v * share[a * stride + b]);
          for (const player of sideA) code += `phi[p+${player}]+=${gain};`;
        }
        if (b > 0) {
          const loss = literal(v * share[b * stride + a]);
          for (const player of sideB) code += `phi[p+${player}]-=${loss};`;
        }
        return b === 0 ? `${code}z+=${literal(v)};` : code;
      }
      const player = playerOf[f];
      const xLeft = goesLeft(trees, node);
      const followX = () =>
        `if(${xLeft}){${emit(left[node], sideA, sideB)}}else{${emit(left[node] + 1, sideA, sideB)}}`;
      if (sideA.includes(player)) return followX();
      const r = reference[f];
      const rLeft = r <= threshold[node] || (missingLeft[node] === 1 && r !== r);
      const rChild = rLeft ? left[node] : left[node] + 1;
      if (sideB.includes(player)) return emit(rChild, sideA, sideB);
      const xChild = rLeft ? left[node] + 1 : left[node];
      const same = rLeft ? xLeft : `!(${xLeft})`;
      // Where x and the reference part on a new player, both sides count, x's first (as the array walk).
      return `if(${same}){${emit(rChild, sideA, sideB)}}else{${emit(xChild, [...sideA, player], sideB)}${
        emit(rChild, sideA, [...sideB, player])
      }}`;
    };
    this.#chunks = chunked<ExplainChunk>(Array.from(trees.roots, (root) => emit(root, [], [])), [
      "x",
      "o",
      "phi",
      "p",
      "z",
    ]);
  }

  /**
   * For `rows` rows of a row-major matrix with `cols` columns: log-odds into
   * `z`, and each row's Shapley values added to `phi[row · players + player]`.
   */
  explain(data: Float64Array, rows: number, cols: number, players: number, z: Float64Array, phi: Float64Array): void {
    z.fill(this.baseScore, 0, rows);
    const chunks = this.#chunks;
    for (let start = 0; start < rows; start += BLOCK_ROWS) {
      const end = Math.min(rows, start + BLOCK_ROWS);
      for (const chunk of chunks) {
        for (let i = start, o = start * cols, p = start * players; i < end; i++, o += cols, p += players) {
          z[i] = chunk(data, o, phi, p, z[i]);
        }
      }
    }
  }
}
