/**
 * Loads a ready feature table (one row per entity, a binary target column),
 * the second kind of input users bring besides a transaction log.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { DataError } from "./errors.ts";
import { readTable } from "./read_table.ts";
import { type BinaryTarget, parseBinaryTarget } from "./target.ts";

/** A loaded feature table: the frame without the target, and the parsed target. */
export interface FeatureTable {
  readonly frame: pl.DataFrame;
  readonly target: BinaryTarget;
  readonly targetColumn: string;
}

/**
 * Reads a feature table and parses its target. Every other column is a
 * candidate feature (numeric or categorical, as polars reads it).
 *
 * @example
 * ```ts
 * const table = loadFeatureTable("../shared/data/real/online_shoppers_intention.csv", { target: "Revenue" });
 * table.target.positive; // "TRUE"
 * ```
 */
export function loadFeatureTable(
  path: string,
  { target, positive }: { target: string; positive?: string },
): FeatureTable {
  const raw = readTable(path);
  return featureTableFromFrame(raw, { target, positive, file: path });
}

/**
 * The in-memory form of {@link loadFeatureTable}.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const table = featureTableFromFrame(pl.DataFrame({ x: [1, 2], y: ["no", "yes"] }), { target: "y" });
 * table.target.y; // Uint8Array [0, 1]
 * ```
 */
export function featureTableFromFrame(
  raw: pl.DataFrame,
  { target, positive, file }: { target: string; positive?: string; file?: string },
): FeatureTable {
  if (!raw.columns.includes(target)) {
    throw new DataError(`target column "${target}" is not in the table; found: ${raw.columns.join(", ")}`, { file });
  }
  if (raw.width < 2) throw new DataError("the table has no feature columns besides the target", { file });
  return {
    frame: raw.drop(target),
    target: parseBinaryTarget(raw.getColumn(target), { positive, file }),
    targetColumn: target,
  };
}
