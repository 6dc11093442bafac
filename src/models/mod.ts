/**
 * The modelling layer: candidates sharing one {@link Classifier} shape
 * (`ml-logistic-regression`, a converging logistic regression, histogram
 * gradient-boosted trees), probability calibration, scorecard points scaling,
 * seeded stratified splits and JSON round trips.
 *
 * @example
 * ```ts
 * import { fitLogistic, modelFromJSON } from "./mod.ts";
 * const X = { rows: 4, cols: 1, names: ["x"], data: new Float64Array([-2, -1, 1, 2]) };
 * const model = fitLogistic(X, new Uint8Array([0, 1, 0, 1]));
 * modelFromJSON(JSON.parse(JSON.stringify(model))).predictProba(X);
 * ```
 *
 * @module
 */
export * from "../stats/bin_edges.ts";
export * from "./calibration.ts";
export * from "./classifier.ts";
export * from "./from_json.ts";
export * from "./gbt/model.ts";
export * from "./gradient_boosting.ts";
export * from "./linear.ts";
export * from "./link.ts";
export * from "./logistic.ts";
export * from "./ml_logistic.ts";
export * from "./points.ts";
export * from "./split.ts";
