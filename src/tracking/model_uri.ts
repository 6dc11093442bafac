/**
 * The model and artifact URIs MLflow users pass around, parsed and resolved
 * to local folders: `models:/NAME/VERSION`, `models:/NAME@ALIAS`,
 * `models:/NAME/STAGE` (legacy), `models:/NAME/latest`, `models:/m-<id>`
 * (an MLflow 3 logged model), `runs:/RUN_ID/PATH` and `file:` URIs.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { artifactReadRoot } from "./artifacts.ts";
import { isTrackingError, TrackingError } from "./errors.ts";
import { findLoggedModel, listLoggedModels, loggedModelArtifactRoot, readLoggedModel } from "./logged_models.ts";
import {
  getLatestVersions,
  getModelVersion,
  getModelVersionByAlias,
  listModelVersions,
  MODEL_STAGES,
} from "./registry.ts";
import { findRun, readRunInfo } from "./runs.ts";
import type { StoreContext } from "./store_context.ts";
import { pathExists } from "./store_fs.ts";
import { fileUriToPath, uriScheme } from "./uri.ts";
import { validateArtifactPath } from "./validation.ts";

/** A parsed model or artifact URI. */
export type ParsedArtifactUri =
  | { readonly kind: "model-version"; readonly name: string; readonly version: number }
  | { readonly kind: "model-alias"; readonly name: string; readonly alias: string }
  | { readonly kind: "model-stage"; readonly name: string; readonly stage: string }
  | { readonly kind: "model-latest"; readonly name: string }
  | { readonly kind: "logged-model"; readonly modelId: string }
  | { readonly kind: "run-artifact"; readonly runId: string; readonly path: string }
  | { readonly kind: "file"; readonly path: string };

/**
 * Parses a `models:/`, `runs:/` or `file:` URI (a plain path counts as a file).
 *
 * @example
 * ```ts
 * parseArtifactUri("models:/customer_conversion_model@champion");
 * // { kind: "model-alias", name: "customer_conversion_model", alias: "champion" }
 * parseArtifactUri("runs:/c705528894b5469ebd076e089e2f92ae/model_logistic");
 * // { kind: "run-artifact", runId: "c705528894b5469ebd076e089e2f92ae", path: "model_logistic" }
 * ```
 */
export function parseArtifactUri(uri: string): ParsedArtifactUri {
  const scheme = uriScheme(uri);
  if (scheme === "models") return parseModelsUri(uri);
  if (scheme === "runs") {
    const match = /^runs:\/+([^/]+)(?:\/(.*))?$/.exec(uri);
    if (!match) throw badUri(uri, "expected runs:/RUN_ID/PATH");
    return { kind: "run-artifact", runId: match[1], path: validateArtifactPath(match[2] ?? "") };
  }
  if (scheme === undefined || scheme === "file") return { kind: "file", path: fileUriToPath(uri) };
  throw new TrackingError("UNSUPPORTED_URI", `unsupported artifact URI "${uri}": only models:/, runs:/ and file: are`);
}

function parseModelsUri(uri: string): ParsedArtifactUri {
  const body = uri.replace(/^models:\/+/i, "");
  const aliasMatch = /^([^/@]+)@([^/]+)$/.exec(body);
  if (aliasMatch) return { kind: "model-alias", name: aliasMatch[1], alias: aliasMatch[2] };
  const parts = body.split("/");
  if (parts.length === 1 && /^m-[0-9a-f]{32}$/.test(parts[0])) return { kind: "logged-model", modelId: parts[0] };
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
    throw badUri(uri, "expected models:/NAME/VERSION, models:/NAME@ALIAS or models:/m-<model id>");
  }
  const [name, suffix] = parts;
  if (/^\d+$/.test(suffix)) return { kind: "model-version", name, version: Number(suffix) };
  if (suffix.toLowerCase() === "latest") return { kind: "model-latest", name };
  if (MODEL_STAGES.some((stage) => stage.toLowerCase() === suffix.toLowerCase())) {
    return { kind: "model-stage", name, stage: suffix };
  }
  throw badUri(uri, `'${suffix}' is neither a version number, 'latest' nor a stage`);
}

/**
 * Resolves a URI to the local folder (or file) holding it. Registered
 * versions follow their `storage_location` (else `source`); `runs:/RUN/NAME`
 * looks in the run's artifacts, then (MLflow 3) at the logged model called
 * NAME produced by that run. Recorded absolute paths that do not exist here
 * fall back to the copy inside the store.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * await resolveArtifactUri(context, "models:/customer_conversion_model@champion"); // ".../artifacts"
 * ```
 */
export async function resolveArtifactUri(context: StoreContext, uri: string, depth = 0): Promise<string> {
  if (depth > 5) throw badUri(uri, "too many levels of indirection (a registry source pointing at itself?)");
  const parsed = parseArtifactUri(uri);
  switch (parsed.kind) {
    case "file": {
      const path = resolve(parsed.path);
      if (!(await pathExists(path))) throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `no such path ${path}`);
      return path;
    }
    case "logged-model": {
      const location = await findLoggedModel(context, parsed.modelId);
      return artifactReadRoot(loggedModelArtifactRoot(await readLoggedModel(location), location));
    }
    case "run-artifact":
      return resolveRunArtifact(context, parsed.runId, parsed.path);
    case "model-version":
      return followVersion(context, await getModelVersion(context, parsed.name, parsed.version), depth);
    case "model-alias":
      return followVersion(context, await getModelVersionByAlias(context, parsed.name, parsed.alias), depth);
    case "model-stage": {
      const [latest] = await getLatestVersions(context, parsed.name, [parsed.stage]);
      if (!latest) {
        throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `no version of '${parsed.name}' in ${parsed.stage}`);
      }
      return followVersion(context, latest, depth);
    }
    case "model-latest": {
      const latest = (await listModelVersions(context, parsed.name)).items.at(-1);
      if (!latest) {
        throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `registered model '${parsed.name}' has no versions`);
      }
      return followVersion(context, latest, depth);
    }
  }
}

/**
 * A version's files: its `storage_location`, else its `source`, else its
 * logged model. The first is an absolute URI for `models:/m-...` sources,
 * which no longer exists when the store was moved; the others then still
 * lead to the copy inside the store.
 */
async function followVersion(
  context: StoreContext,
  version: { storageLocation: string | null; source: string; modelId: string | null },
  depth: number,
): Promise<string> {
  const candidates = [version.storageLocation, version.source, version.modelId && `models:/${version.modelId}`]
    .filter((uri): uri is string => Boolean(uri));
  let missing: TrackingError | undefined;
  for (const uri of new Set(candidates)) {
    try {
      return await resolveArtifactUri(context, uri, depth + 1);
    } catch (error) {
      if (!isTrackingError(error, "RESOURCE_DOES_NOT_EXIST")) throw error;
      missing ??= error;
    }
  }
  throw missing ?? badUri(version.source, "the model version has no source");
}

async function resolveRunArtifact(context: StoreContext, runId: string, path: string): Promise<string> {
  const location = await findRun(context, runId);
  const info = await readRunInfo(location);
  const root = await artifactReadRoot({ recordedUri: info.artifactUri, storeDefault: join(location.dir, "artifacts") });
  const inRun = path === "" ? root : join(root, path);
  if (await pathExists(inRun)) return inRun;
  const [name, ...rest] = path.split("/");
  const models = (await listLoggedModels(context, [location.experimentId])).items
    .filter((model) => model.sourceRunId === runId && model.name === name);
  if (models.length > 0) {
    const model = models[0];
    const modelLocation = await findLoggedModel(context, model.modelId);
    const modelRoot = await artifactReadRoot(loggedModelArtifactRoot(model, modelLocation));
    const target = rest.length === 0 ? modelRoot : join(modelRoot, ...rest);
    if (await pathExists(target)) return target;
  }
  throw new TrackingError(
    "RESOURCE_DOES_NOT_EXIST",
    `runs:/${runId}/${path} matches neither a run artifact nor a logged model named '${name}' of that run`,
  );
}

function badUri(uri: string, problem: string): TrackingError {
  return new TrackingError("INVALID_PARAMETER_VALUE", `invalid URI "${uri}": ${problem}`);
}
