/**
 * Loads a model bundle by URI: `models:/NAME@ALIAS`, `models:/NAME/VERSION`,
 * `models:/m-<id>`, `runs:/RUN_ID/PATH` (through the tracking store), or a
 * bundle file path. What the server, batch scoring and notebooks call.
 *
 * @module
 */
import { join } from "node:path";
import { JSON_BUNDLE_FLAVOR, parseMlModel } from "../tracking/mlmodel.ts";
import { openTracking } from "../tracking/open.ts";
import { withLocalCopy } from "../tracking/local_copy.ts";
import { type Tracking } from "../tracking/tracking.ts";
import { type ModelBundle, readBundle } from "./bundle.ts";

/** Where a loaded bundle came from. */
export interface ModelSource {
  readonly uri: string;
  /** The bundle file read. */
  readonly path: string;
  /** Registry facts, for registry URIs. */
  readonly name?: string;
  readonly version?: number;
  readonly alias?: string;
  readonly runId?: string;
}

/** A bundle and its source. */
export interface LoadedModel {
  readonly bundle: ModelBundle;
  readonly source: ModelSource;
}

/** The default model URI: the champion of the seed's registered model. */
export const DEFAULT_MODEL_URI = "models:/customer_conversion_model@champion";

/**
 * Loads a bundle by URI or path.
 *
 * @example
 * ```ts
 * const { bundle, source } = await loadModel("models:/customer_conversion_model@champion", "file:./mlruns");
 * source.version; // e.g. 3
 * ```
 */
export async function loadModel(uri: string, trackingUri?: string): Promise<LoadedModel> {
  if (!/^(models|runs):\//.test(uri)) {
    const path = uri.startsWith("file:") ? new URL(uri).pathname : uri;
    const file = isFolder(path) ? bundleFileIn(path) : path;
    return { bundle: readBundle(file), source: { uri, path: file } };
  }
  const client = openTracking(trackingUri);
  return await withLocalCopy(client, uri, async (folder) => {
    const path = isFolder(folder) ? bundleFileIn(folder) : folder;
    const registry = await registryFacts(client, uri);
    return { bundle: readBundle(path), source: { uri, path, ...registry } };
  });
}

async function registryFacts(client: Tracking, uri: string) {
  const alias = /^models:\/([^/@]+)@(.+)$/.exec(uri);
  const numbered = /^models:\/([^/@]+)\/(\d+)$/.exec(uri);
  const version = alias
    ? await client.getModelVersionByAlias(alias[1], alias[2])
    : numbered
    ? await client.getModelVersion(numbered[1], numbered[2])
    : undefined;
  const run = /^runs:\/([^/]+)\//.exec(uri);
  if (version) {
    return {
      name: version.name,
      version: version.version,
      ...(alias ? { alias: alias[2] } : {}),
      ...(version.runId ? { runId: version.runId } : {}),
    };
  }
  return run ? { runId: run[1] } : {};
}

function isFolder(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** The bundle file of a logged-model folder, named by its MLmodel's flavor (or the default name). */
function bundleFileIn(folder: string): string {
  const mlmodel = join(folder, "MLmodel");
  try {
    const document = parseMlModel(Deno.readTextFileSync(mlmodel), mlmodel);
    const data = (document.flavors?.[JSON_BUNDLE_FLAVOR] as { data?: string } | undefined)?.data;
    if (data) return join(folder, data);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return join(folder, "model_bundle.json");
}
