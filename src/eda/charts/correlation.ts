/**
 * A heatmap of a correlation matrix.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import type { CorrelationMatrix } from "../correlation.ts";
import { CHART_STYLE, labelMargin } from "./style.ts";

interface Cell {
  readonly a: string;
  readonly b: string;
  readonly r: number | null;
}

/**
 * Renders a {@link CorrelationMatrix} as coloured cells (blue negative, red
 * positive, white 0; grey where undefined) with the value written in each.
 *
 * @example
 * ```ts
 * const svg = correlationHeatmap({ columns: ["a", "b"], values: [[1, -0.5], [-0.5, 1]] });
 * svg.includes("-0.50"); // true
 * ```
 */
export function correlationHeatmap(matrix: CorrelationMatrix): string {
  const cells: Cell[] = matrix.columns.flatMap((a, i) =>
    matrix.columns.map((b, j) => ({ a, b, r: matrix.values[i][j] }))
  );
  const margin = labelMargin(matrix.columns, { max: 200 });
  const size = Math.max(28, Math.min(56, Math.floor(640 / Math.max(1, matrix.columns.length))));
  const side = size * matrix.columns.length;
  return renderPlot({
    width: margin + side + 20,
    height: margin + side + 10,
    marginLeft: margin,
    marginBottom: margin,
    marginTop: 10,
    style: CHART_STYLE,
    x: { label: null, domain: matrix.columns, tickRotate: -45 },
    y: { label: null, domain: matrix.columns },
    color: { type: "linear", scheme: "rdbu", domain: [-1, 1], reverse: true, unknown: "#dddddd" },
    marks: [
      Plot.cell(cells, { x: "a", y: "b", fill: "r", inset: 0.5 }),
      Plot.text(cells, {
        x: "a",
        y: "b",
        text: (cell: Cell) => (cell.r === null ? "–" : (Math.abs(cell.r) < 0.005 ? 0 : cell.r).toFixed(2)),
        fill: (cell: Cell) => (cell.r !== null && Math.abs(cell.r) > 0.6 ? "white" : "black"),
        fontSize: size < 40 ? 9 : 11,
      }),
    ],
  });
}
