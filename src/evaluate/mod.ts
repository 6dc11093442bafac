/**
 * The evaluation layer: metrics (ROC AUC, Gini, KS, log loss, Brier, average
 * precision, confusion matrix, calibration table, PSI), threshold choice,
 * cross-validation with selection, and Observable Plot charts as SVG strings.
 *
 * @example
 * ```ts
 * import { binaryReport } from "./mod.ts";
 * binaryReport(new Float64Array([0.1, 0.4, 0.35, 0.8]), new Uint8Array([0, 0, 1, 1])).auc; // 0.75
 * ```
 *
 * @module
 */
export * from "./average_precision.ts";
export * from "./brier.ts";
export * from "./calibration.ts";
export * from "./confusion.ts";
export * from "./cross_validate.ts";
export * from "./curve.ts";
export * from "./ks.ts";
export * from "./log_loss.ts";
export * from "./psi.ts";
export * from "./report.ts";
export * from "./roc.ts";
export * from "./threshold.ts";
export * from "./charts/bars.ts";
export * from "./charts/calibration.ts";
export * from "./charts/confusion.ts";
export * from "./charts/ks.ts";
export * from "./charts/roc.ts";
export * from "./charts/score_distribution.ts";
