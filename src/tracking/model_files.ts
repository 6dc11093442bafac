/**
 * The files of a logged model, the same for both backends: the bundle, the
 * extra files, the input example files and the `MLmodel` that describes them.
 *
 * @module
 */
import type { LoggedModel } from "./entities.ts";
import { formatMlModel, inputExampleFiles, JSON_BUNDLE_FLAVOR } from "./mlmodel.ts";
import type { LogModelOptions } from "./tracking.ts";

/**
 * Name to content of every file a logged model holds, `MLmodel` included
 * (its `model_size_bytes` counts the other files).
 *
 * @example
 * ```ts
 * import type { LoggedModel } from "./entities.ts";
 * declare const model: LoggedModel;
 * const files = loggedModelFiles({ runId: "abc", name: "model", bundle: { content: "{}" } }, model);
 * Object.keys(files); // ["model.json", "MLmodel"]
 * ```
 */
export function loggedModelFiles(options: LogModelOptions, model: LoggedModel): Record<string, string | Uint8Array> {
  const bundleName = options.bundle.fileName ?? "model.json";
  const files: Record<string, string | Uint8Array> = {
    ...options.files,
    [bundleName]: options.bundle.content,
    ...(options.inputExample ? inputExampleFiles(options.inputExample) : {}),
  };
  const encoder = new TextEncoder();
  const size = Object.values(files)
    .reduce((total, content) => total + (typeof content === "string" ? encoder.encode(content) : content).length, 0);
  files.MLmodel = formatMlModel({
    artifactPath: model.artifactLocation,
    flavors: { [JSON_BUNDLE_FLAVOR]: { data: bundleName, format: "json", ...options.flavorConfig } },
    modelId: model.modelId,
    runId: options.runId,
    createdAt: model.creationTimestamp,
    modelSizeBytes: size,
    signature: options.signature,
    hasInputExample: options.inputExample !== undefined,
    metadata: options.metadata,
  });
  return files;
}
