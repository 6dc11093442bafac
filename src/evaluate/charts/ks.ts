/**
 * KS chart: the share of each class at or above every score threshold, with
 * the largest gap (the KS statistic) marked.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import { legendMarks } from "./legend.ts";
import type { ScoreCurve } from "../curve.ts";
import { ksFromCurve } from "../ks.ts";
import { thinIndices } from "./thin.ts";

/**
 * Plots TPR (positives scoring ≥ t) and FPR (negatives scoring ≥ t) against
 * the threshold t, with a rule where TPR − FPR is largest.
 *
 * @example
 * ```ts
 * import { scoreCurve } from "../curve.ts";
 * const curve = scoreCurve(new Float64Array([0.1, 0.4, 0.35, 0.8]), new Uint8Array([0, 0, 1, 1]));
 * ksChart(curve).includes("KS 0.500"); // true
 * ```
 */
export function ksChart(curve: ScoreCurve, options: { scoreLabel?: string } = {}): string {
  const { ks, threshold } = ksFromCurve(curve);
  const at = curve.thresholds.indexOf(threshold);
  const rows = thinIndices(curve.thresholds.length, 400, at).flatMap((k) => [
    { score: curve.thresholds[k], share: curve.tp[k] / curve.positives, class: "positives" },
    { score: curve.thresholds[k], share: curve.fp[k] / curve.negatives, class: "negatives" },
  ]);
  const tpr = curve.tp[at] / curve.positives, fpr = curve.fp[at] / curve.negatives;
  return renderPlot({
    width: 560,
    height: 380,
    x: { label: options.scoreLabel ?? "Score threshold", grid: true },
    y: { label: "Share of class scoring ≥ threshold", domain: [0, 1], grid: true },
    color: { domain: ["positives", "negatives"], range: ["#d62728", "#1f77b4"] },
    marks: [
      Plot.line(rows, { x: "score", y: "share", stroke: "class", strokeWidth: 2, curve: "step-before" }),
      Plot.ruleX([threshold], { y1: fpr, y2: tpr, stroke: "black", strokeWidth: 2 }),
      Plot.text([{ x: threshold, y: (tpr + fpr) / 2 }], {
        x: "x",
        y: "y",
        text: () => `KS ${ks.toFixed(3)} at ${threshold.toPrecision(3)}`,
        textAnchor: "start",
        dx: 6,
        fontSize: 12,
      }),
      ...legendMarks(["positives", "negatives"], "top-right"),
    ],
  });
}
