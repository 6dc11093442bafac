/**
 * Plain-text summaries of a store for the command line: runs with their key
 * params and metrics (children under their parent), and registered models
 * with their versions, aliases and source runs.
 *
 * @module
 */
import type { ModelVersion, RegisteredModel, Run } from "./entities.ts";
import { PARENT_RUN_ID_TAG } from "./runs.ts";
import { formatTable } from "../text/table.ts";

/**
 * A table of runs: id, name, status, start, duration, params and latest
 * metrics. Unless `flat`, each child run follows its parent, indented.
 *
 * @example
 * ```ts
 * import type { Run } from "./entities.ts";
 *
 * declare const runs: Run[]; // e.g. listRuns(...).items
 *
 * console.log(runsTable(runs));
 * ```
 */
export function runsTable(runs: readonly Run[], { flat = false } = {}): string {
  const ordered = flat ? runs.map((run) => ({ run, depth: 0 })) : nestChildren(runs);
  const rows = ordered.map(({ run, depth }) => [
    run.info.runId.slice(0, 8),
    `${"  ".repeat(depth)}${depth > 0 ? "└ " : ""}${run.info.runName}`,
    run.info.status,
    formatTime(run.info.startTime),
    run.info.endTime === null ? "-" : formatDuration(run.info.endTime - run.info.startTime),
    truncate(keyValues(run.data.params, (value) => value), 48),
    keyValues(run.data.metrics, formatMetric),
  ]);
  return formatTable(["run", "name", "status", "start (UTC)", "took", "params", "metrics"], rows);
}

/**
 * A table of a registered model's versions: stage, status, aliases, creation
 * time, source and the run it came from (with the run's name when known).
 *
 * @example
 * ```ts
 * import type { ModelVersion, Run } from "./entities.ts";
 *
 * declare const versions: ModelVersion[]; // a registered model's versions
 * declare const run: Run; // the run they came from
 *
 * console.log(versionsTable(versions, new Map([[run.info.runId, run]])));
 * ```
 */
export function versionsTable(versions: readonly ModelVersion[], runs: ReadonlyMap<string, Run | undefined>): string {
  const rows = versions.map((version) => {
    const run = version.runId ? runs.get(version.runId) : undefined;
    const source = version.runId
      ? `${version.runId.slice(0, 8)} ${run ? run.info.runName : "(run not in this store)"}`
      : "-";
    return [
      String(version.version),
      version.currentStage ?? "-",
      version.status,
      version.aliases.join(",") || "-",
      formatTime(version.creationTimestamp),
      version.source,
      source,
    ];
  });
  return formatTable(["version", "stage", "status", "aliases", "created (UTC)", "source", "source run"], rows);
}

/**
 * One header line for a registered model.
 *
 * @example
 * ```ts
 * import type { RegisteredModel } from "./entities.ts";
 *
 * declare const model: RegisteredModel;
 *
 * modelHeading(model, 3); // "customer_conversion_model: 3 versions, aliases champion=3"
 * ```
 */
export function modelHeading(model: RegisteredModel, versionCount: number): string {
  const aliases = Object.entries(model.aliases).map(([alias, version]) => `${alias}=${version}`).join(", ");
  const tags = Object.entries(model.tags).map(([key, value]) => `${key}=${value}`).join(", ");
  return [
    `${model.name}: ${versionCount} version${versionCount === 1 ? "" : "s"}`,
    aliases ? `aliases ${aliases}` : "no aliases",
    ...(tags ? [`tags ${tags}`] : []),
    ...(model.description ? [model.description] : []),
  ].join(", ");
}

function nestChildren(runs: readonly Run[]): { run: Run; depth: number }[] {
  const ids = new Set(runs.map((run) => run.info.runId));
  const children = Map.groupBy(
    runs.filter((run) => ids.has(run.data.tags[PARENT_RUN_ID_TAG] ?? "")),
    (run) => run.data.tags[PARENT_RUN_ID_TAG],
  );
  const ordered: { run: Run; depth: number }[] = [];
  const visit = (run: Run, depth: number) => {
    ordered.push({ run, depth });
    for (const child of children.get(run.info.runId) ?? []) visit(child, depth + 1);
  };
  for (const run of runs) if (!ids.has(run.data.tags[PARENT_RUN_ID_TAG] ?? "")) visit(run, 0);
  return ordered;
}

function keyValues<T>(values: Readonly<Record<string, T>>, format: (value: T) => string): string {
  return Object.keys(values).sort().map((key) => `${key}=${format(values[key])}`).join(" ") || "-";
}

function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : Number.isFinite(value) ? value.toFixed(4) : String(value);
}

function formatTime(milliseconds: number): string {
  return new Date(milliseconds).toISOString().slice(0, 16).replace("T", " ");
}

function formatDuration(milliseconds: number): string {
  const seconds = milliseconds / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)}s` : `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
