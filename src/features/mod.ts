/**
 * Per-customer features from a transaction log as of a cutoff.
 *
 * @example
 * ```ts
 * import { buildFeatures } from "./mod.ts";
 * // const { frame, features, notices } = buildFeatures(transactions, { cutoff: new Date("2024-12-01") });
 * ```
 *
 * @module
 */
export { buildFeatures, type FeatureDefinition, type FeatureOptions, type FeatureResult } from "./build.ts";
export { DEFAULT_TREND_WINDOW_DAYS, featureCatalogue, type FeatureKind, type FeatureSpec } from "./spec.ts";
