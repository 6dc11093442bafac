/**
 * Name and key checks, as MLflow's `mlflow/utils/validation.py` does them, so
 * that nothing we write is refused by MLflow when read back, and so that no
 * name can reach outside its folder (keys and artifact paths become file
 * paths; registered model names become folder names).
 *
 * @module
 */
import { TrackingError } from "./errors.ts";

/** MLflow's limits (`validation.py`). */
export const LIMITS = {
  entityKey: 250,
  paramValue: 6000,
  tagValue: 8000,
  experimentName: 500,
  aliasName: 255,
  batchMetrics: 1000,
  batchParamsTags: 100,
  batchEntities: 1000,
} as const;

/** Letters, digits, `_ . - space : /` (Python's `\w` is Unicode-aware, so are we). */
const KEY_PATTERN = /^[\p{L}\p{M}\p{N}_/.\- :]*$/u;
const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,63}$/;
const ALIAS_PATTERN = /^[\p{L}\p{M}\p{N}_-]*$/u;
const LOGGED_MODEL_ID_PATTERN = /^m-[0-9a-f]{32}$/;

/** What a key names, for error messages. */
export type KeyKind = "param" | "metric" | "tag";

/**
 * Python's `posixpath.normpath`: collapses `//`, `.` and `a/..`, keeps
 * leading `..`, drops a trailing `/`.
 *
 * @example
 * ```ts
 * posixNormpath("a//b/./c/"); // "a/b/c"
 * posixNormpath("a/../../b"); // "../b"
 * posixNormpath(""); // "."
 * ```
 */
export function posixNormpath(path: string): string {
  if (path === "") return ".";
  const leadingSlashes = path.startsWith("//") && !path.startsWith("///") ? 2 : path.startsWith("/") ? 1 : 0;
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== ".." || (leadingSlashes === 0 && parts.length === 0) || parts.at(-1) === "..") parts.push(part);
    else if (parts.length > 0) parts.pop();
  }
  const joined = "/".repeat(leadingSlashes) + parts.join("/");
  return joined === "" ? "." : joined;
}

/**
 * Checks a param, metric or tag key: allowed characters only, at most 250
 * characters, and a normalised relative path (no `..`, no leading `/`, no
 * `//`, not empty), because MLflow stores the key as a file path.
 *
 * @example
 * ```ts
 * validateKey("metric", "val/auc"); // ok
 * validateKey("metric", "../escape"); // throws INVALID_PARAMETER_VALUE
 * ```
 */
export function validateKey(kind: KeyKind, key: string): void {
  if (typeof key !== "string" || key === "") invalid(`${kind} name cannot be empty`);
  if (!KEY_PATTERN.test(key)) {
    invalid(
      `invalid ${kind} name '${key}': names may only contain letters, digits, underscores (_), dashes (-), ` +
        `periods (.), spaces ( ), colons (:) and slashes (/)`,
    );
  }
  const normalised = posixNormpath(key);
  if (normalised !== key || normalised === "." || normalised.startsWith("..") || normalised.startsWith("/")) {
    invalid(`invalid ${kind} name '${key}': names are stored as file paths and must not resolve to '${normalised}'`);
  }
  validateLength(`${kind} name`, key, LIMITS.entityKey);
}

/**
 * Checks a string value against a length limit.
 *
 * @example
 * ```ts
 * validateLength("param value", "0.5", LIMITS.paramValue); // ok
 * ```
 */
export function validateLength(what: string, value: string, limit: number): void {
  if (value.length > limit) {
    invalid(`${what} '${value.slice(0, 100)}...' has length ${value.length}, above the limit of ${limit}`);
  }
}

/**
 * Checks a run id (also used as a folder name).
 *
 * @example
 * ```ts
 * validateRunId("c705528894b5469ebd076e089e2f92ae"); // ok
 * validateRunId("../x"); // throws
 * ```
 */
export function validateRunId(runId: string): void {
  if (typeof runId !== "string" || !RUN_ID_PATTERN.test(runId)) invalid(`invalid run ID: '${runId}'`);
}

/**
 * Checks an experiment id (also used as a folder name).
 *
 * @example
 * ```ts
 * validateExperimentId("195242121511690317"); // ok
 * ```
 */
export function validateExperimentId(experimentId: string): void {
  if (typeof experimentId !== "string" || !EXPERIMENT_ID_PATTERN.test(experimentId)) {
    invalid(`invalid experiment ID: '${experimentId}'`);
  }
}

/**
 * Checks an experiment name: not empty, at most 500 characters.
 *
 * @example
 * ```ts
 * validateExperimentName("Customer_Conversion_Scorecard"); // ok
 * ```
 */
export function validateExperimentName(name: string): void {
  if (typeof name !== "string" || name.trim() === "") invalid(`invalid experiment name: '${name}'`);
  validateLength("experiment name", name, LIMITS.experimentName);
}

/**
 * Checks a logged-model id (`m-` + 32 hex digits), which is a folder name.
 *
 * @example
 * ```ts
 * validateLoggedModelId("m-d2cbb33c40c84b7584bff0a6340829a8"); // ok
 * ```
 */
export function validateLoggedModelId(modelId: string): void {
  if (typeof modelId !== "string" || !LOGGED_MODEL_ID_PATTERN.test(modelId)) {
    invalid(`invalid logged model ID: '${modelId}'`);
  }
}

/**
 * Checks a logged model's name (MLflow 3 forbids `/ : . % " '`, since the name
 * appears in `runs:/<run_id>/<name>` URIs).
 *
 * @example
 * ```ts
 * validateLoggedModelName("model_logistic"); // ok
 * validateLoggedModelName("a/b"); // throws
 * ```
 */
export function validateLoggedModelName(name: string): void {
  const forbidden = ["/", ":", ".", "%", '"', "'", "\\"];
  if (typeof name !== "string" || name === "" || forbidden.some((char) => name.includes(char))) {
    invalid(`invalid model name '${name}': it must be non-empty and cannot contain ${forbidden.join(" ")}`);
  }
}

/**
 * Checks a registered model name for use as the folder `models/<name>`:
 * not empty, no path separator, not `.` or `..`. Reads accept every name
 * MLflow ever wrote; {@link validateNewRegisteredModelName} is stricter.
 *
 * @example
 * ```ts
 * validateRegisteredModelName("customer_conversion_model"); // ok
 * validateRegisteredModelName(".."); // throws
 * ```
 */
export function validateRegisteredModelName(name: string): void {
  if (typeof name !== "string" || name === "") invalid("registered model name cannot be empty");
  if (/[/\\]/.test(name)) invalid(`invalid name '${name}': registered model name cannot contain a path separator`);
  if (name === "." || name === ".." || name.includes("\0")) invalid(`invalid registered model name '${name}'`);
}

/**
 * Checks the name of a registered model to create: as
 * {@link validateRegisteredModelName}, and no `%` or `:` (current MLflow
 * refuses both: they break model URLs and `models:/` URIs).
 *
 * @example
 * ```ts
 * validateNewRegisteredModelName("customer_conversion_model"); // ok
 * validateNewRegisteredModelName("a:b"); // throws
 * ```
 */
export function validateNewRegisteredModelName(name: string): void {
  validateRegisteredModelName(name);
  if (/[%:]/.test(name)) invalid(`invalid name '${name}': registered model name cannot contain '%' or ':'`);
}

/**
 * Checks a registry alias: letters, digits, `_` and `-`, at most 255
 * characters, and not the reserved `latest` or `v<digits>`.
 *
 * @example
 * ```ts
 * validateAliasName("champion"); // ok
 * validateAliasName("v2"); // throws
 * ```
 */
export function validateAliasName(alias: string): void {
  if (typeof alias !== "string" || alias === "") invalid("registered model alias name cannot be empty");
  if (!ALIAS_PATTERN.test(alias)) {
    invalid(`invalid alias name '${alias}': names may only contain letters, digits, underscores (_) and dashes (-)`);
  }
  validateLength("registered model alias name", alias, LIMITS.aliasName);
  if (alias.toLowerCase() === "latest") invalid("'latest' alias name (case insensitive) is reserved");
  if (/^[vV]\d+$/.test(alias)) invalid(`version alias name '${alias}' is reserved`);
}

/**
 * Checks a model version number: a positive integer (a numeric string is accepted).
 *
 * @example
 * ```ts
 * validateModelVersion("3"); // 3
 * ```
 */
export function validateModelVersion(version: number | string): number {
  const number = typeof version === "number" ? version : /^\d+$/.test(version) ? Number(version) : NaN;
  if (!Number.isSafeInteger(number) || number < 1) {
    invalid(`model version must be a positive integer, got '${version}'`);
  }
  return number;
}

/**
 * Checks and normalises an artifact path (relative, `/`-separated): no
 * absolute path, drive letter, backslash, `..` segment or NUL. Returns it
 * without `.` segments and duplicate or trailing slashes; `""` is the root.
 *
 * @example
 * ```ts
 * validateArtifactPath("plots/./roc.svg"); // "plots/roc.svg"
 * validateArtifactPath("../etc/passwd"); // throws
 * ```
 */
export function validateArtifactPath(path: string): string {
  if (typeof path !== "string") invalid(`invalid artifact path: ${path}`);
  if (path.startsWith("/") || /^[a-zA-Z]:/.test(path) || path.includes("\\") || path.includes("\0")) {
    invalid(`invalid artifact path '${path}': it must be a relative path with '/' separators`);
  }
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) invalid(`invalid artifact path '${path}': '..' is not allowed`);
  return segments.join("/");
}

function invalid(message: string): never {
  throw new TrackingError("INVALID_PARAMETER_VALUE", message);
}
