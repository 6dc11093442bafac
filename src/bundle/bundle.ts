/**
 * The model bundle: one versioned JSON document holding everything needed to
 * score, explain and monitor a trained model (preparation, model, scaling,
 * threshold, input schema with train ranges, reference values for reason
 * codes, training metrics, score bins for drift, data and code fingerprints).
 * The server, notebooks and batch scoring load it; nothing else is needed.
 *
 * It holds no timestamps or timings, so the same data and seed give the same
 * bytes from every entry point.
 *
 * @module
 */
import { DataError } from "../data/errors.ts";
import type { ThresholdRule } from "../evaluate/threshold.ts";
import type { FeatureDefinition } from "./feature_definition.ts";
import type { FeatureReference } from "./feature_reference.ts";
import type { FittedCandidateJSON } from "./fitted.ts";
import type { PointsScalingOptions } from "../models/points.ts";

/** The bundle format tag and version this code writes and reads. */
export const BUNDLE_FORMAT = "conversion-scorecard-bundle";
/** Current bundle version. */
export const BUNDLE_VERSION = 1;

/** One input field of the model as requests send it. */
export interface BundleField {
  readonly name: string;
  readonly kind: "numeric" | "categorical";
  readonly description?: string;
  /** Numeric: the training range (values outside it are accepted and flagged by drift reports). */
  readonly min?: number;
  readonly max?: number;
  /** Categorical: the training levels. */
  readonly levels?: readonly string[];
  /** A count that cannot be negative (validation rejects negatives). */
  readonly nonNegative?: boolean;
  /** What reason codes compare with: the median (or most frequent level) among training customers who converted. */
  readonly reference: number | string | null;
}

/** One row of a scorecard's points table. */
export interface PointsRow {
  readonly feature: string;
  readonly bin: string;
  readonly woe: number;
  readonly points: number;
}

/** Training figures carried for display and for the champion comparison. */
export interface BundleMetrics {
  readonly cv: { readonly meanAuc: number; readonly stdAuc: number; readonly meanLogloss: number };
  readonly test: Readonly<Record<string, number>>;
  readonly trainRows: number;
  readonly testRows: number;
  readonly basePositiveRate: number;
}

/** The bundle document. */
export interface ModelBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: number;
  readonly candidate: string;
  readonly description: string;
  readonly fields: readonly BundleField[];
  readonly definition: FeatureDefinition;
  readonly positiveLabel: string;
  readonly fitted: FittedCandidateJSON;
  /** Points scaling (600 points at odds 50:1, 20 points to double the odds by default). */
  readonly scaling: Required<PointsScalingOptions>;
  readonly threshold: { readonly probability: number; readonly rule: ThresholdRule };
  /** Scorecard candidates: points per feature and bin. */
  readonly pointsTable?: readonly PointsRow[];
  /** Training distribution of every input feature, for drift reports. */
  readonly featureReference: readonly FeatureReference[];
  /** Score-distribution reference for PSI: probability bin edges and the training share per bin. */
  readonly scoreReference: { readonly edges: readonly number[]; readonly shares: readonly number[] };
  readonly metrics: BundleMetrics;
  readonly fingerprints: { readonly data: string; readonly code: string };
}

/**
 * Reads a bundle file, checking its format and version.
 *
 * @example
 * ```ts
 * const bundle = readBundle("data/artifacts/model_bundle.json");
 * bundle.candidate; // e.g. "scorecard"
 * ```
 */
export function readBundle(path: string): ModelBundle {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    throw new DataError(
      error instanceof Deno.errors.NotFound ? "model bundle not found" : `cannot read: ${error}`,
      { file: path },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the file's first characters, and the file may be any file at all.
    throw new DataError("not a JSON model bundle (the file is not valid JSON)", { file: path });
  }
  return checkBundle(json, path);
}

/**
 * Checks that a parsed document is a bundle this code can read.
 *
 * @example
 * ```ts
 * checkBundle({ format: "something else" }); // throws DataError
 * ```
 */
export function checkBundle(json: unknown, file?: string): ModelBundle {
  const bundle = json as Partial<ModelBundle> | null;
  if (bundle === null || typeof bundle !== "object" || bundle.format !== BUNDLE_FORMAT) {
    throw new DataError(`not a model bundle (expected format "${BUNDLE_FORMAT}")`, { file });
  }
  if (bundle.version !== BUNDLE_VERSION) {
    throw new DataError(`model bundle version ${bundle.version} is not supported (this code reads ${BUNDLE_VERSION})`, {
      file,
    });
  }
  return bundle as ModelBundle;
}
