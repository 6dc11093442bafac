import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { chart, charts, JUPYTER_DISPLAY, reasonsText, RichOutput, show, table } from "../../src/notebook/display.ts";

const RECORDS = [
  { name: "auc", value: 0.932889, note: null },
  { name: "rows", value: 1000, note: "all <rows>" },
  { name: "brier", value: NaN, note: "x" },
];

function cells(html: string): string[] {
  return [...html.matchAll(/<td( class="num")?>([^<]*)<\/td>/g)].map((m) => `${m[1] ? "num:" : ""}${m[2]}`);
}

Deno.test("table: numbers formatted and right-aligned, text escaped, missing values as a dash", () => {
  const html = table(RECORDS).bundle["text/html"];
  assert.match(html, /<th>name<\/th><th class="num">value<\/th><th>note<\/th>/);
  assert.deepEqual(cells(html), [
    "auc",
    "num:0.9329",
    "–",
    "rows",
    "num:1000",
    "all &lt;rows&gt;",
    "brier",
    "num:–",
    "x",
  ]);
});

Deno.test("table: aligned text fallback, caption, row limit with a count, chosen columns", () => {
  const out = table(RECORDS, { caption: "Metrics", maxRows: 2, columns: ["value", "name"] });
  assert.equal(out.bundle["text/plain"], "Metrics\nvalue   name\n0.9329  auc\n1000    rows\nshowing 2 of 3 rows");
  assert.match(out.bundle["text/html"], /<p><b>Metrics<\/b><\/p>/);
  assert.match(out.bundle["text/html"], /<p>showing 2 of 3 rows<\/p>/);
  assert.ok(!out.bundle["text/html"].includes("<th>note</th>"));
});

Deno.test("table: a polars frame and a column Table show the same cells as their records", () => {
  const frame = pl.DataFrame({ x: [1.23456, null, 3], c: ["a", "b", null] });
  const fromFrame = table(frame).bundle["text/plain"];
  const fromTable = table({
    rows: 3,
    columns: {
      x: { kind: "numeric", values: new Float64Array([1.23456, NaN, 3]) },
      c: { kind: "categorical", values: ["a", "b", null] },
    },
  }).bundle["text/plain"];
  const fromRecords = table([{ x: 1.23456, c: "a" }, { x: null, c: "b" }, { x: 3, c: null }]).bundle["text/plain"];
  assert.equal(fromFrame, "x      c\n1.235  a\n–      b\n3      –");
  assert.equal(fromTable, fromFrame);
  assert.equal(fromRecords, fromFrame);
  assert.equal(table(frame, { maxRows: 1 }).bundle["text/plain"], "x      c\n1.235  a\nshowing 1 of 3 rows");
});

Deno.test("table: dates at midnight show the day, others the time; arrays and objects are spelled out", () => {
  const out = table([{
    day: new Date("2024-03-01T00:00:00Z"),
    at: new Date("2024-03-01T05:06:07Z"),
    list: [1.23456, "b"],
    object: { a: 1 },
    flag: true,
    big: 12n,
  }]);
  assert.deepEqual(cells(out.bundle["text/html"]), [
    "2024-03-01",
    "2024-03-01 05:06:07",
    "1.235, b",
    "{&quot;a&quot;:1}",
    "true",
    "num:12",
  ]);
});

Deno.test("outputs answer the kernel's display protocol with their bundle", () => {
  const out = table([{ a: 1 }]);
  assert.ok(out instanceof RichOutput);
  assert.equal(JUPYTER_DISPLAY, Symbol.for("Jupyter.display"));
  const viaProtocol = (out as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")]();
  assert.equal(viaProtocol, out.bundle);
  assert.deepEqual(Object.keys(out.bundle).sort(), ["text/html", "text/plain"]);
});

Deno.test("chart: the markup inline as HTML; charts: captioned figures in one output", () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>';
  assert.deepEqual(chart(`  ${svg}\n`, { title: "ROC" }).bundle, { "text/html": svg, "text/plain": "[chart: ROC]" });
  assert.equal(chart(svg).bundle["text/plain"], "[chart]");
  const grid = charts({ "a<b": svg, c: "<figure>legend</figure>" });
  const html = grid.bundle["text/html"];
  assert.equal(html.match(/<figure style=/g)?.length, 2);
  assert.ok(html.includes("a&lt;b</figcaption>" + svg));
  assert.ok(html.includes("c</figcaption><figure>legend</figure>"));
  assert.equal(grid.bundle["text/plain"], "[2 charts: a<b, c]");
});

Deno.test("reasonsText: feature, formatted value or 'missing', points with one decimal", () => {
  assert.equal(
    reasonsText([
      { feature: "recency_days", value: 120.25, points: -35.04 },
      { feature: "preferred_channel", value: "store", points: -2.96 },
      { feature: "gap_mean_days", value: null, points: -0.5 },
    ]),
    "recency_days = 120.3 (−35.0); preferred_channel = store (−3.0); gap_mean_days = missing (−0.5)",
  );
  assert.equal(reasonsText([]), "");
});

Deno.test("show: outside the Jupyter kernel it rejects instead of dropping the output", async () => {
  await assert.rejects(() => show(table([{ a: 1 }])), /jupyter/);
});
