/**
 * What CI needs from `.ipynb` files, since the kernel itself checks nothing:
 * the code cells as one TypeScript module for `deno check`, and a summary of
 * an executed notebook's outputs (errors, charts, tables).
 *
 * @module
 */
import { DataError } from "../data/errors.ts";

/** The parts of an nbformat 4 notebook these functions read. */
export interface Notebook {
  /** The cells, in order. */
  readonly cells: readonly NotebookCell[];
}

/** One cell, as nbformat stores it. */
export interface NotebookCell {
  /** `code`, `markdown` or `raw`. */
  readonly cell_type: string;
  /** A string or a list of lines (each with its newline), as nbformat allows. */
  readonly source: string | readonly string[];
  /** Code cells: what running them showed. */
  readonly outputs?: readonly NotebookOutput[];
  /** Code cells: the run counter, `null` when not run (or cleared). */
  readonly execution_count?: number | null;
}

/** One output of a code cell. */
export interface NotebookOutput {
  /** `execute_result`, `display_data`, `stream` or `error`. */
  readonly output_type: string;
  /** MIME type to content (a string or a list of lines). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Error outputs: the error's name. */
  readonly ename?: string;
  /** Error outputs: the error's message. */
  readonly evalue?: string;
}

/**
 * Parses notebook JSON, failing with the file name when it is not a notebook.
 *
 * @example
 * ```ts
 * parseNotebook('{"cells": []}', "x.ipynb").cells.length; // 0
 * ```
 */
export function parseNotebook(text: string, file: string): Notebook {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataError(`not JSON: ${(error as Error).message}`, { file });
  }
  if (json === null || typeof json !== "object" || !Array.isArray((json as Notebook).cells)) {
    throw new DataError(`not a notebook (no "cells" list)`, { file });
  }
  return json as Notebook;
}

/**
 * The code cells as one TypeScript module, each under a `// --- cell N`
 * marker (N counts every cell from 1, as Jupyter shows them) and followed by
 * a `;`: without it, a cell starting with `(`, `[` or a template literal
 * would be read as a call on the previous cell's last expression.
 *
 * @example
 * ```ts
 * notebookToTypeScript({ cells: [{ cell_type: "code", source: ["const a = 1\n", "a"] }] });
 * // "// --- cell 1\nconst a = 1\na\n;\n"
 * ```
 */
export function notebookToTypeScript(notebook: Notebook): string {
  return notebook.cells.map((cell, i) => {
    if (cell.cell_type !== "code") return "";
    const source = typeof cell.source === "string" ? cell.source : cell.source.join("");
    return `// --- cell ${i + 1}\n${source.replace(/\n*$/, "")}\n;\n`;
  }).join("");
}

/** What an executed notebook showed. */
export interface OutputSummary {
  /** Code cells. */
  readonly codeCells: number;
  /** Code cells without outputs (not executed, or silent). */
  readonly silentCells: number;
  /** Code cells with an execution count (0 in a notebook saved with cleared outputs). */
  readonly executedCells: number;
  /** Error outputs, with their 1-based cell number. */
  readonly errors: readonly { readonly cell: number; readonly ename: string; readonly evalue: string }[];
  /** Outputs that show an SVG chart: `image/svg+xml`, or HTML with an inline `<svg>`. */
  readonly charts: number;
  /** Outputs that show an HTML `<table>`. */
  readonly tables: number;
}

/**
 * Counts an executed notebook's errors, charts and tables.
 *
 * @example
 * ```ts
 * summarizeOutputs({ cells: [{ cell_type: "code", source: "x", outputs: [
 *   { output_type: "display_data", data: { "image/svg+xml": "<svg></svg>" } },
 * ] }] }).charts; // 1
 * ```
 */
export function summarizeOutputs(notebook: Notebook): OutputSummary {
  const errors: { cell: number; ename: string; evalue: string }[] = [];
  let codeCells = 0;
  let silentCells = 0;
  let executedCells = 0;
  let charts = 0;
  let tables = 0;
  notebook.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    codeCells++;
    const outputs = cell.outputs ?? [];
    if (outputs.length === 0) silentCells++;
    if (cell.execution_count !== undefined && cell.execution_count !== null) executedCells++;
    for (const output of outputs) {
      if (output.output_type === "error") {
        errors.push({ cell: i + 1, ename: output.ename ?? "Error", evalue: output.evalue ?? "" });
        continue;
      }
      const data = output.data ?? {};
      const html = mimeText(data["text/html"]);
      if (data["image/svg+xml"] !== undefined || html.includes("<svg")) charts++;
      if (html.includes("<table")) tables++;
    }
  });
  return { codeCells, silentCells, executedCells, errors, charts, tables };
}

function mimeText(value: unknown): string {
  if (typeof value === "string") return value;
  return Array.isArray(value) ? value.join("") : "";
}
