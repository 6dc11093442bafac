/**
 * How a bundle's input features are made: from a transaction log (rebuilt at
 * scoring time with the same window and options) or read from a ready table.
 *
 * @module
 */
import type { LabelRule } from "../data/labels.ts";
import type { FeatureDefinition as BuildDefinition } from "../features/build.ts";
import type { FeatureSpec } from "../features/spec.ts";

/** How features are made from a transaction log, stored in the bundle for batch scoring. */
export interface TransactionFeatureDefinition {
  readonly kind: "transactions";
  /** The last day of history used in training (ISO date). */
  readonly cutoff: string;
  readonly horizonDays: number;
  readonly labelRule: LabelRule;
  /** What `buildFeatures(log, { cutoff, ...build })` needs to rebuild the same features. */
  readonly build: BuildDefinition;
  readonly features: readonly FeatureSpec[];
}

/** A ready feature table: fields are read as they are. */
export interface TableFeatureDefinition {
  readonly kind: "table";
  readonly targetColumn: string;
}

/** Where a dataset came from and how its features were made. */
export type FeatureDefinition = TransactionFeatureDefinition | TableFeatureDefinition;
