/**
 * Helpers for the notebooks in `notebooks/`: rich display of tables and
 * charts on the Deno Jupyter kernel, the scoring server as a child process,
 * and the notebook checks CI runs (code cells as TypeScript, output summary).
 *
 * @example
 * ```ts
 * import { chart, table } from "@/notebook/mod.ts";
 * table([{ feature: "recency_days", iv: 1.23 }]);
 * ```
 *
 * @module
 */
export * from "./display.ts";
export * from "./scoring_server.ts";
export * from "./ipynb.ts";
