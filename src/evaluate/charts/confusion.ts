/**
 * Confusion-matrix heatmap.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import type { ConfusionMatrix } from "../confusion.ts";

/**
 * A 2 × 2 heatmap (actual by predicted) with each cell's count and its share
 * of the actual class.
 *
 * @example
 * ```ts
 * confusionChart({ threshold: 0.5, tp: 40, fp: 10, tn: 45, fn: 5 }).includes("40"); // true
 * ```
 */
export function confusionChart(matrix: ConfusionMatrix, labels: { negative?: string; positive?: string } = {}): string {
  const negative = labels.negative ?? "0", positive = labels.positive ?? "1";
  const actualNeg = matrix.tn + matrix.fp, actualPos = matrix.tp + matrix.fn;
  const share = (count: number, total: number) => total === 0 ? 0 : count / total;
  const cells = [
    { actual: negative, predicted: negative, count: matrix.tn, share: share(matrix.tn, actualNeg) },
    { actual: negative, predicted: positive, count: matrix.fp, share: share(matrix.fp, actualNeg) },
    { actual: positive, predicted: negative, count: matrix.fn, share: share(matrix.fn, actualPos) },
    { actual: positive, predicted: positive, count: matrix.tp, share: share(matrix.tp, actualPos) },
  ];
  return renderPlot({
    width: 360,
    height: 300,
    marginLeft: 70,
    marginBottom: 50,
    padding: 0.04,
    x: { label: `Predicted (threshold ${matrix.threshold.toPrecision(3)})`, domain: [negative, positive] },
    y: { label: "Actual", domain: [negative, positive] },
    color: { type: "linear", domain: [0, 1], scheme: "blues" },
    marks: [
      Plot.cell(cells, { x: "predicted", y: "actual", fill: "share" }),
      Plot.text(cells, {
        x: "predicted",
        y: "actual",
        text: (d: { count: number; share: number }) =>
          `${d.count.toLocaleString("en-US")}\n${(100 * d.share).toFixed(1)}%`,
        fill: (d: { share: number }) => d.share > 0.5 ? "white" : "black",
        fontSize: 14,
        lineHeight: 1.3,
      }),
    ],
  });
}
