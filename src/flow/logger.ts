/**
 * Run-bound logging: every line carries its flow run and task run, is printed
 * to stderr in a readable form (unless silenced) and is kept for the run
 * record. A progress bar is drawn only when stderr is a terminal, so CI logs
 * and records never fill with progress noise.
 *
 * @module
 */

/** Severity of a log line. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A saved log line. */
export interface LogRecord {
  /** ISO time. */
  readonly time: string;
  readonly level: LogLevel;
  readonly message: string;
  readonly taskRunId?: string;
  /** Display name of the task run (`load-data-1a2b`). */
  readonly taskRun?: string;
}

/** A logger bound to a flow run or a task run. */
export interface RunLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Reports progress of a long step; drawn as a bar when stderr is a terminal, otherwise ignored. */
  progress(done: number, total: number, label?: string): void;
}

/** Logging settings of a run. */
export interface LogOptions {
  /** Print to stderr (default true). Tests pass `false`. */
  readonly console?: boolean;
  /** Lowest level printed and saved (default "info"). */
  readonly level?: LogLevel;
}

const encoder = new TextEncoder();

function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * Collects the log lines of one flow run and hands out bound loggers.
 *
 * @example
 * ```ts
 * const sink = new LogSink("flow 'train'", { console: false }, Date.now);
 * sink.logger().info("started");
 * sink.logger({ id: "1a2b", name: "load-1a2b" }).warn("slow");
 * sink.records.length; // 2
 * ```
 */
export class LogSink {
  readonly records: LogRecord[] = [];
  readonly #console: boolean;
  readonly #threshold: number;
  readonly #tty: boolean;
  #progressShown = false;

  constructor(readonly label: string, options: LogOptions, readonly now: () => number, readonly keep = true) {
    this.#console = options.console ?? true;
    this.#threshold = LEVELS[options.level ?? "info"];
    this.#tty = this.#console && Deno.stderr.isTerminal();
  }

  /** A logger for the flow run itself, or for one of its task runs. */
  logger(taskRun?: { id: string; name: string }): RunLogger {
    const write = (level: LogLevel) => (message: string) => this.#write(level, message, taskRun);
    return {
      debug: write("debug"),
      info: write("info"),
      warn: write("warn"),
      error: write("error"),
      progress: (done, total, label) => this.#progress(done, total, label ?? taskRun?.name ?? this.label),
    };
  }

  #write(level: LogLevel, message: string, taskRun?: { id: string; name: string }): void {
    if (LEVELS[level] < this.#threshold) return;
    const time = this.now();
    if (this.keep) {
      this.records.push({
        time: new Date(time).toISOString(),
        level,
        message,
        taskRunId: taskRun?.id,
        taskRun: taskRun?.name,
      });
    }
    if (!this.#console) return;
    const source = taskRun ? `task run '${taskRun.name}'` : this.label;
    this.#clearProgress();
    console.error(`${clockTime(time)} | ${level.toUpperCase().padEnd(5)} | ${source} - ${message}`);
  }

  /** Whether a live status line can be drawn (console on and stderr a terminal). */
  get interactive(): boolean {
    return this.#tty;
  }

  /**
   * Draws (or, with an empty text, clears) the one-line status under the log
   * on a terminal; a no-op otherwise. Log lines clear it before printing.
   */
  status(text: string): void {
    if (!this.#tty) return;
    // A pseudo-terminal may report 0 columns.
    const width = Deno.consoleSize().columns || 120;
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${text.slice(0, width - 1)}`));
    this.#progressShown = text !== "";
  }

  /** When a progress bar was last drawn (the flow's running-tasks ticker leaves the line alone meanwhile). */
  lastProgressAt = 0;

  #progress(done: number, total: number, label: string): void {
    if (!this.#tty || total <= 0) return;
    const fraction = Math.min(1, Math.max(0, done / total));
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
    this.lastProgressAt = Date.now();
    this.status(`${label} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% (${done}/${total})`);
    if (fraction >= 1) {
      Deno.stderr.writeSync(encoder.encode("\n"));
      this.#progressShown = false;
    }
  }

  #clearProgress(): void {
    if (!this.#progressShown) return;
    Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
    this.#progressShown = false;
  }
}
