import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { barChart } from "../../src/evaluate/charts/bars.ts";
import { calibrationChart } from "../../src/evaluate/charts/calibration.ts";
import { confusionChart } from "../../src/evaluate/charts/confusion.ts";
import { ksChart } from "../../src/evaluate/charts/ks.ts";
import { rocChart } from "../../src/evaluate/charts/roc.ts";
import { scoreDistributionChart } from "../../src/evaluate/charts/score_distribution.ts";
import { thinIndices } from "../../src/evaluate/charts/thin.ts";
import { calibrationTable } from "../../src/evaluate/calibration.ts";
import { scoreCurve } from "../../src/evaluate/curve.ts";
import { rocCurve } from "../../src/evaluate/roc.ts";
import { createRandom } from "../../src/stats/random.ts";

const random = createRandom(12);
const p = Float64Array.from({ length: 5000 }, () => random.next());
const y = Uint8Array.from(p, (v) => random.next() < v ? 1 : 0);

/** Parses the markup and returns its root element plus all text. */
function svgOf(markup: string) {
  assert.ok(markup.startsWith("<svg") && markup.endsWith("</svg>"), "a bare SVG, not a <figure>");
  const { document } = parseHTML(`<!doctype html><html><body>${markup}</body></html>`) as unknown as {
    document: { querySelector(s: string): { textContent: string; querySelectorAll(s: string): unknown[] } };
  };
  return document.querySelector("svg");
}

Deno.test("charts: ROC and KS show their labels and stay small on thousands of points", () => {
  const roc = svgOf(rocChart([{ name: "gbt", curve: rocCurve(p, y), auc: 0.8123 }]));
  assert.match(roc.textContent, /gbt \(AUC 0\.812\)/);
  assert.match(roc.textContent, /False-positive rate/);
  const ks = ksChart(scoreCurve(p, y));
  assert.match(svgOf(ks).textContent, /KS 0\.\d{3} at/);
  assert.ok(ks.length < 60_000, `${ks.length} characters`);
});

Deno.test("charts: calibration, confusion, distribution and bars render their data", () => {
  const calibration = svgOf(calibrationChart([{ name: "model", table: calibrationTable(p, y) }]));
  assert.equal(calibration.querySelectorAll("circle").length, 10);
  const confusion = svgOf(confusionChart({ threshold: 0.5, tp: 1234, fp: 56, tn: 789, fn: 10 }));
  assert.match(confusion.textContent, /1,234/);
  assert.equal(confusion.querySelectorAll("rect").length, 4);
  const distribution = svgOf(scoreDistributionChart(p, y, { bins: 20 }));
  assert.equal(distribution.querySelectorAll("rect").length, 40);
  const bars = svgOf(barChart([{ name: "small", value: 0.1 }, { name: "big", value: -2 }, { name: "mid", value: 1 }], {
    top: 2,
  }));
  assert.match(bars.textContent, /big.*mid/s);
  assert.doesNotMatch(bars.textContent, /small/);
});

Deno.test("thinIndices: keeps the ends and the requested point", () => {
  assert.deepEqual(thinIndices(5, 10), [0, 1, 2, 3, 4]);
  assert.deepEqual(thinIndices(101, 3, 7), [0, 7, 50, 100]);
});
