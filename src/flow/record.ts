/**
 * The flow-run record: one JSON file per flow run (default folder `flowruns/`
 * at the working directory, beside `mlruns/`), saved atomically when the run
 * starts, as its task runs change (`record_writer.ts`) and when it ends, so
 * even a crashed run leaves a readable "Running" record behind.
 *
 * @module
 */
import { join } from "node:path";
import type { ErrorInfo } from "./errors.ts";
import { randomHex } from "./fs.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import type { LogRecord } from "./logger.ts";
import type { FlowState, TaskState } from "./states.ts";

/**
 * Default record folder, relative to the working directory.
 *
 * @example
 * ```ts
 * await listRunRecords(DEFAULT_RECORDS_DIR, 10);
 * ```
 */
export const DEFAULT_RECORDS_DIR = "flowruns";

/** One attempt of a task run. Times are ISO strings. */
export interface AttemptRecord {
  attempt: number;
  start: string;
  end: string;
  durationMs: number;
  state: "Completed" | "Failed" | "TimedOut" | "Cancelled";
  error?: ErrorInfo;
  /** Wait before the next attempt, when one followed. */
  delayMs?: number;
}

/**
 * How the cache treated a task run: `disabled` (no cache option), `hit`,
 * `miss`, `expired` / `corrupt` (an entry existed but was unusable: a miss),
 * `refresh` (read skipped on purpose), `reused` (result of an earlier attempt
 * of the same flow run).
 */
export type CacheStatus = "disabled" | "hit" | "miss" | "expired" | "corrupt" | "refresh" | "reused";

/** One task run. */
export interface TaskRunRecord {
  id: string;
  /** Display name: task name plus a short id suffix. */
  name: string;
  task: string;
  version?: string;
  /** Which attempt of the flow run created it (flow retries create new task runs). */
  flowAttempt: number;
  state: TaskState;
  created: string;
  start?: string;
  end?: string;
  durationMs?: number;
  attempts: AttemptRecord[];
  cache: { status: CacheStatus; key?: string; reusedFrom?: string; written?: boolean; note?: string };
  /** Task runs whose futures or results this one consumed. */
  upstream: string[];
  isolation?: "process" | "thread";
  error?: ErrorInfo;
}

/** One attempt of a flow run. */
export interface FlowAttemptRecord {
  attempt: number;
  start: string;
  end?: string;
  state: FlowState;
  error?: ErrorInfo;
  delayMs?: number;
}

/** A flow run, as saved. */
export interface FlowRunRecord {
  formatVersion: 1;
  id: string;
  name: string;
  parentFlowRunId?: string;
  /** Parameters as validated, summarised to stay small (frames and typed arrays by shape). */
  parameters: unknown;
  state: FlowState;
  start: string;
  end?: string;
  durationMs?: number;
  attempts: FlowAttemptRecord[];
  error?: ErrorInfo;
  taskRuns: TaskRunRecord[];
  logs: LogRecord[];
  settings: { cacheDir: string };
}

/** A short listing line of a saved record. */
export interface RunSummary {
  readonly id: string;
  readonly name: string;
  readonly state: FlowState;
  readonly start: string;
  readonly durationMs?: number;
  readonly taskRuns: number;
  readonly path: string;
}

/**
 * A sortable, unique flow-run id: UTC start time plus random hex.
 *
 * @example
 * ```ts
 * flowRunId(Date.UTC(2026, 0, 2, 3, 4, 5)).startsWith("20260102-030405-"); // true
 * ```
 */
export function flowRunId(now: number): string {
  const iso = new Date(now).toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
  return `${stamp}-${randomHex(3)}`;
}

/**
 * Where a record is saved.
 *
 * @example
 * ```ts
 * recordPath("flowruns", "20260102-030405-ab12cd"); // "flowruns/20260102-030405-ab12cd.json"
 * ```
 */
export function recordPath(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

/**
 * Saves a record atomically and returns its path.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * // const path = await saveRunRecord(dir, record);
 * ```
 */
export async function saveRunRecord(dir: string, record: FlowRunRecord): Promise<string> {
  const path = recordPath(dir, record.id);
  await writeFileAtomic(path, JSON.stringify(record, null, 2));
  return path;
}

/**
 * Reads a record by id or unique id prefix. Throws a one-line error when no
 * record or several records match, or the file is not a run record.
 */
export async function readRunRecord(dir: string, idOrPrefix: string): Promise<FlowRunRecord> {
  const matches = (await recordFiles(dir)).filter((name) => name.startsWith(idOrPrefix));
  const exact = matches.find((name) => name === `${idOrPrefix}.json`);
  if (!exact && matches.length !== 1) {
    throw new RangeError(
      matches.length === 0
        ? `no flow run "${idOrPrefix}" in ${dir}/`
        : `"${idOrPrefix}" matches ${matches.length} flow runs in ${dir}/; give more of the id`,
    );
  }
  const path = join(dir, exact ?? matches[0]);
  const record = JSON.parse(await Deno.readTextFile(path)) as FlowRunRecord;
  if (record.formatVersion !== 1 || !Array.isArray(record.taskRuns)) throw new Error(`${path}: not a flow-run record`);
  return record;
}

/**
 * Lists saved records, newest first; unreadable files are skipped.
 *
 * @example
 * ```ts
 * const runs = await listRunRecords(await Deno.makeTempDir());
 * runs.length; // 0
 * ```
 */
export async function listRunRecords(dir: string, limit = Infinity): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  for (const name of await recordFiles(dir)) {
    const path = join(dir, name);
    try {
      const r = JSON.parse(await Deno.readTextFile(path)) as FlowRunRecord;
      if (r.formatVersion !== 1) continue;
      summaries.push({
        id: r.id,
        name: r.name,
        state: r.state,
        start: r.start,
        durationMs: r.durationMs,
        taskRuns: r.taskRuns.length,
        path,
      });
    } catch {
      continue;
    }
  }
  return summaries.sort((a, b) => b.start.localeCompare(a.start) || b.id.localeCompare(a.id)).slice(0, limit);
}

async function recordFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return names.sort();
}
