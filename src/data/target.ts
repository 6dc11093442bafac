/**
 * Turns a binary target column of any spelling (0/1, true/false, yes/no in
 * any case, or any two labels with the event class named) into 0/1 labels.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { DataError } from "./errors.ts";

/** A parsed binary target. */
export interface BinaryTarget {
  /** 1 for the event (positive) class, 0 otherwise. */
  readonly y: Uint8Array;
  /** The label (as written in the data) taken as the event. */
  readonly positive: string;
  /** The other label. */
  readonly negative: string;
}

/** Pairs whose event class is unambiguous: [negative, positive], compared case-insensitively. */
const KNOWN_PAIRS: readonly (readonly [string, string])[] = [
  ["0", "1"],
  ["false", "true"],
  ["no", "yes"],
  ["n", "y"],
  ["f", "t"],
];

/**
 * Parses a target series. `positive` names the event label (matched
 * case-insensitively); without it only the known pairs are accepted, and an
 * ambiguous pair fails with the labels found.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const target = parseBinaryTarget(pl.Series("Revenue", ["FALSE", "TRUE", "FALSE"]));
 * target.y; // Uint8Array [0, 1, 0]
 * ```
 */
export function parseBinaryTarget(series: pl.Series, { positive, file }: { positive?: string; file?: string } = {}) {
  const column = series.name;
  // Reading values rather than casting to text keeps a float 1.0 spelled "1" and a boolean "true".
  const text = (series.toArray() as unknown[]).map((value) => (value === null ? null : String(value)));
  const normalised = text.map((value) => (value === null ? null : normaliseLabel(value)));
  const missingAt = normalised.findIndex((value) => value === null || value === "");
  if (missingAt >= 0) {
    throw new DataError("the target has a missing value", { file, column, row: missingAt + 1 });
  }
  const labels = [...new Set(normalised as string[])];
  const spelled = (label: string) => text[normalised.indexOf(label)]!;
  if (labels.length !== 2) {
    const found = labels.slice(0, 10).map(spelled).join(", ");
    const problem = labels.length === 1
      ? `the target has only one class (${found}); a binary target needs two`
      : `the target is not binary: found ${labels.length} labels (${found}${labels.length > 10 ? ", ..." : ""})`;
    throw new DataError(problem, { file, column });
  }
  const event = chooseEvent(labels, positive, spelled, { file, column });
  const y = new Uint8Array(normalised.length);
  for (let i = 0; i < y.length; i++) y[i] = normalised[i] === event ? 1 : 0;
  const other = labels.find((label) => label !== event)!;
  return { y, positive: spelled(event), negative: spelled(other) } satisfies BinaryTarget;
}

function normaliseLabel(value: string): string {
  const trimmed = value.trim().toLowerCase();
  const number = Number(trimmed);
  return trimmed !== "" && Number.isFinite(number) ? String(number) : trimmed;
}

function chooseEvent(
  labels: string[],
  positive: string | undefined,
  spelled: (label: string) => string,
  location: { file?: string; column: string },
): string {
  const found = labels.map(spelled).join(", ");
  if (positive !== undefined) {
    const wanted = normaliseLabel(positive);
    if (!labels.includes(wanted)) {
      throw new DataError(`--positive ${positive} is not a label of the target; found: ${found}`, location);
    }
    return wanted;
  }
  const pair = KNOWN_PAIRS.find(([no, yes]) => labels.includes(no) && labels.includes(yes));
  if (pair) return pair[1];
  throw new DataError(
    `cannot tell which target label is the event: found ${found}; name it with --positive LABEL`,
    location,
  );
}
