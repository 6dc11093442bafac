/**
 * Renders Observable Plot charts outside a browser: Plot builds its DOM in
 * linkedom's `document`, and we serialise the result to an SVG (or HTML
 * `<figure>`, when the chart has a title or legend) string.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

type PlotDocument = NonNullable<Plot.PlotOptions["document"]>;

/**
 * A fresh linkedom document for Plot's `document` option (no DOM lib in Deno,
 * hence the cast; see docs on the linkedom typing trap).
 */
function plotDocument(): PlotDocument {
  const window = parseHTML("<!doctype html><html><body></body></html>") as unknown as { document: PlotDocument };
  return window.document;
}

/**
 * Renders a chart to markup. With a title, subtitle or legend Plot returns a
 * `<figure>` wrapping the `<svg>`; the markup is self-contained either way
 * (inline styles, no scripts, no network).
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * const svg = renderPlot({ marks: [Plot.barY([3, 1, 2])] });
 * svg.startsWith("<svg"); // true
 * ```
 */
export function renderPlot(options: Omit<Plot.PlotOptions, "document">): string {
  const element = Plot.plot({ ...options, document: plotDocument() }) as unknown as { outerHTML: string };
  const markup = element.outerHTML;
  return markup.startsWith("<svg") && !markup.includes('xmlns="http://www.w3.org/2000/svg"')
    ? markup.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"')
    : markup;
}
