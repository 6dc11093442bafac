/**
 * Plain-text tables for the command line, notebooks and reports.
 *
 * @module
 */

/**
 * Lays out rows as aligned columns under a header, two spaces apart; no
 * trailing spaces (the last column is not padded), and a short row simply
 * ends early.
 *
 * @example
 * ```ts
 * formatTable(["a", "bb"], [["1", "2"], ["333", "4"]]); // "a    bb\n1    2\n333  4"
 * ```
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length))
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}
