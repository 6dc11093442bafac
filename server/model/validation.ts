/**
 * Request validation: zod schemas built from the model bundle's input fields
 * (rebuilt whenever a model is loaded), and the translation of zod's issues
 * into FastAPI's `422 {"detail": [{"loc", "msg", "type"}]}` entries with
 * pydantic's error types, so clients written against the seed's FastAPI app
 * read our errors unchanged.
 *
 * Policy: `customer_id` (a string or an integer) is optional and echoed back;
 * every model field is optional (a missing or `null` value is imputed as in
 * training); numbers must be finite JSON numbers (no numeric strings), counts
 * (`nonNegative` fields) must be >= 0, categorical values must be strings (an
 * unseen level is scored like training's rare levels); any other field is
 * rejected on `/score` and `/score/batch` (a typo must not silently become a
 * missing value) and ignored on `/invocations` (MLflow's schema enforcement
 * drops extra columns).
 *
 * @module
 */
import { z } from "zod";
import type { BundleField } from "../../src/bundle/bundle.ts";

/** The request field that identifies a customer; echoed back, never scored. */
export const ID_FIELD = "customer_id";

/** One record as validated: the id and field values (`null`/absent = missing). */
export interface ScoreRecord {
  readonly [ID_FIELD]?: string | number;
  readonly [field: string]: string | number | null | undefined;
}

/** A quick yes/no check that accepts exactly what a zod schema accepts. */
export type FastCheck<T> = (value: unknown) => value is T;

/** The schemas of one loaded model. */
export interface RequestSchemas {
  /** A `/score` body: unknown fields are errors. */
  readonly record: z.ZodType<ScoreRecord>;
  /** A `/score/batch` body: 1 to `maxBatch` records. */
  readonly batch: z.ZodType<ScoreRecord[]>;
  /** One `/invocations` row: unknown columns are dropped. */
  readonly row: z.ZodType<ScoreRecord>;
  /** `record`'s rules as a plain function: the hot path; zod runs only to explain a rejection. */
  readonly isRecord: FastCheck<ScoreRecord>;
  /** `batch`'s rules as a plain function. */
  readonly isBatch: FastCheck<ScoreRecord[]>;
}

/** One FastAPI validation error entry. */
export interface ErrorDetail {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
  readonly input?: unknown;
  readonly ctx?: Readonly<Record<string, unknown>>;
}

/**
 * Builds the request schemas for a model's input fields.
 *
 * @example
 * ```ts
 * const schemas = requestSchemas([{ name: "frequency", kind: "numeric", nonNegative: true, reference: 5 }], {
 *   maxBatch: 100,
 * });
 * schemas.record.safeParse({ customer_id: 7, frequency: -1 }).success; // false
 * ```
 */
export function requestSchemas(fields: readonly BundleField[], { maxBatch }: { maxBatch: number }): RequestSchemas {
  const shape: Record<string, z.ZodType> = {
    [ID_FIELD]: z.union([z.string().min(1).max(256), z.int()]).optional()
      .meta({ description: "The customer's id, echoed back in the answer (not used for scoring)." }),
  };
  for (const field of fields) shape[field.name] = fieldSchema(field);
  const record = z.strictObject(shape) as unknown as z.ZodType<ScoreRecord>;
  const isRecord = recordCheck(fields);
  return {
    record,
    batch: z.array(record).min(1).max(maxBatch),
    row: z.object(shape) as unknown as z.ZodType<ScoreRecord>,
    isRecord,
    isBatch: (value): value is ScoreRecord[] =>
      Array.isArray(value) && value.length >= 1 && value.length <= maxBatch && value.every(isRecord),
  };
}

// zod costs a few microseconds per record, a tenth of a whole /score request; this check costs a fraction of that.
// Its rules must stay those of `fieldSchema` and the id schema; a test compares both on many generated records.
function recordCheck(fields: readonly BundleField[]): FastCheck<ScoreRecord> {
  const kinds = new Map<string, "number" | "count" | "string">();
  for (const field of fields) {
    kinds.set(field.name, field.kind === "categorical" ? "string" : field.nonNegative ? "count" : "number");
  }
  return (value): value is ScoreRecord => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const v = (value as Record<string, unknown>)[key];
      if (key === ID_FIELD) {
        if (v === undefined) continue;
        if (typeof v === "string" ? v.length < 1 || v.length > 256 : !Number.isSafeInteger(v)) return false;
        continue;
      }
      const kind = kinds.get(key);
      if (kind === undefined) return false;
      if (v === null || v === undefined) continue;
      if (kind === "string" ? typeof v !== "string" : typeof v !== "number" || !Number.isFinite(v)) return false;
      if (kind === "count" && (v as number) < 0) return false;
    }
    return Object.getPrototypeOf(value) === Object.prototype;
  };
}

function fieldSchema(field: BundleField): z.ZodType {
  if (field.kind === "categorical") {
    return z.string().nullable().optional().meta({
      description: field.description ?? field.name,
      ...(field.levels ? { examples: [...field.levels] } : {}),
    });
  }
  const number = field.nonNegative ? z.number().min(0) : z.number();
  return number.nullable().optional().meta({
    description: field.description ?? field.name,
    ...(field.min !== undefined && field.max !== undefined
      ? { examples: [field.reference ?? field.min], "x-training-range": [field.min, field.max] }
      : {}),
  });
}

/**
 * FastAPI error entries for zod issues, each located under `root` (e.g.
 * `["body"]`), with the offending input value when it is a scalar.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * const result = z.strictObject({ a: z.number() }).safeParse({ a: "x", b: 1 });
 * issueDetails(result.error!.issues, ["body"], { a: "x", b: 1 });
 * // [{ loc: ["body", "a"], msg: "Input should be a valid number", type: "float_type", input: "x" },
 * //  { loc: ["body", "b"], msg: "Extra inputs are not permitted", type: "extra_forbidden", input: 1 }]
 * ```
 */
export function issueDetails(
  issues: readonly z.core.$ZodIssue[],
  root: readonly (string | number)[],
  input: unknown,
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((key): key is string | number => typeof key !== "symbol");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const loc = [...path, key];
        details.push(
          withInput(
            { loc: [...root, ...loc], msg: "Extra inputs are not permitted", type: "extra_forbidden" },
            input,
            loc,
          ),
        );
      }
      continue;
    }
    const { msg, type, ctx } = describeIssue(issue, valueAt(input, path));
    details.push(withInput({ loc: [...root, ...path], msg, type, ...(ctx ? { ctx } : {}) }, input, path));
  }
  return details;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  value: unknown,
): { msg: string; type: string; ctx?: Record<string, unknown> } {
  // Only the id is an integer field; JSON numbers beyond 2^53 lose digits, so such ids must come as text.
  if ((issue.code === "too_big" || issue.code === "too_small") && issue.origin === "int") {
    return {
      msg: `Input should be a string or a safe integer (at most ${Number.MAX_SAFE_INTEGER} in magnitude): ` +
        "send a longer id as a string",
      type: "union_type",
    };
  }
  switch (issue.code) {
    case "invalid_type":
      return invalidType(issue.expected, value);
    case "invalid_union":
      return { msg: "Input should be a valid string or integer", type: "union_type" };
    case "too_small":
      if (issue.origin === "array") {
        const n = Array.isArray(value) ? value.length : 0;
        return {
          msg: `List should have at least ${issue.minimum} item${
            issue.minimum === 1 ? "" : "s"
          } after validation, not ${n}`,
          type: "too_short",
          ctx: { field_type: "List", min_length: Number(issue.minimum), actual_length: n },
        };
      }
      if (issue.origin === "string") {
        return { msg: `String should have at least ${issue.minimum} character`, type: "string_too_short" };
      }
      return {
        msg: `Input should be greater than or equal to ${issue.minimum}`,
        type: "greater_than_equal",
        ctx: { ge: Number(issue.minimum) },
      };
    case "too_big":
      if (issue.origin === "array") {
        const n = Array.isArray(value) ? value.length : 0;
        return {
          msg: `List should have at most ${issue.maximum} items after validation, not ${n}`,
          type: "too_long",
          ctx: { field_type: "List", max_length: Number(issue.maximum), actual_length: n },
        };
      }
      return { msg: `String should have at most ${issue.maximum} characters`, type: "string_too_long" };
    default:
      return { msg: issue.message, type: issue.code };
  }
}

function invalidType(expected: string, value: unknown): { msg: string; type: string } {
  switch (expected) {
    case "number":
      return typeof value === "number"
        ? { msg: "Input should be a finite number", type: "finite_number" }
        : { msg: "Input should be a valid number", type: "float_type" };
    case "string":
      return { msg: "Input should be a valid string", type: "string_type" };
    case "int":
      return { msg: "Input should be a valid integer", type: "int_type" };
    case "array":
      return { msg: "Input should be a valid list", type: "list_type" };
    case "object":
      return {
        msg: "Input should be a valid dictionary or object to extract fields from",
        type: "model_attributes_type",
      };
    default:
      return { msg: `Input should be a valid ${expected}`, type: `${expected}_type` };
  }
}

function withInput(detail: ErrorDetail, input: unknown, path: readonly (string | number)[]): ErrorDetail {
  const value = valueAt(input, path);
  const scalar = value === null || ["string", "number", "boolean"].includes(typeof value);
  // JSON cannot carry NaN or Infinity, so the offending value is echoed as text.
  const shown = typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
  return scalar ? { ...detail, input: shown } : detail;
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
