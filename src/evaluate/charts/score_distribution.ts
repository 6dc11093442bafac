/**
 * Score distribution by class.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import { legendMarks } from "./legend.ts";
import { checkScored } from "../check.ts";

/**
 * Overlaid histograms of the scores of each class, each normalised to its
 * class size (so a rare positive class is still visible). Bins are counted
 * here, so Plot receives a few dozen rectangles, not every row.
 *
 * @example
 * ```ts
 * const svg = scoreDistributionChart(new Float64Array([0.1, 0.2, 0.8, 0.9]), new Uint8Array([0, 0, 1, 1]));
 * svg.startsWith("<svg"); // true
 * ```
 */
export function scoreDistributionChart(
  scores: Float64Array,
  labels: Uint8Array,
  options: { bins?: number; scoreLabel?: string; classNames?: readonly [string, string] } = {},
): string {
  checkScored(scores, labels);
  const bins = options.bins ?? 30;
  const names = options.classNames ?? ["negatives", "positives"];
  let min = Infinity, max = -Infinity;
  for (const s of scores) [min, max] = [Math.min(min, s), Math.max(max, s)];
  const width = max > min ? (max - min) / bins : 1;
  const counts = [new Float64Array(bins), new Float64Array(bins)];
  const totals = [0, 0];
  for (let i = 0; i < scores.length; i++) {
    counts[labels[i]][Math.min(bins - 1, Math.floor((scores[i] - min) / width))]++;
    totals[labels[i]]++;
  }
  const rects = counts.flatMap((c, label) =>
    Array.from(c, (count, b) => ({
      class: names[label],
      x1: min + b * width,
      x2: min + (b + 1) * width,
      share: totals[label] === 0 ? 0 : count / totals[label],
    }))
  );
  // A step line needs the last bin's right edge as a point of its own.
  const outline = rects.flatMap((r, k) => {
    const point = { class: r.class, x: r.x1, share: r.share };
    return k % bins === bins - 1 ? [point, { ...point, x: r.x2 }] : [point];
  });
  return renderPlot({
    width: 560,
    height: 340,
    x: { label: options.scoreLabel ?? "Score" },
    y: { label: "Share of class", grid: true },
    color: { domain: names, range: ["#1f77b4", "#d62728"] },
    marks: [
      Plot.rectY(rects, { x1: "x1", x2: "x2", y: "share", fill: "class", fillOpacity: 0.3, inset: 0 }),
      // Outlines keep each class readable where the translucent bars overlap.
      Plot.lineY(outline, { x: "x", y: "share", z: "class", stroke: "class", curve: "step-after", strokeWidth: 1.5 }),
      Plot.ruleY([0]),
      ...legendMarks(names, "top-right"),
    ],
  });
}
