/**
 * Runs a task body (an exported function of a module) off the main thread,
 * so CPU-bound work uses other cores and can be stopped on timeout.
 *
 * Two isolations, because on Deno 2.9 `Worker.terminate()` does not stop a
 * worker that is busy in a loop: the thread keeps burning its core until the
 * process exits (measured here; denoland/deno PR #35657 confirms it on 2.9.4).
 *
 * - `"process"` (default): a child `deno run` process, killed with SIGKILL on
 *   timeout or cancellation, so the timeout is truly enforced. Costs ~40 ms of
 *   start-up (~200 ms when the module imports polars). Needs `--allow-run`;
 *   the child gets the parent's globally granted permissions. The child's
 *   stdout/stderr lines go to the task run's log.
 * - `"thread"`: a Web Worker. Cheaper to start; on timeout the task is marked
 *   TimedOut at once and the worker terminated, but a busy loop inside it
 *   keeps running until it returns or the process ends.
 *
 * Inputs and results cross the boundary with the flow codec (typed arrays,
 * Maps, Dates, DataFrames as Arrow IPC...), so class instances cannot be sent.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { decodeValue, type Encoded, encodeValue, packEncoded, unpackEncoded } from "./codec.ts";
import { CancelledError, type ErrorInfo } from "./errors.ts";
import { removeIfExists } from "./fs.ts";
import type { RunLogger } from "./logger.ts";

/** Where an isolated task body runs. */
export type Isolation = "process" | "thread";

/** One isolated call. */
export interface IsolatedCall {
  /** Module URL (or a path, resolved against the working directory). */
  readonly module: URL | string;
  readonly exportName: string;
  readonly input: unknown;
  readonly isolation: Isolation;
  readonly signal: AbortSignal;
  readonly logger: RunLogger;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: ErrorInfo };

const ENTRY = new URL("./isolate_entry.ts", import.meta.url);
const PERMISSIONS = ["read", "write", "net", "env", "sys", "ffi", "run"] as const;

/**
 * Normalises a module reference to a URL string.
 *
 * @example
 * ```ts
 * moduleUrl("tests/flow/fixtures/cpu.ts").startsWith("file:///"); // true
 * ```
 */
export function moduleUrl(module: URL | string): string {
  if (module instanceof URL) return module.href;
  return /^[a-z][a-z0-9+.-]*:/i.test(module) ? module : pathToFileURL(module).href;
}

/**
 * Runs `module[exportName](input)` in a worker process or thread and returns
 * its result; rejects with the body's error, or with the signal's reason
 * after stopping the worker when the signal aborts.
 */
export async function runIsolated(call: IsolatedCall): Promise<unknown> {
  if (call.signal.aborted) throw call.signal.reason ?? new CancelledError("aborted");
  const input = encodeValue(call.input, "input", "send");
  const outcome = call.isolation === "thread" ? await inThread(call, input) : await inProcess(call, input);
  if (outcome.ok) return outcome.value;
  throw rebuildError(outcome.error);
}

function rebuildError(info: ErrorInfo): Error {
  const error = new Error(info.message);
  error.name = info.name;
  if (info.stack) error.stack = info.stack;
  return error;
}

function inThread(call: IsolatedCall, input: Encoded): Promise<Outcome> {
  const worker = new Worker(ENTRY, { type: "module" });
  return new Promise<Outcome>((resolve, reject) => {
    const finish = (settle: () => void) => {
      call.signal.removeEventListener("abort", onAbort);
      worker.terminate();
      settle();
    };
    const onAbort = () => finish(() => reject(call.signal.reason ?? new CancelledError("aborted")));
    worker.onmessage = (event: MessageEvent<Encoded>) => finish(() => resolve(decodeValue(event.data)));
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish(() => reject(new Error(`worker thread for "${call.exportName}" failed: ${event.message}`)));
    };
    call.signal.addEventListener("abort", onAbort, { once: true });
    const request = { module: moduleUrl(call.module), exportName: call.exportName, ...input };
    worker.postMessage(request, input.blobs.map((b) => b.buffer as ArrayBuffer));
  });
}

async function inProcess(call: IsolatedCall, input: Encoded): Promise<Outcome> {
  const dir = await Deno.makeTempDir({ prefix: "flow-isolate-" });
  const inputPath = join(dir, "input.bin");
  const outputPath = join(dir, "output.bin");
  try {
    await Deno.writeFile(inputPath, packEncoded(input));
    const args = [
      "run",
      "--quiet",
      ...permissionFlags(),
      ...configFlag(),
      fileURLToPath(ENTRY),
      moduleUrl(call.module),
      call.exportName,
      inputPath,
      outputPath,
    ];
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(Deno.execPath(), { args, stdin: "null", stdout: "piped", stderr: "piped" }).spawn();
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
        throw new Error(`isolation "process" needs --allow-run (or use isolation "thread"): ${error.message}`);
      }
      throw error;
    }
    const kill = () => {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
    };
    // The signal may have aborted while the input was written or the process spawned.
    if (call.signal.aborted) kill();
    else call.signal.addEventListener("abort", kill, { once: true });
    const stderrTail: string[] = [];
    const pumps = [
      forwardLines(child.stdout, (line) => call.logger.info(line)),
      forwardLines(child.stderr, (line) => {
        stderrTail.push(line);
        if (stderrTail.length > 5) stderrTail.shift();
        call.logger.warn(line);
      }),
    ];
    const status = await child.status;
    await Promise.all(pumps);
    call.signal.removeEventListener("abort", kill);
    if (call.signal.aborted) throw call.signal.reason ?? new CancelledError("aborted");
    if (!status.success) {
      const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
      throw new Error(
        `worker process for "${call.exportName}" ${how}${stderrTail.length ? `: ${stderrTail.join(" | ")}` : ""}`,
      );
    }
    return await decodeValue(unpackEncoded(await Deno.readFile(outputPath)));
  } finally {
    await removeIfExists(dir);
  }
}

async function forwardLines(stream: ReadableStream<Uint8Array>, emit: (line: string) => void): Promise<void> {
  let pending = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) emit(line);
  }
  if (pending.trim()) emit(pending);
}

function permissionFlags(): string[] {
  return PERMISSIONS.filter((name) => Deno.permissions.querySync({ name }).state === "granted")
    .map((name) => `--allow-${name}`);
}

function configFlag(): string[] {
  let dir = dirname(fileURLToPath(ENTRY));
  for (;;) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      const path = join(dir, name);
      try {
        Deno.statSync(path);
        return ["--config", path];
      } catch {
        // Not here; look one folder up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return [];
    dir = parent;
  }
}
