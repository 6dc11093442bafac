/**
 * Horizontal bars for per-feature values: coefficients, importances, IV.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";

/**
 * One bar.
 */
export interface Bar {
  readonly name: string;
  readonly value: number;
}

/**
 * The `top` bars with the largest absolute value (default 20), largest
 * first, coloured by sign.
 *
 * @example
 * ```ts
 * barChart([{ name: "PageValues", value: 1.56 }, { name: "ExitRates", value: -0.83 }], { label: "Coefficient" })
 *   .includes("PageValues"); // true
 * ```
 */
export function barChart(bars: readonly Bar[], options: { label?: string; top?: number } = {}): string {
  const shown = [...bars].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, options.top ?? 20);
  const longest = Math.max(4, ...shown.map((b) => b.name.length));
  return renderPlot({
    width: 640,
    height: 40 + 22 * shown.length,
    marginLeft: Math.min(260, 12 + 7 * longest),
    x: { label: options.label ?? "Value", grid: true },
    y: { label: null, domain: shown.map((b) => b.name) },
    color: { domain: [false, true], range: ["#d62728", "#1f77b4"] },
    marks: [
      Plot.barX(shown, { x: "value", y: "name", fill: (d: Bar) => d.value >= 0 }),
      Plot.ruleX([0]),
    ],
  });
}
