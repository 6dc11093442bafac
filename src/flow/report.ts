/**
 * Plain-text views of run records for `deno task runs`: a list of recent
 * runs, and one run with its task table, retries and errors.
 *
 * @module
 */
import type { FlowRunRecord, RunSummary, TaskRunRecord } from "./record.ts";
import { formatDuration } from "./units.ts";
import { formatTable } from "../text/table.ts";

/**
 * The table of recent runs.
 *
 * @example
 * ```ts
 * formatRunList([]); // "no flow runs"
 * ```
 */
export function formatRunList(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return "no flow runs";
  return formatTable(
    ["ID", "FLOW", "STATE", "START (UTC)", "DURATION", "TASK RUNS"],
    runs.map((r) => [
      r.id,
      r.name,
      r.state,
      r.start.replace("T", " ").slice(0, 19),
      formatDuration(r.durationMs),
      String(r.taskRuns),
    ]),
  );
}

function attemptsCell(t: TaskRunRecord): string {
  const waits = t.attempts.map((a) => a.delayMs).filter((d): d is number => d !== undefined);
  return waits.length === 0 ? String(t.attempts.length) : `${t.attempts.length} (waits ${waits.join("+")} ms)`;
}

function cacheCell(t: TaskRunRecord): string {
  if (t.cache.status === "disabled") return "-";
  if (t.cache.status === "reused") return `reused ${t.cache.reusedFrom}`;
  return t.cache.status;
}

/** One run: header lines, the task table, then retry errors and final errors. */
export function formatRunDetail(record: FlowRunRecord): string {
  const names = new Map(record.taskRuns.map((t) => [t.id, t.name]));
  const lines = [
    `flow run ${record.id}  '${record.name}'  ${record.state}`,
    `  start ${record.start}  duration ${formatDuration(record.durationMs)}  flow attempts ${record.attempts.length}` +
    `  task runs ${record.taskRuns.length}`,
    `  parameters ${JSON.stringify(record.parameters)}`,
  ];
  if (record.parentFlowRunId) lines.push(`  parent flow run ${record.parentFlowRunId}`);
  if (record.error) lines.push(`  error ${record.error.name}: ${record.error.message}`);
  lines.push("");
  lines.push(
    record.taskRuns.length === 0 ? "no task runs" : formatTable(
      ["TASK RUN", "STATE", "FLOW ATT.", "ATTEMPTS", "DURATION", "CACHE", "UPSTREAM"],
      record.taskRuns.map((t) => [
        t.name,
        t.state,
        String(t.flowAttempt),
        attemptsCell(t),
        formatDuration(t.durationMs),
        cacheCell(t),
        t.upstream.map((id) => names.get(id) ?? id).join(", ") || "-",
      ]),
    ),
  );
  const problems = record.taskRuns.flatMap((t) => [
    ...t.attempts.filter((a) => a.error && a.delayMs !== undefined).map((a) =>
      `  ${t.name} attempt ${a.attempt} ${a.state}: ${a.error!.message} (retried after ${a.delayMs} ms)`
    ),
    ...(t.error ? [`  ${t.name} ${t.state}: ${t.error.name}: ${t.error.message}`] : []),
    ...(t.cache.note ? [`  ${t.name} cache: ${t.cache.note}`] : []),
  ]);
  if (problems.length > 0) lines.push("", "problems:", ...problems);
  return lines.join("\n");
}
