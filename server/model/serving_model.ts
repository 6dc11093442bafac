/**
 * A model ready to serve: the loaded bundle, its scorer, the request schemas
 * built from its input fields, and what the answers say about it (name,
 * version). Built once per load and never changed, so swapping models is one
 * reference assignment and a request that holds one keeps a consistent view.
 *
 * @module
 */
import { basename, extname } from "node:path";
import type { LoadedModel, ModelSource } from "../../src/bundle/load_model.ts";
import type { BundleField, BundleMetrics, ModelBundle } from "../../src/bundle/bundle.ts";
import { Scorer } from "../../src/bundle/scorer.ts";
import { ID_FIELD, type RequestSchemas, requestSchemas } from "./validation.ts";

/** A loaded model with everything a request needs. */
export interface ServingModel {
  /** The registered model's name, else the bundle file's name. */
  readonly name: string;
  /** The registry version; null for a bundle file or a run's model. */
  readonly version: number | null;
  readonly source: ModelSource;
  readonly bundle: ModelBundle;
  readonly scorer: Scorer;
  readonly schemas: RequestSchemas;
  readonly loadedAt: Date;
}

/** The `/model` answer. */
export interface ModelInfo {
  readonly name: string;
  readonly version: number | null;
  readonly alias: string | null;
  readonly run_id: string | null;
  readonly uri: string;
  readonly candidate: string;
  readonly description: string;
  readonly loaded_at: string;
  readonly threshold: number;
  readonly scaling: ModelBundle["scaling"];
  readonly input_schema: readonly InputField[];
  readonly features_used: readonly string[];
  readonly metrics: BundleMetrics;
  readonly fingerprints: ModelBundle["fingerprints"];
}

/** One input field as `/model` describes it. */
export interface InputField {
  readonly name: string;
  readonly type: "double" | "string" | "string|integer";
  readonly required: boolean;
  readonly description?: string;
  readonly min?: number;
  readonly max?: number;
  readonly non_negative?: boolean;
  readonly levels?: readonly string[];
}

/**
 * Prepares a loaded bundle for serving.
 *
 * @example
 * ```ts
 * import { loadModel } from "../../src/bundle/load_model.ts";
 * const model = servingModel(await loadModel("/tmp/srv-art/model_bundle.json"), { maxBatch: 1000 });
 * model.scorer.scoreRecords([{ recency_days: 3 }])[0].decision;
 * ```
 */
export function servingModel(
  { bundle, source }: LoadedModel,
  { maxBatch, now = new Date() }: { maxBatch: number; now?: Date },
): ServingModel {
  const scorer = new Scorer(bundle);
  // Before the model is swapped in, so that no request waits for a tree explainer to compile.
  scorer.prepareReasons();
  return {
    name: source.name ?? basename(source.path, extname(source.path)),
    version: source.version ?? null,
    source,
    bundle,
    scorer,
    schemas: requestSchemas(bundle.fields, { maxBatch }),
    loadedAt: now,
  };
}

/**
 * What `/model` reports: identity, input schema and training figures.
 *
 * @example
 * ```ts
 * declare const model: ServingModel;
 * modelInfo(model).input_schema[0]; // { name: "customer_id", type: "string|integer", required: false, ... }
 * ```
 */
export function modelInfo(model: ServingModel): ModelInfo {
  const { bundle, source } = model;
  return {
    name: model.name,
    version: model.version,
    alias: source.alias ?? null,
    run_id: source.runId ?? null,
    uri: source.uri,
    candidate: bundle.candidate,
    description: bundle.description,
    loaded_at: model.loadedAt.toISOString(),
    threshold: bundle.threshold.probability,
    scaling: bundle.scaling,
    input_schema: [
      { name: ID_FIELD, type: "string|integer", required: false, description: "Echoed back; not used for scoring." },
      ...bundle.fields.map(inputField),
    ],
    features_used: model.scorer.features,
    metrics: bundle.metrics,
    fingerprints: bundle.fingerprints,
  };
}

function inputField(field: BundleField): InputField {
  return {
    name: field.name,
    type: field.kind === "numeric" ? "double" : "string",
    required: false,
    ...(field.description ? { description: field.description } : {}),
    ...(field.min !== undefined ? { min: field.min } : {}),
    ...(field.max !== undefined ? { max: field.max } : {}),
    ...(field.nonNegative ? { non_negative: true } : {}),
    ...(field.levels ? { levels: field.levels } : {}),
  };
}
