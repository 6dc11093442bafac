/**
 * Small HTML building blocks for the report: escaping, and tables whose
 * numeric cells are right-aligned.
 *
 * @module
 */

/**
 * Escapes text for HTML content and attribute values.
 *
 * @example
 * ```ts
 * escapeHtml(`<a href="x">&</a>`); // "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A table cell: text (escaped), or a number-like value shown right-aligned. */
export type Cell = string | { readonly number: string } | { readonly html: string };

/**
 * An HTML table with a header row; cells given as `{ number }` are right-aligned
 * (tabular figures), `{ html }` is inserted as is (already safe markup).
 *
 * @example
 * ```ts
 * htmlTable(["column", "mean"], [["x", { number: "1.5" }]]);
 * // '<table><thead><tr><th>column</th><th class="num">mean</th></tr></thead><tbody>...'
 * ```
 */
export function htmlTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const numeric = header.map((_, j) =>
    rows.length > 0 && rows.every((row) => typeof row[j] === "object" && "number" in row[j])
  );
  const th = header.map((name, j) => `<th${numeric[j] ? ' class="num"' : ""}>${escapeHtml(name)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map(cell).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function cell(value: Cell): string {
  if (typeof value === "string") return `<td>${escapeHtml(value)}</td>`;
  return "number" in value ? `<td class="num">${escapeHtml(value.number)}</td>` : `<td>${value.html}</td>`;
}
