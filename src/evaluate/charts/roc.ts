/**
 * ROC chart of one or more models.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import { legendMarks } from "./legend.ts";
import type { RocCurve } from "../roc.ts";
import { thinIndices } from "./thin.ts";

/**
 * One model's curve on a {@link rocChart}.
 */
export interface RocSeries {
  readonly name: string;
  readonly curve: RocCurve;
  /** Shown beside the name when given. */
  readonly auc?: number;
}

/**
 * True-positive rate against false-positive rate, with the chance diagonal;
 * each curve is labelled at its end with its name and AUC.
 *
 * @example
 * ```ts
 * import { rocCurve } from "../roc.ts";
 * const curve = rocCurve(new Float64Array([0.1, 0.4, 0.35, 0.8]), new Uint8Array([0, 0, 1, 1]));
 * rocChart([{ name: "model", curve, auc: 0.75 }]).startsWith("<svg"); // true
 * ```
 */
export function rocChart(series: readonly RocSeries[]): string {
  const points = series.flatMap(({ name, curve, auc }) => {
    const label = auc === undefined ? name : `${name} (AUC ${auc.toFixed(3)})`;
    return thinIndices(curve.fpr.length, 400).map((k) => ({ label, fpr: curve.fpr[k], tpr: curve.tpr[k] }));
  });
  const labels = [...new Set(points.map((p) => p.label))];
  return renderPlot({
    width: 480,
    height: 440,
    marginRight: 20,
    x: { label: "False-positive rate", domain: [0, 1], grid: true },
    y: { label: "True-positive rate", domain: [0, 1], grid: true },
    color: { domain: labels, scheme: "tableau10" },
    marks: [
      Plot.line([[0, 0], [1, 1]], { stroke: "#999", strokeDasharray: "4 4" }),
      Plot.line(points, { x: "fpr", y: "tpr", stroke: "label", strokeWidth: 2 }),
      ...legendMarks(labels, "bottom-right"),
    ],
  });
}
