/**
 * The envelope every fitted step's JSON carries (`type` tag and format
 * `version`), and the check that reading it back starts with, so that a
 * bundle from another step or a newer format fails with a clear message
 * instead of transforming wrongly.
 *
 * @module
 */
import { DataError } from "../data/errors.ts";

/** The tagged, versioned envelope of a step's JSON form. */
export interface StepEnvelope<Type extends string> {
  readonly type: Type;
  readonly version: number;
}

/**
 * Returns `json` as an object after checking its `type` tag and `version`.
 *
 * @example
 * ```ts
 * const json = expectStep({ type: "scaler", version: 1, entries: [] }, "scaler", 1);
 * json.entries; // []
 * ```
 */
export function expectStep<Type extends string>(
  json: unknown,
  type: Type,
  version: number,
): StepEnvelope<Type> & Record<string, unknown> {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new DataError(`expected the JSON object of a fitted "${type}" step`, { value: typeof json });
  }
  const object = json as Record<string, unknown>;
  if (object.type !== type) {
    throw new DataError(`expected a fitted "${type}" step, got type ${JSON.stringify(object.type)}`);
  }
  if (object.version !== version) {
    throw new DataError(
      `"${type}" format version ${JSON.stringify(object.version)} is not supported (expected ${version})`,
    );
  }
  return object as StepEnvelope<Type> & Record<string, unknown>;
}

/**
 * The array field `name` of a step's JSON, or a clear error.
 *
 * @example
 * ```ts
 * arrayField({ type: "scaler", entries: [1] }, "entries"); // [1]
 * ```
 */
export function arrayField<T>(json: Record<string, unknown>, name: string): T[] {
  const value = json[name];
  if (!Array.isArray(value)) {
    throw new DataError(`fitted "${String(json.type)}" step: field "${name}" must be an array`);
  }
  return value as T[];
}
