/**
 * A genuine MLflow 3.6 tracking server for tests (`../shared/tools/mlflow-server`):
 * one per test file, on a free port, in a temp folder; always stopped.
 *
 * @module
 */
import { resolve } from "node:path";
import { makeTestDir } from "../temp_dir.ts";

const LAUNCHER = resolve("../shared/tools/mlflow-server/mlflow-server");

/** A running server. */
export interface MlflowServer {
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
}

/** A TCP port nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function launcher(args: string[]): Promise<{ code: number; text: string }> {
  const output = await new Deno.Command(LAUNCHER, { args, stdout: "piped", stderr: "piped" }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, text: decode(output.stdout) + decode(output.stderr) };
}

/** Starts a server (SQLite backend, proxied artifacts) and returns it once `/health` answers. */
export async function startMlflowServer(): Promise<MlflowServer> {
  const dir = await makeTestDir({ prefix: "mlflow-server-test-" });
  const port = freePort();
  const started = await launcher(["start", String(port), dir]);
  const stop = async () => {
    await launcher(["stop", String(port), dir]);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const url = /MLFLOW_SERVER_READY url=(\S+)/.exec(started.text)?.[1];
  if (started.code !== 0 || !url) {
    await stop();
    throw new Error(`MLflow server did not start: ${started.text.slice(-2000)}`);
  }
  return { url, dir, stop };
}

/** Runs `body` against a fresh server and stops the server whatever happens. */
export async function withMlflowServer(body: (server: MlflowServer) => Promise<void>): Promise<void> {
  const server = await startMlflowServer();
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}
