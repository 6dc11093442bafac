/**
 * Run-bound logging: every line carries its flow run and task run, is printed
 * to stderr in a readable form (unless silenced) and is kept for the run
 * record. A live status line is drawn only when stderr is a terminal, so CI
 * logs and records never fill with progress noise.
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
  #statusShown = false;

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
    this.#clearStatus();
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
    this.#statusShown = text !== "";
  }

  #clearStatus(): void {
    if (!this.#statusShown) return;
    Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
    this.#statusShown = false;
  }
}
