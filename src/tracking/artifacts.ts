/**
 * Artifact trees on the local file system: MLflow's
 * `LocalArtifactRepository`, plus one repair MLflow lacks. MLflow records
 * absolute artifact URIs, so a copied or moved `mlruns` (or one written on
 * Windows, like the seed's `file:C:/...`) points nowhere; when the recorded
 * folder does not exist, we read the entity's default folder inside the
 * store instead. Writes still go to (and records keep) the absolute URI
 * MLflow expects.
 *
 * @module
 */
import { basename, dirname, isAbsolute, join } from "node:path";
import type { ArtifactInfo } from "./entities.ts";
import { TrackingError } from "./errors.ts";
import { isDirectory, isFile } from "./store_fs.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { fileUriToPath, uriScheme } from "./uri.ts";
import { validateArtifactPath } from "./validation.ts";

/** An entity's artifact root: what was recorded and where it lives by default inside the store. */
export interface ArtifactRoot {
  /** The URI recorded in meta.yaml (`artifact_uri` / `artifact_location`). */
  readonly recordedUri: string;
  /** The folder inside the store MLflow would have used (`<entity dir>/artifacts`). */
  readonly storeDefault: string;
}

/**
 * The folder to read artifacts from: the recorded location when it exists
 * here, else the store's default folder for the entity (portable stores).
 *
 * @example
 * ```ts
 * // A Windows-written URI on Linux falls back to the copy inside the store:
 * await artifactReadRoot({ recordedUri: "file:C:/x/mlruns/1/abc/artifacts", storeDefault: "/data/mlruns/1/abc/artifacts" });
 * // "/data/mlruns/1/abc/artifacts"
 * ```
 */
export async function artifactReadRoot(root: ArtifactRoot): Promise<string> {
  const recorded = localPathOf(root.recordedUri);
  if (recorded !== undefined && isAbsolute(recorded) && (await isDirectory(recorded))) return recorded;
  return root.storeDefault;
}

/**
 * The folder to write artifacts to: the recorded location when it is an
 * absolute local path on this machine (as MLflow would), else the store's
 * default folder.
 *
 * @example
 * ```ts
 * artifactWriteRoot({ recordedUri: "file:///data/mlruns/1/abc/artifacts", storeDefault: "/x" }); // "/data/mlruns/1/abc/artifacts"
 * ```
 */
export function artifactWriteRoot(root: ArtifactRoot): string {
  const recorded = localPathOf(root.recordedUri);
  return recorded !== undefined && isAbsolute(recorded) ? recorded : root.storeDefault;
}

/**
 * Fails with `RESOURCE_DOES_NOT_EXIST` naming `localFile` unless it is a file:
 * checked before any upload, so that a missing local file is not retried as
 * if the server had failed.
 *
 * @example
 * ```ts
 * await requireLocalFile("reports/roc.svg");
 * ```
 */
export async function requireLocalFile(localFile: string): Promise<void> {
  if (!(await isFile(localFile))) {
    throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `cannot log artifact: no such file ${localFile}`);
  }
}

/**
 * Copies a local file into an artifact folder as `<artifactPath>/<file name>`.
 *
 * @example
 * ```ts
 * declare const artifactDir: string; // e.g. a run's artifacts/ folder
 *
 * await copyFileToArtifacts(artifactDir, "reports/roc.svg", "plots"); // "plots/roc.svg"
 * ```
 */
export async function copyFileToArtifacts(artifactDir: string, localFile: string, artifactPath = ""): Promise<string> {
  await requireLocalFile(localFile);
  const relativePath = joinArtifactPath(validateArtifactPath(artifactPath), basename(localFile));
  await writeArtifactBytes(artifactDir, relativePath, await Deno.readFile(localFile));
  return relativePath;
}

/**
 * Writes bytes or text as the artifact `artifactFile` (atomically, with the
 * temporary file beside the artifact root, never inside it).
 *
 * @example
 * ```ts
 * declare const artifactDir: string; // e.g. a run's artifacts/ folder
 *
 * await writeArtifactBytes(artifactDir, "reports/summary.txt", "auc 0.91\n");
 * ```
 */
export async function writeArtifactBytes(
  artifactDir: string,
  artifactFile: string,
  data: string | Uint8Array,
): Promise<void> {
  const relativePath = validateArtifactPath(artifactFile);
  if (relativePath === "") throw new TrackingError("INVALID_PARAMETER_VALUE", "artifact file name cannot be empty");
  await Deno.mkdir(artifactDir, { recursive: true });
  await writeFileAtomic(join(artifactDir, relativePath), data, dirname(artifactDir));
}

/**
 * Lists one level of an artifact folder, sorted by path; `[]` when the
 * folder (or the whole artifact root) does not exist, as in MLflow.
 *
 * @example
 * ```ts
 * declare const artifactDir: string; // e.g. a run's artifacts/ folder
 *
 * await listArtifactsIn(artifactDir); // [{ path: "MLmodel", isDir: false, fileSize: 772 }, ...]
 * ```
 */
export async function listArtifactsIn(artifactDir: string, path = ""): Promise<ArtifactInfo[]> {
  const prefix = validateArtifactPath(path);
  const folder = join(artifactDir, prefix);
  if (!(await isDirectory(folder))) return [];
  const infos: ArtifactInfo[] = [];
  for await (const entry of Deno.readDir(folder)) {
    const full = join(folder, entry.name);
    const stat = await Deno.stat(full);
    infos.push({
      path: joinArtifactPath(prefix, entry.name),
      isDir: stat.isDirectory,
      fileSize: stat.isDirectory ? null : stat.size,
    });
  }
  return infos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Reads one artifact file.
 *
 * @example
 * ```ts
 * declare const artifactDir: string; // e.g. a run's artifacts/ folder
 *
 * new TextDecoder().decode(await readArtifactFile(artifactDir, "MLmodel"));
 * ```
 */
export async function readArtifactFile(artifactDir: string, path: string): Promise<Uint8Array> {
  const relativePath = validateArtifactPath(path);
  const full = join(artifactDir, relativePath);
  if (!(await isFile(full))) {
    throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `no artifact file '${relativePath}'`, { path: full });
  }
  return await Deno.readFile(full);
}

function joinArtifactPath(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}/${name}`;
}

function localPathOf(uri: string): string | undefined {
  const scheme = uriScheme(uri);
  if (scheme !== undefined && scheme !== "file") return undefined;
  const path = fileUriToPath(uri);
  // A Windows drive path ("C:/...") is not absolute on POSIX, which sends readers to the store's copy.
  return path === "" ? undefined : path;
}
