/**
 * Rebuilds any fitted model from its JSON form (the model bundle stores
 * models as JSON), validating the document first so that a corrupted or
 * hand-edited bundle fails with the field at fault rather than scoring wrong.
 *
 * @module
 */
import { z } from "zod";
import { CalibratedModel } from "./calibration.ts";
import type { FittedClassifier } from "./classifier.ts";
import { GradientBoostingModel } from "./gbt/model.ts";
import { LinearModel } from "./linear.ts";
import { DataError } from "../data/errors.ts";

const numbers = z.array(z.number());
const integers = z.array(z.int());

const linearSchema = z.object({
  kind: z.enum(["logistic", "ml-logistic"]),
  version: z.literal(1),
  names: z.array(z.string()),
  intercept: z.number(),
  coefficients: numbers,
  fit: z.record(z.string(), z.unknown()),
});

const gbtSchema = z.object({
  kind: z.literal("gbt"),
  version: z.literal(1),
  names: z.array(z.string()),
  baseScore: z.number(),
  roots: integers,
  feature: integers,
  threshold: numbers,
  left: integers,
  missingLeft: z.array(z.union([z.literal(0), z.literal(1)])),
  value: numbers,
  gain: numbers,
  fit: z.object({
    trees: z.int(),
    earlyStopped: z.boolean(),
    validationLoss: z.number().nullable(),
    validationRows: z.int(),
    params: z.record(z.string(), z.number()),
  }),
});

const calibratedSchema = z.object({
  kind: z.literal("calibrated"),
  version: z.literal(1),
  calibration: z.object({ method: z.enum(["prior", "platt"]), slope: z.number(), intercept: z.number() }),
  base: z.looseObject({ kind: z.string() }),
});

function parse<T>(schema: z.ZodType<T>, json: unknown, kind: string): T {
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new DataError(`model JSON (${kind}): ${z.prettifyError(result.error).replaceAll("\n", "; ")}`);
  }
  return result.data;
}

/**
 * Turns `model.toJSON()` (or its `JSON.parse`d text) back into a model that
 * predicts identically.
 *
 * @example
 * ```ts
 * import { LinearModel } from "./linear.ts";
 * const model = new LinearModel("logistic", ["x"], 0.5, new Float64Array([2]), {});
 * modelFromJSON(JSON.parse(JSON.stringify(model))).rowLogOdds([1]); // 2.5
 * ```
 */
export function modelFromJSON(json: unknown): FittedClassifier {
  const kind = typeof json === "object" && json !== null && "kind" in json ? String(json.kind) : undefined;
  switch (kind) {
    case "logistic":
    case "ml-logistic": {
      const m = parse(linearSchema, json, kind);
      return new LinearModel(m.kind, m.names, m.intercept, Float64Array.from(m.coefficients), m.fit);
    }
    case "gbt": {
      const m = parse(gbtSchema, json, kind);
      const trees = {
        roots: Int32Array.from(m.roots),
        feature: Int32Array.from(m.feature),
        threshold: Float64Array.from(m.threshold),
        left: Int32Array.from(m.left),
        missingLeft: Uint8Array.from(m.missingLeft),
        value: Float64Array.from(m.value),
        gain: Float64Array.from(m.gain),
      };
      return new GradientBoostingModel(m.names, m.baseScore, trees, m.fit);
    }
    case "calibrated": {
      const m = parse(calibratedSchema, json, kind);
      return new CalibratedModel(modelFromJSON(m.base), m.calibration);
    }
    default:
      throw new DataError(
        `model JSON: unknown kind ${kind ?? "(missing)"}; expected logistic, ml-logistic, gbt or calibrated`,
      );
  }
}
