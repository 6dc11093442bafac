import assert from "node:assert/strict";
import type { Table } from "../../src/data/table.ts";
import { type DriftBundle, DriftMonitor, driftStatus } from "../../src/ops/drift.ts";
import { driftHtml } from "../../src/ops/drift_html.ts";
import { driftTable } from "../../src/ops/drift_table.ts";

const close = (actual: number | null, expected: number, tolerance = 1e-7) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

const BUNDLE: DriftBundle = {
  candidate: "test",
  fields: [
    { name: "x", kind: "numeric", min: 0, max: 100, reference: 5 },
    { name: "c", kind: "categorical", levels: ["a", "b"], reference: "a" },
  ],
  scoreReference: { edges: [0.5], shares: [0.5, 0.5] },
  featureReference: [
    { name: "x", kind: "numeric", edges: [10], shares: [0.5, 0.3], missing: 0.2 },
    { name: "c", kind: "categorical", groups: [["a"], ["b"]], shares: [0.6, 0.4], missing: 0 },
  ],
};

const BATCH: Table = {
  rows: 10,
  columns: {
    x: { kind: "numeric", values: new Float64Array([1, 2, 3, 4, 5, 6, 7, 50, 200, NaN]) },
    c: { kind: "categorical", values: ["a", "a", "a", "a", "a", "b", "b", "b", "z", null] },
  },
};
const PROBABILITY = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.1, 0.9, 0.8, 0.7]);

function slice(table: Table, from: number, to: number): Table {
  const columns: Record<string, Table["columns"][string]> = {};
  for (const [name, column] of Object.entries(table.columns)) {
    columns[name] = column.kind === "numeric"
      ? { kind: "numeric", values: column.values.slice(from, to) }
      : { kind: "categorical", values: column.values.slice(from, to) };
  }
  return { rows: to - from, columns };
}

Deno.test("drift figures of a known batch match the hand computation", () => {
  const monitor = new DriftMonitor(BUNDLE);
  monitor.add(BATCH, PROBABILITY);
  const report = monitor.report({ uri: "bundle.json", path: "bundle.json" }, "batch.csv");
  assert.equal(report.rows, 10);
  // Score: 7 of 10 at or below 0.5 against 5 of 10 in training.
  close(report.score.psi, 0.2 * Math.log(1.4) + 0.2 * Math.log(5 / 3));
  assert.equal(report.score.status, "warning");

  const [x, c] = report.features;
  // x: bands (≤10, >10, missing) are 0.7, 0.2, 0.1 against 0.5, 0.3, 0.2.
  assert.deepEqual(x.bands.map((band) => band.label), ["(-inf, 10]", "(10, inf)", "missing"]);
  assert.deepEqual(x.bands.map((band) => band.actual), [0.7, 0.2, 0.1]);
  close(x.psi, 0.2 * Math.log(0.7 / 0.5) - 0.1 * Math.log(0.2 / 0.3) - 0.1 * Math.log(0.1 / 0.2));
  close(x.psi, 0.17715568);
  assert.equal(x.status, "warning");
  assert.equal(x.missingShare, 0.1);
  assert.equal(x.trainMissingShare, 0.2);
  assert.deepEqual([x.belowMin, x.aboveMax, x.outOfRangeShare], [0, 1, 0.1]);

  // c: a, b, unseen, missing are 0.5, 0.3, 0.1, 0.1 against 0.6, 0.4, 0, 0 (empty bands count as 1e-4).
  assert.deepEqual(c.bands.map((band) => band.label), ["a", "b", "(unseen)", "missing"]);
  close(c.psi, -0.1 * Math.log(0.5 / 0.6) - 0.1 * Math.log(0.3 / 0.4) + 2 * (0.1 - 1e-4) * Math.log(0.1 / 1e-4));
  close(c.psi, 1.42716987);
  assert.equal(c.status, "alert");
  assert.deepEqual(c.unseenLevels, [{ level: "z", count: 1 }]);
  assert.equal(c.outOfRangeShare, 0.1);
  assert.equal(report.status, "alert");
});

Deno.test("drift accumulated chunk by chunk equals drift of the whole batch", () => {
  const whole = new DriftMonitor(BUNDLE);
  whole.add(BATCH, PROBABILITY);
  const chunked = new DriftMonitor(BUNDLE);
  for (const [from, to] of [[0, 3], [3, 4], [4, 10]]) chunked.add(slice(BATCH, from, to), PROBABILITY.slice(from, to));
  const source = { uri: "m", path: "m" };
  assert.deepEqual(chunked.report(source, "d"), whole.report(source, "d"));
});

Deno.test("PSI bands: above 0.1 is a warning, above 0.25 an alert", () => {
  assert.deepEqual([0, 0.1, 0.1000001, 0.25, 0.2500001, null].map(driftStatus), [
    "stable",
    "stable",
    "warning",
    "warning",
    "alert",
    "stable",
  ]);
});

Deno.test("the report renders as a console table and a self-contained HTML page", () => {
  const monitor = new DriftMonitor(BUNDLE);
  monitor.add(BATCH, PROBABILITY);
  const report = monitor.report({ uri: "models:/conv/3", path: "p", name: "conv", version: 3 }, "batch.csv");
  const text = driftTable(report);
  const lines = text.split("\n");
  assert.match(lines[0], /^score PSI 0\.1695 \(warning\) over 10 rows; warning above 0\.1, alert above 0\.25$/);
  assert.match(lines[2], /^x\s+numeric\s+0\.1772\s+WARNING\s+10\.0%\s+20\.0%\s+10\.0% \(1 above max\)$/);
  assert.match(lines[3], /^c\s+categorical\s+1\.4272\s+ALERT\s+10\.0%\s+0\.0%\s+10\.0% \(unseen: z\)$/);
  assert.equal(lines.at(-1), "verdict: alert");

  const html = driftHtml(report);
  assert.ok(html.startsWith("<!doctype html>"));
  assert.match(html, /conv v3, candidate test/);
  // Score chart, PSI chart, missing chart and one band chart per feature.
  assert.equal(html.match(/<svg viewBox/g)?.length, 5);
  assert.doesNotMatch(html, /<script|<link|src="http/);
});

Deno.test("a value on a band edge or the training range's ends counts in the band and range it closes", () => {
  const bundle: DriftBundle = {
    ...BUNDLE,
    fields: [{ name: "x", kind: "numeric", min: 0, max: 100, reference: 5 }],
    featureReference: [{ name: "x", kind: "numeric", edges: [10, 20], shares: [0.4, 0.3, 0.3], missing: 0 }],
  };
  const values = new Float64Array([10, 20, 20.5, 0, 100, -0.5, 9.999]);
  const monitor = new DriftMonitor(bundle);
  monitor.add({ rows: values.length, columns: { x: { kind: "numeric", values } } }, new Float64Array(values.length));
  const [x] = monitor.report({ uri: "bundle.json", path: "bundle.json" }, "batch.csv").features;
  // Bands are (-inf, 10], (10, 20], (20, inf): 10 and 20 close the first two; 0 and 100 are inside the range.
  assert.deepEqual(x.bands.map((band) => band.actual * values.length), [4, 1, 2, 0]);
  assert.deepEqual([x.belowMin, x.aboveMax], [1, 0]);
});
