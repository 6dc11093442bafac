/**
 * The training distribution of each input feature, which drift reports
 * compare a batch with: value bands and their training shares, and the
 * training share of missing values.
 *
 * A bundle that stores a `featureReference` (the shape below) is used as is.
 * Older bundles do not store one; their preparation does hold the binning it
 * fitted on the training rows for information values (bin bounds or level
 * groups with training counts), and that is the reference then: coarser
 * (at most 6 bands), but real training figures, not a guess from min/max.
 *
 * @module
 */
import type { ModelBundle } from "../pipeline/bundle.ts";
import type { FeatureReference } from "../pipeline/feature_reference.ts";
import type { Preparation } from "../prep/preparation.ts";
import { OTHER_LEVEL } from "../prep/levels.ts";

/**
 * Where the references came from.
 *
 * @example
 * ```ts
 * const source: ReferenceSource = featureReferences(bundle, preparation).source; // "preparation-bins"
 * ```
 */
export type ReferenceSource = "bundle" | "preparation-bins";

/**
 * The references of a bundle's features, by name.
 *
 * @example
 * ```ts
 * const references: FeatureReferences = { source: "bundle", byName: new Map() };
 * ```
 */
export interface FeatureReferences {
  readonly source: ReferenceSource;
  readonly byName: ReadonlyMap<string, FeatureReference>;
}

/**
 * The bundle's stored feature references, or ones derived from its
 * preparation's training binning. Features with neither are left out.
 *
 * @example
 * ```ts
 * const scorer = new Scorer(bundle);
 * const { source, byName } = featureReferences(bundle, scorer.fitted.preparation);
 * byName.get("recency_days")?.kind; // "numeric"
 * ```
 */
export function featureReferences(
  bundle: Pick<ModelBundle, "fields" | "featureReference">,
  preparation: Preparation,
): FeatureReferences {
  const stored = bundle.featureReference;
  if (stored !== undefined) return { source: "bundle", byName: new Map(stored.map((ref) => [ref.name, ref])) };
  const rows = preparation.train.rows;
  const missingOf = new Map(preparation.train.features.map((f) => [f.feature, f.missing]));
  const byName = new Map<string, FeatureReference>();
  for (const field of bundle.fields) {
    const binning = preparation.steps.woe.binning(field.name);
    if (binning === undefined || rows === 0) continue;
    const values = binning.bins.filter((bin) => bin.missing !== true);
    const shares = values.map((bin) => bin.count / rows);
    const missing = (missingOf.get(field.name) ?? 0) / rows;
    if (binning.kind === "numeric") {
      byName.set(field.name, { name: field.name, kind: "numeric", edges: binning.cuts ?? [], shares, missing });
    } else {
      const groups = values.map((bin) => bin.levels ?? []);
      const other = groups.findIndex((levels) => levels.includes(OTHER_LEVEL));
      byName.set(field.name, {
        name: field.name,
        kind: "categorical",
        groups,
        shares,
        missing,
        ...(other >= 0 ? { otherGroup: other } : {}),
      });
    }
  }
  return { source: "preparation-bins", byName };
}
