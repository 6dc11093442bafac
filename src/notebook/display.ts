/**
 * Rich display for notebooks on the Deno Jupyter kernel. The kernel renders
 * any cell result that has a `Symbol.for("Jupyter.display")` method as the
 * MIME bundle that method returns, so these helpers return plain objects
 * rather than calling `Deno.jupyter` (which throws outside a kernel): they
 * work, and are tested, anywhere.
 *
 * - {@link table}: a polars frame, a {@link Table} or records as an HTML table
 *   (numbers formatted and right-aligned), with an aligned-text fallback.
 * - {@link chart}: one chart's markup (Observable Plot SVG) inline in `text/html`;
 *   {@link charts}: several, captioned, in a wrapping grid.
 * - {@link show}: sends outputs to the notebook as `display_data`, reliably
 *   (see there why the notebooks prefer it to a cell's last expression).
 *
 * @example
 * ```ts
 * import { chart, show, table } from "@/notebook/display.ts";
 * await show(table([{ feature: "recency_days", iv: 1.234 }]), chart("<svg></svg>"));
 * ```
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { Table } from "../data/table.ts";
import { formatNumber } from "../eda/format.ts";
import { type Cell, escapeHtml, htmlTable } from "../eda/html.ts";
import type { Reason } from "../bundle/scorer.ts";
import { formatTable } from "../text/table.ts";

/**
 * The key of the kernel's display protocol.
 *
 * @example
 * ```ts
 * const shown = { [JUPYTER_DISPLAY]: () => ({ "text/plain": "hi" }) };
 * ```
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/**
 * A MIME bundle: MIME type to content, e.g. `{ "text/html": "<b>hi</b>", "text/plain": "hi" }`.
 */
export type MimeBundle = Readonly<Record<string, string>>;

/**
 * A value the Deno kernel displays as its MIME bundle when it is a cell's result.
 *
 * @example
 * ```ts
 * const out = new RichOutput({ "text/plain": "hi" });
 * out[JUPYTER_DISPLAY](); // { "text/plain": "hi" }
 * ```
 */
export class RichOutput {
  /** Wraps a bundle. */
  constructor(readonly bundle: MimeBundle) {}

  /** The bundle, for the kernel. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle;
  }
}

/** What {@link table} shows: a polars frame, a column {@link Table}, or records (plain objects, one per row). */
export type TableInput = pl.DataFrame | Table | readonly object[];

type Row = Readonly<Record<string, unknown>>;

/** Options of {@link table}. */
export interface TableOptions {
  /** A title shown above the table. */
  readonly caption?: string;
  /** Rows shown (default 40); a line under the table says how many there are. */
  readonly maxRows?: number;
  /** Significant digits of non-integer numbers (default 4). */
  readonly digits?: number;
  /** Columns to show, in this order (default: all). */
  readonly columns?: readonly string[];
}

const TABLE_CLASS = "nb-table";
/**
 * Scoped to the wrapper; the class is repeated to outweigh JupyterLab's
 * `:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td` (right-aligns every
 * cell, which reads badly for text) whatever the order of the style sheets.
 */
const SCOPE = `.${TABLE_CLASS}.${TABLE_CLASS}.${TABLE_CLASS}`;
const TABLE_STYLE = `<style>${SCOPE} table{border-collapse:collapse;font-size:12px;margin:2px 0;table-layout:auto}` +
  `${SCOPE} th,${SCOPE} td{text-align:left;padding:3px 10px;border:none;border-bottom:1px solid #e0e0e0;` +
  `vertical-align:top}${SCOPE} th{border-bottom:1px solid #999}${SCOPE} .num{text-align:right;` +
  `font-variant-numeric:tabular-nums}${SCOPE} p{margin:4px 0;font-size:12px;text-align:left}</style>`;

/**
 * Displays rows as a table: `text/html` with numbers formatted to `digits`
 * significant digits and right-aligned, missing values as "–", and
 * `text/plain` as aligned columns.
 *
 * @example
 * ```ts
 * const out = table([{ name: "auc", value: 0.93288 }, { name: "rows", value: 1000 }], { caption: "Test" });
 * out.bundle["text/plain"]; // "name  value\nauc   0.9329\nrows  1000"
 * ```
 */
export function table(data: TableInput, options: TableOptions = {}): RichOutput {
  const maxRows = options.maxRows ?? 40;
  const { records, total } = readRows(data, maxRows);
  const names = options.columns ?? columnNames(data, records);
  const digits = options.digits ?? 4;
  const numeric = names.map((name) =>
    records.some((row) => isNumber(row[name])) && records.every((row) => isNumber(row[name]) || isMissing(row[name]))
  );
  const texts = records.map((row) => names.map((name) => formatValue(row[name], digits)));
  const cells: Cell[][] = texts.map((row) => row.map((text, j) => (numeric[j] ? { number: text } : text)));
  const footer = total > records.length ? `showing ${records.length} of ${total} rows` : "";
  const caption = options.caption === undefined ? "" : `<p><b>${escapeHtml(options.caption)}</b></p>`;
  const html = `<div class="${TABLE_CLASS}">${TABLE_STYLE}${caption}${htmlTable(names, cells)}${
    footer ? `<p>${footer}</p>` : ""
  }</div>`;
  const text = [options.caption ?? "", formatTable(names, texts), footer].filter((part) => part !== "").join("\n");
  return new RichOutput({ "text/html": html, "text/plain": text });
}

/**
 * Displays one chart (an `<svg>`, or a Plot `<figure>` when the chart has a
 * legend, as the chart modules render them) as `text/html`, so the SVG sits
 * inline in the page: it takes the notebook's font, and nbconvert's HTML
 * export keeps it whole (its `image/svg+xml` path strips SVG attributes, and
 * JupyterLab shows `image/svg+xml` as an `<img>`, where `font-family:
 * inherit` falls back to a serif font).
 *
 * @example
 * ```ts
 * const out = chart('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"></svg>', { title: "ROC" });
 * out.bundle["text/plain"]; // "[chart: ROC]"
 * ```
 */
export function chart(markup: string, { title }: { title?: string } = {}): RichOutput {
  return new RichOutput({
    "text/html": markup.trim(),
    "text/plain": title === undefined ? "[chart]" : `[chart: ${title}]`,
  });
}

/**
 * Displays several charts side by side (wrapping), each under its title, as
 * one `text/html` output: small multiples such as one histogram per feature.
 *
 * @example
 * ```ts
 * const out = charts({ recency_days: "<svg></svg>", frequency: "<svg></svg>" });
 * out.bundle["text/plain"]; // "[2 charts: recency_days, frequency]"
 * ```
 */
export function charts(entries: Readonly<Record<string, string>>): RichOutput {
  const figures = Object.entries(entries).map(([title, markup]) =>
    `<figure style="margin:0 12px 12px 0"><figcaption style="font-size:12px;font-weight:bold;margin-bottom:2px">${
      escapeHtml(title)
    }</figcaption>${markup.trim()}</figure>`
  );
  const names = Object.keys(entries);
  return new RichOutput({
    "text/html": `<div style="display:flex;flex-wrap:wrap;align-items:flex-start">${figures.join("")}</div>`,
    "text/plain": `[${names.length} charts: ${names.join(", ")}]`,
  });
}

/**
 * Reason codes as one line for a table cell: `feature = value (points)`,
 * most costly first, values to `digits` significant digits.
 *
 * @example
 * ```ts
 * reasonsText([{ feature: "recency_days", value: 120.25, points: -35.04 }, { feature: "channel", value: null, points: -2 }]);
 * // "recency_days = 120.3 (−35.0); channel = missing (−2.0)"
 * ```
 */
export function reasonsText(reasons: readonly Pick<Reason, "feature" | "value" | "points">[], digits = 4): string {
  return reasons.map((reason) => {
    const value = reason.value === null ? "missing" : formatValue(reason.value, digits);
    return `${reason.feature} = ${value} (${reason.points.toFixed(1).replace("-", "−")})`;
  }).join("; ");
}

function readRows(data: TableInput, maxRows: number): { records: Row[]; total: number } {
  if (Array.isArray(data)) return { records: (data as readonly Row[]).slice(0, maxRows), total: data.length };
  if (isFrame(data)) return { records: data.head(maxRows).toRecords(), total: data.height };
  const t = data as Table;
  const shown = Math.min(maxRows, t.rows);
  const records = Array.from(
    { length: shown },
    (_, i) => Object.fromEntries(Object.entries(t.columns).map(([name, column]) => [name, column.values[i]])),
  );
  return { records, total: t.rows };
}

function columnNames(data: TableInput, records: readonly Row[]): string[] {
  if (Array.isArray(data)) return [...new Set(records.flatMap((row) => Object.keys(row)))];
  return isFrame(data) ? data.columns : Object.keys((data as Table).columns);
}

function isFrame(data: TableInput): data is pl.DataFrame {
  const frame = data as Partial<pl.DataFrame>;
  return typeof frame.toRecords === "function" && typeof frame.height === "number";
}

function isNumber(value: unknown): boolean {
  return (typeof value === "number" && !Number.isNaN(value)) || typeof value === "bigint";
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "number" && Number.isNaN(value));
}

function formatValue(value: unknown, digits: number): string {
  if (isMissing(value)) return "–";
  if (typeof value === "number") return formatNumber(value, digits);
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19).replace("T", " ");
  }
  if (Array.isArray(value)) return value.map((item) => formatValue(item, digits)).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** How long {@link show} lets the kernel's output queue drain before the cell may end. */
const DRAIN_MS = 10;

/**
 * Shows outputs in the running notebook, in order, as `display_data`.
 *
 * Why not just end the cell with the value: the Deno kernel (2.9.6) sends a
 * cell's `execute_result` on a queue that races with its "idle" status, and
 * in about 1 cell in 8 (measured: 6 of 40, and 5 of 60 under load) the
 * result arrives after "idle". Frontends and nbconvert treat the cell as
 * finished at "idle" and drop the output. `Deno.jupyter.display` goes
 * through the same queue, but awaiting it and then yielding to the event
 * loop for a few milliseconds lets the queue drain first (0 of 100 late under load).
 *
 * Outside the kernel it rejects with Deno's "only available in `deno jupyter`" error.
 *
 * @example
 * ```ts
 * await show(table([{ auc: 0.93 }]), chart("<svg></svg>"));
 * ```
 */
export async function show(...outputs: readonly RichOutput[]): Promise<void> {
  for (const output of outputs) await Deno.jupyter.display(output.bundle, { raw: true });
  await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
}
