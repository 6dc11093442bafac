import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import pl from "nodejs-polars";
import { analyzeFrame } from "../../src/eda/analyze.ts";
import { ivChart } from "../../src/eda/charts/iv.ts";
import { renderEdaReport } from "../../src/eda/report.ts";

interface Node {
  readonly outerHTML: string;
  readonly textContent: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<Node>;
  querySelector(selector: string): Node | null;
}

/** The matches as a real array (linkedom's NodeList maps to another NodeList). */
function all(node: Node, selector: string): Node[] {
  return [...node.querySelectorAll(selector)];
}

function parse(html: string): Node {
  return (parseHTML(html) as unknown as { document: Node }).document;
}

const FRAME = pl.DataFrame({
  customer_id: [1, 2, 3, 4, 5, 6, 7, 8],
  x: [1.5, 2.5, null, 4, 8, 9, 10, 30],
  c: ["web", "app", "web", null, "store", "web", "app", "web"],
  y: [0, 0, 1, 0, 1, 1, 1, 1],
});

function report(title = "Demo <report>") {
  const analysis = analyzeFrame(FRAME, { target: { column: "y", y: new Uint8Array([0, 0, 1, 0, 1, 1, 1, 1]) } });
  return renderEdaReport(analysis, {
    title,
    source: "data/demo.csv",
    iv: [{ feature: "x", iv: 0.8 }, { feature: "c", iv: 0.05 }],
    ivMethod: "monotonic binning",
  });
}

Deno.test("the report has every section, each chart as an inline SVG figure with a caption", () => {
  const html = report();
  const document = parse(html);
  const sections = all(document, "section").map((section) => section.getAttribute("id"));
  assert.deepEqual(sections, [
    "overview",
    "columns",
    "missing",
    "distributions",
    "outliers",
    "correlation",
    "target",
    "iv",
  ]);
  const captions = (id: string) => all(document, `section#${id} figcaption`).map((c) => c.textContent);
  assert.deepEqual(captions("missing"), ["Share of missing values per column"]);
  assert.deepEqual(captions("distributions"), ["x (1 missing)", "c: 3 most frequent of 3 labels"]);
  assert.deepEqual(captions("correlation"), ["Pearson correlation (pairwise complete rows)"]);
  assert.deepEqual(captions("target"), ["x", "c"]);
  assert.deepEqual(captions("iv"), ["Information Value per column"]);
  for (const figure of all(document, "main figure")) {
    // The chart's own <svg> has a viewBox (legend swatches are small unscaled SVGs).
    const svg = all(figure, "svg").find((element) => element.getAttribute("viewBox") !== null);
    assert.ok(svg !== undefined, "every figure holds a chart SVG");
    assert.match(svg.getAttribute("viewBox")!, /^0 0 \d+ \d+$/);
    assert.ok(all(svg, "rect, text, line, path").length > 0, "the SVG draws something");
  }
  assert.equal(html.split("<svg").length, html.split("</svg>").length, "every <svg> is closed");
});

Deno.test("the report is self-contained and escapes text", () => {
  const html = report();
  assert.ok(html.startsWith("<!doctype html>"));
  assert.ok(!/<script|<link|<img|@import|url\(/i.test(html), "no scripts, stylesheets, images or imports");
  const urls = [...html.matchAll(/https?:\/\/[^"'\s)]+/g)].map((match) => match[0]);
  assert.deepEqual([...new Set(urls)], ["http://www.w3.org/2000/svg"], "no URL but the SVG namespace");
  assert.ok(html.includes("<title>Demo &lt;report&gt;</title>"));
  const document = parse(html);
  assert.match(document.querySelector("section#overview")!.textContent, /62\.5% \(5\)\s*target rate \(y\)/);
  assert.match(document.querySelector("section#overview")!.textContent, /customer_id/);
  const numeric = all(document, "section#columns table")[0].textContent;
  assert.match(numeric, /x\s*Float64\s*7\s*12\.5%\s*7\s*9\.286/, "the x row: count, missing, distinct, mean");
});

Deno.test("sections without data say so instead of drawing empty charts", () => {
  const frame = pl.DataFrame({ x: [1, 2, 3] });
  const html = renderEdaReport(analyzeFrame(frame));
  const document = parse(html);
  assert.deepEqual(
    all(document, "section").map((section) => section.getAttribute("id")),
    ["overview", "columns", "missing", "distributions", "outliers", "correlation"],
  );
  assert.match(document.querySelector("section#missing")!.textContent, /No column has missing values/);
  assert.match(document.querySelector("section#correlation")!.textContent, /Fewer than two numeric columns/);
});

Deno.test("the IV chart draws any {feature, iv} table, highest first", () => {
  const html = ivChart([{ feature: "low", iv: 0.01 }, { feature: "high", iv: 0.6 }, { feature: "mid", iv: 0.2 }]);
  const labels = all(parse(html), "g[aria-label='y-axis tick label'] text").map((text) => text.textContent);
  assert.deepEqual(labels, ["high", "mid", "low"]);
  assert.ok(html.includes("suspicious (&gt; 0.5)") || html.includes("suspicious (> 0.5)"));
});
