/**
 * An in-plot legend drawn with text marks. Plot's own legends wrap the chart
 * in an HTML `<figure>`; drawing the names inside the frame keeps every
 * chart a self-contained SVG.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";

/**
 * One text mark per name, stacked from a corner of the frame, coloured
 * through the chart's color scale.
 *
 * @example
 * ```ts
 * legendMarks(["train", "test"], "top-left").length; // 2
 * ```
 */
export function legendMarks(
  names: readonly string[],
  corner: "top-left" | "top-right" | "bottom-right",
): Plot.Markish[] {
  const bottom = corner === "bottom-right";
  return names.map((name, i) =>
    Plot.text([name], {
      frameAnchor: corner,
      dx: corner === "top-left" ? 6 : -6,
      dy: bottom ? -6 - 16 * (names.length - 1 - i) : 6 + 16 * i,
      text: (d: string) => d,
      fill: (d: string) => d,
      fontSize: 12,
    })
  );
}
