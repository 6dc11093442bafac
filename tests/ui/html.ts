/**
 * Reading rendered pages in UI tests: CSS selectors over linkedom's DOM.
 *
 * @module
 */
import { parseHTML } from "linkedom";

/** The part of a DOM element the UI tests read. */
export interface Element {
  getAttribute(name: string): string | null;
  textContent: string;
  className: string;
  querySelectorAll(selector: string): Element[];
}

/** The page's elements matching a CSS selector. */
export function select(page: string, selector: string): Element[] {
  const { document } = parseHTML(page) as unknown as { document: Element };
  return [...document.querySelectorAll(selector)];
}

/** Run ids in table order. */
export function rowIds(page: string): string[] {
  return select(page, "tr[data-run]").map((row) => row.getAttribute("data-run")!);
}

/** The cell texts of each table row. */
export function cells(page: string, selector: string): string[][] {
  return select(page, `${selector} tr`).map((row) =>
    [...row.querySelectorAll("td")].map((td) => td.textContent.trim())
  );
}
