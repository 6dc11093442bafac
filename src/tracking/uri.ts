/**
 * Tracking URIs and `file:` URIs: which store to open, and how MLflow turns
 * paths into artifact URIs and back.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { TrackingError } from "./errors.ts";

/** Where runs go when nothing else is configured (MLflow's own default). */
export const DEFAULT_TRACKING_URI = "file:./mlruns";

/** The environment variable MLflow reads its tracking URI from. */
export const TRACKING_URI_ENV = "MLFLOW_TRACKING_URI";

/**
 * Picks the tracking URI: the explicit one (a `--tracking-uri` flag), else
 * `MLFLOW_TRACKING_URI`, else `file:./mlruns`. It does not check the scheme;
 * {@link trackingRootPath} does.
 *
 * @example
 * ```ts
 * resolveTrackingUri("file:/tmp/mlruns"); // "file:/tmp/mlruns"
 * resolveTrackingUri(undefined, { get: () => undefined }); // "file:./mlruns"
 * ```
 */
export function resolveTrackingUri(
  explicit?: string,
  env: { get(name: string): string | undefined } = processEnv,
): string {
  if (explicit !== undefined && explicit.trim() !== "") return explicit.trim();
  const fromEnv = env.get(TRACKING_URI_ENV)?.trim();
  return fromEnv ? fromEnv : DEFAULT_TRACKING_URI;
}

/** The process environment, read without failing when --allow-env is missing. */
export const processEnv = {
  get(name: string): string | undefined {
    try {
      return Deno.env.get(name);
    } catch {
      // Without --allow-env the variable is simply not visible, as if unset.
      return undefined;
    }
  },
};

/**
 * The absolute local folder of a file-store tracking URI: `file:./mlruns`,
 * `file:///abs/mlruns`, `file:/abs`, or a plain path. Any other scheme
 * (`http:`, `sqlite:`, `databricks`, ...) is an `UNSUPPORTED_URI` error, never
 * a silent fallback.
 *
 * @example
 * ```ts
 * trackingRootPath("file:./mlruns", "/work"); // "/work/mlruns"
 * trackingRootPath("file:///data/mlruns"); // "/data/mlruns"
 * ```
 */
export function trackingRootPath(uri: string, cwd: string = Deno.cwd()): string {
  // MLflow reads the bare words "databricks" and "databricks-uc" as schemes, not as folder names.
  const scheme = uriScheme(uri) ?? (/^databricks(-uc)?$/.test(uri) ? uri : undefined);
  if (scheme !== undefined && scheme !== "file") {
    throw new TrackingError(
      "UNSUPPORTED_URI",
      `unsupported tracking URI "${uri}": scheme "${scheme}:" is not supported; ` +
        `only local file stores (file:./mlruns, file:///abs/path or a plain path) and MLflow tracking servers ` +
        `(http://HOST:PORT, https://...) are`,
    );
  }
  const path = scheme === "file" ? fileUriToPath(uri) : uri;
  if (path === "") throw new TrackingError("UNSUPPORTED_URI", `tracking URI "${uri}" names no folder`);
  return resolve(cwd, path);
}

/**
 * The scheme of a URI, lower-cased, or `undefined` for a plain path (a
 * one-letter "scheme" is a Windows drive, as in `C:/mlruns`).
 *
 * @example
 * ```ts
 * uriScheme("runs:/abc/model"); // "runs"
 * uriScheme("C:/Users/mlruns"); // undefined
 * ```
 */
export function uriScheme(uri: string): string | undefined {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri);
  if (!match || match[1].length === 1) return undefined;
  return match[1].toLowerCase();
}

/**
 * Converts a `file:` URI to a local path as MLflow's `local_file_uri_to_path`
 * does: percent-decoded, `file:///a` and `file:/a` absolute, `file:./a`
 * relative (to be resolved by the caller). A Windows URI such as
 * `file:C:/x` becomes the path `C:/x`, which on POSIX is relative, exactly as
 * MLflow treats it there.
 *
 * @example
 * ```ts
 * fileUriToPath("file:///tmp/my%20runs/0"); // "/tmp/my runs/0"
 * fileUriToPath("file:./mlruns"); // "./mlruns"
 * ```
 */
export function fileUriToPath(uri: string): string {
  if (uriScheme(uri) !== "file") return uri;
  let rest = uri.slice("file:".length);
  if (rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const host = rest.slice(2, slash === -1 ? undefined : slash);
    if (host !== "" && host.toLowerCase() !== "localhost") {
      throw new TrackingError("UNSUPPORTED_URI", `file URI "${uri}" names a remote host "${host}"`);
    }
    rest = slash === -1 ? "/" : rest.slice(slash);
  }
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

/**
 * Converts an absolute local path to the `file:///...` URI MLflow records
 * (Python's `pathlib.Path.as_uri`: every byte outside `A-Z a-z 0-9 _ . - ~ /`
 * percent-encoded).
 *
 * @example
 * ```ts
 * pathToFileUri("/tmp/my runs/0"); // "file:///tmp/my%20runs/0"
 * ```
 */
export function pathToFileUri(absolutePath: string): string {
  if (!isAbsolute(absolutePath)) {
    throw new TrackingError("INVALID_PARAMETER_VALUE", `not an absolute path: "${absolutePath}"`);
  }
  const bytes = new TextEncoder().encode(absolutePath);
  let encoded = "";
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9_.\-~/]/.test(char) && byte < 128
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return `file://${encoded.startsWith("/") ? "" : "/"}${encoded}`;
}

/**
 * Appends path segments to a URI the way MLflow's `append_to_uri_path` does
 * (one slash between parts).
 *
 * @example
 * ```ts
 * appendToUri("file:///tmp/mlruns", "0", "abc", "artifacts"); // "file:///tmp/mlruns/0/abc/artifacts"
 * ```
 */
export function appendToUri(uri: string, ...segments: string[]): string {
  return segments.reduce((base, segment) => `${base.replace(/\/+$/, "")}/${segment.replace(/^\/+/, "")}`, uri);
}
