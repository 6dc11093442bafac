/**
 * Starts the project's scoring server (`server/main.ts`) as a child process
 * on a free port and stops it again: what a notebook needs to score "through
 * the HTTP server" exactly as a client would, without a fixed port that may
 * be taken. It is a separate process, not an in-process app, so the notebook
 * exercises the real command line, model loading and shutdown.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** Options of {@link startScoringServer}. */
export interface ScoringServerOptions {
  /** A `models:/`, `runs:/` URI or a bundle path (`--model`). */
  readonly model: string;
  /** `--tracking-uri` (default: the server's own default). */
  readonly trackingUri?: string;
  /** Default 0: the system picks a free port. */
  readonly port?: number;
  /** How long to wait for the server to listen (default 30 s). */
  readonly startTimeoutMs?: number;
}

/** A running scoring server. */
export interface ScoringServer {
  /** E.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The server's JSON log lines so far (one object per line, as it writes them to stderr). */
  readonly logs: readonly Record<string, unknown>[];
  /** Stops the server (SIGTERM: it finishes requests in flight) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * The scoring server did not come up: it exited first or did not listen in
 * time. The message ends with its last log line, which says why.
 */
export class ScoringServerError extends Error {
  /** Names the class in messages. */
  override readonly name = "ScoringServerError";
}

const MAIN = fileURLToPath(new URL("../../server/main.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));

/**
 * Starts `server/main.ts` with the pinned Deno running this code and resolves
 * once it listens. If the server exits first (a model that does not load, a
 * port in use) or does not listen in time, it rejects with the server's last
 * log message.
 *
 * @example
 * ```ts
 * const server = await startScoringServer({ model: "data/artifacts/model_bundle.json" });
 * const answer = await fetch(`${server.url}/score`, { method: "POST", body: JSON.stringify({ recency_days: 3 }) });
 * await server.stop();
 * ```
 */
export async function startScoringServer(options: ScoringServerOptions): Promise<ScoringServer> {
  const args = ["run", "-A", "--config", CONFIG, MAIN, "--model", options.model, "--port", String(options.port ?? 0)];
  if (options.trackingUri !== undefined) args.push("--tracking-uri", options.trackingUri);
  // The poll would only matter for a long-lived server whose alias moves.
  args.push("--poll-seconds", "0");
  const child = new Deno.Command(Deno.execPath(), { args, stdin: "null", stdout: "null", stderr: "piped" }).spawn();
  const logs: Record<string, unknown>[] = [];
  const lines = child.stderr.pipeThrough(new TextDecoderStream()).pipeThrough(splitLines());
  let listening: (url: string) => void = () => {};
  const listened = new Promise<string>((resolve) => (listening = resolve));
  const drained = (async () => {
    for await (const line of lines) {
      const entry = parseLogLine(line);
      logs.push(entry);
      if (entry.msg === "listening" && typeof entry.url === "string") listening(entry.url);
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const outcome = await Promise.race([
    listened.then((url) => ({ url })),
    child.status.then((status) => ({ exited: status.code })),
    new Promise<{ timedOut: true }>((resolve) => (timer = setTimeout(() => resolve({ timedOut: true }), timeoutMs))),
  ]);
  clearTimeout(timer);
  if ("url" in outcome) {
    return {
      url: outcome.url,
      logs,
      stop: async () => {
        try {
          child.kill("SIGTERM");
        } catch {
          // Already exited.
        }
        await child.status;
        await drained;
      },
    };
  }
  if ("timedOut" in outcome) child.kill("SIGKILL");
  await child.status;
  await drained;
  const last = logs.findLast((entry) => typeof entry.msg === "string")?.msg ?? "no output";
  const why = "timedOut" in outcome ? `did not listen within ${timeoutMs} ms` : `exited with code ${outcome.exited}`;
  throw new ScoringServerError(`the scoring server (${options.model}) ${why}: ${last}`);
}

/** A JSON log line as an object; any other line (e.g. a CLI error) as `{ msg: line }`. */
function parseLogLine(line: string): Record<string, unknown> {
  try {
    const value = JSON.parse(line);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // Not JSON: kept as text below.
  }
  return { msg: line };
}

function splitLines(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const part of parts) if (part.trim() !== "") controller.enqueue(part);
    },
    flush(controller) {
      if (rest.trim() !== "") controller.enqueue(rest);
    },
  });
}

/**
 * Starts the scoring server, hands it to `use`, and stops it when `use`
 * settles, also when it throws: a failing notebook cell leaves no server behind.
 *
 * @example
 * ```ts
 * const model = await withScoringServer({ model: "data/artifacts/model_bundle.json" }, async (server) =>
 *   await (await fetch(`${server.url}/model`)).json()
 * );
 * ```
 */
export async function withScoringServer<T>(
  options: ScoringServerOptions,
  use: (server: ScoringServer) => Promise<T>,
): Promise<T> {
  const server = await startScoringServer(options);
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}
