/**
 * The run graph of a flow run as a standalone SVG (Observable Plot): one bar
 * per task run on a time axis, coloured by final state, arrows from upstream
 * to downstream task runs, a cross at the end of each failed attempt that was
 * retried, a ring on cache hits and reused results, and dashed rules where a
 * flow retry began. A header (flow, state, start, duration, task-run count)
 * and a state legend frame the chart: the facts of Prefect's run page.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../plots/render.ts";
import type { FlowRunRecord, TaskRunRecord } from "./record.ts";
import { TASK_STATES, type TaskState } from "./states.ts";
import { formatDuration } from "./units.ts";

/**
 * Fill colour of each task state.
 *
 * @example
 * ```ts
 * STATE_COLORS.Failed; // "#dc2626"
 * ```
 */
export const STATE_COLORS: Readonly<Record<TaskState, string>> = {
  Pending: "#b8b8b8",
  Running: "#3b82f6",
  Retrying: "#eab308",
  Completed: "#16a34a",
  Cached: "#0891b2",
  Failed: "#dc2626",
  TimedOut: "#ea580c",
  Cancelled: "#6b7280",
  NotRun: "#a3a3a3",
};

/** Legend order: outcomes first, then waits and states a finished run rarely shows. */
const LEGEND_ORDER: readonly TaskState[] = [
  "Completed",
  "Cached",
  "Failed",
  "TimedOut",
  "Retrying",
  "NotRun",
  "Cancelled",
  "Running",
  "Pending",
];

const WIDTH = 1000;
const HEADER = 64;
const LEGEND = 36;
const ROW = 30;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Bar {
  readonly row: string;
  readonly label: string;
  readonly x1: number;
  readonly x2: number;
  readonly run: TaskRunRecord;
}

interface Segment {
  readonly row: string;
  readonly state: TaskState;
  readonly x1: number;
  readonly x2: number;
}

/** Attempt by attempt pieces of a bar: each attempt in its own state, retry waits as "Retrying". */
function segments(bar: Bar, seconds: (iso: string) => number): Segment[] {
  if (bar.run.attempts.length === 0) return [{ row: bar.row, state: bar.run.state, x1: bar.x1, x2: bar.x2 }];
  const pieces: Segment[] = [];
  bar.run.attempts.forEach((attempt, i) => {
    const x1 = seconds(attempt.start);
    const last = i === bar.run.attempts.length - 1;
    const x2 = last ? bar.x2 : Math.max(seconds(attempt.end), x1);
    pieces.push({ row: bar.row, state: last ? bar.run.state : attempt.state, x1, x2 });
    const next = bar.run.attempts[i + 1];
    if (next) pieces.push({ row: bar.row, state: "Retrying", x1: x2, x2: seconds(next.start) });
  });
  return pieces;
}

function endLabel(run: TaskRunRecord): string {
  if (run.state === "Cached") return run.cache.status === "reused" ? "reused" : "cache hit";
  const duration = formatDuration(run.durationMs);
  return run.state === "Completed" ? duration : `${run.state}${run.durationMs === undefined ? "" : `, ${duration}`}`;
}

/** Renders the run graph of a record to an SVG document string. */
export function renderRunGraph(record: FlowRunRecord): string {
  const t0 = Date.parse(record.start);
  const seconds = (iso: string) => (Date.parse(iso) - t0) / 1000;
  // A run that never started (NotRun, Cancelled while waiting) sits where it was decided, so arrows run forward.
  const startOf = (run: TaskRunRecord) => seconds(run.start ?? run.end ?? run.created);
  const span = Math.max(
    record.end ? seconds(record.end) : 0,
    ...record.taskRuns.map((t) => (t.end ? seconds(t.end) : 0)),
    0.001,
  );
  const minWidth = span / 150;
  const order = [...record.taskRuns].sort((a, b) => startOf(a) - startOf(b) || a.created.localeCompare(b.created));
  const bars: Bar[] = order.map((run) => {
    const x1 = startOf(run);
    return {
      row: run.name,
      label: endLabel(run),
      x1,
      x2: Math.max(run.end ? seconds(run.end) : span, x1 + minWidth),
      run,
    };
  });
  const pieces = bars.flatMap((bar) => segments(bar, seconds));
  const byId = new Map(bars.map((b) => [b.run.id, b]));
  const arrows = bars.flatMap((b) =>
    b.run.upstream.flatMap((id) => {
      const from = byId.get(id);
      return from ? [{ x1: from.x2, y1: from.row, x2: b.x1, y2: b.row }] : [];
    })
  );
  const retries = bars.flatMap((b) =>
    b.run.attempts.filter((a) => a.delayMs !== undefined).map((a) => ({ x: seconds(a.end), y: b.row }))
  );
  const cached = bars.filter((b) => b.run.state === "Cached").map((b) => ({ x: b.x1, y: b.row }));
  const flowRetries = record.attempts.slice(1).map((a) => ({
    x: seconds(a.start),
    label: `flow attempt ${a.attempt}`,
  }));

  const plotHeight = Math.max(120, bars.length * ROW + 60);
  const plot = bars.length === 0 ? "" : renderPlot({
    width: WIDTH,
    height: plotHeight,
    marginLeft: 170,
    marginRight: 110,
    marginTop: 24,
    x: { label: "seconds since flow start", domain: [0, span * 1.02], grid: true },
    y: { domain: bars.map((b) => b.row), label: null, tickSize: 0, padding: 0.3 },
    color: { domain: [...TASK_STATES], range: TASK_STATES.map((s) => STATE_COLORS[s]) },
    marks: [
      Plot.ruleX(flowRetries, { x: "x", stroke: "#555", strokeDasharray: "4,3" }),
      Plot.text(flowRetries, { x: "x", text: "label", frameAnchor: "top", dy: -14, textAnchor: "start", dx: 3 }),
      Plot.barX(pieces, { x1: "x1", x2: "x2", y: "row", fill: "state" }),
      Plot.arrow(arrows, {
        x1: "x1",
        y1: "y1",
        x2: "x2",
        y2: "y2",
        bend: true,
        stroke: "#444",
        strokeWidth: 1.2,
        headLength: 6,
        insetStart: 2,
        insetEnd: 2,
      }),
      Plot.dot(retries, { x: "x", y: "y", symbol: "times", r: 5, stroke: "#111", strokeWidth: 2 }),
      Plot.dot(cached, { x: "x", y: "y", r: 6, stroke: "#0e7490", strokeWidth: 2, fill: "white" }),
      Plot.text(bars, { x: "x2", y: "row", text: "label", textAnchor: "start", dx: 6, fontSize: 11 }),
    ],
  }).replace("<svg ", `<svg x="0" y="${HEADER}" `);

  const height = HEADER + (bars.length === 0 ? 40 : plotHeight) + LEGEND;
  const header = [
    `<text x="16" y="26" font-size="18" font-weight="bold">${escapeXml(record.name)} / ${escapeXml(record.id)}</text>`,
    `<text x="16" y="50" font-size="13">${escapeXml(record.state)}  ·  ${escapeXml(record.start)}  ·  ` +
    `${escapeXml(formatDuration(record.durationMs))}  ·  ${record.taskRuns.length} task runs` +
    `${record.attempts.length > 1 ? `  ·  ${record.attempts.length} flow attempts` : ""}</text>`,
  ];
  const legendItems: [string, string][] = [
    ...LEGEND_ORDER.filter((s) => pieces.some((p) => p.state === s)).map((s): [string, string] => [
      `<rect width="12" height="12" rx="2" fill="${STATE_COLORS[s]}"/>`,
      s === "Retrying" ? "waiting to retry" : s,
    ]),
    ...(retries.length
      ? [[`<text x="0" y="11" font-weight="bold">×</text>`, "failed attempt"] as [string, string]]
      : []),
    ...(cached.length
      ? [[`<circle cx="6" cy="6" r="5" fill="white" stroke="#0e7490" stroke-width="2"/>`, "cache hit / reused"] as [
        string,
        string,
      ]]
      : []),
    ...(arrows.length ? [[`<text x="0" y="11">→</text>`, "consumed by"] as [string, string]] : []),
  ];
  let x = 16;
  const legend = legendItems.map(([symbol, text]) => {
    const item = `<g transform="translate(${x},${height - LEGEND + 10})">${symbol}<text x="18" y="10">${
      escapeXml(text)
    }</text></g>`;
    x += 30 + text.length * 7;
    return item;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...header,
    plot || `<text x="16" y="${HEADER + 20}">no task runs</text>`,
    ...legend,
    `</svg>`,
  ].join("\n");
}
