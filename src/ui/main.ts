/**
 * `deno task ui`: serves the web UI. Binds 127.0.0.1 by default; bound to any
 * other address it needs a token (`--token` or `UI_TOKEN`) and refuses to
 * start without one.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createUiApp } from "./app.ts";

const usage =
  `deno task ui [--tracking-uri URI] [--flowruns DIR] [--artifacts DIR] [--host 127.0.0.1] [--port 5000] [--token TOKEN]`;
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

/** Starts the UI server from command-line flags; resolves when it stops. */
export async function main(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      "tracking-uri": { type: "string" },
      flowruns: { type: "string", default: "flowruns" },
      artifacts: { type: "string", default: "data/artifacts" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "5000" },
      token: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`--port: "${values.port}" is not a port`);
  }
  const token = values.token ?? Deno.env.get("UI_TOKEN") ?? undefined;
  if (!LOCAL_HOSTS.has(values.host) && !token) {
    throw new RangeError(`--host ${values.host} exposes the UI beyond this machine: give --token or set UI_TOKEN`);
  }
  const app = createUiApp({
    trackingUri: values["tracking-uri"],
    flowrunsDir: values.flowruns,
    artifactsDir: values.artifacts,
    token,
  });
  const server = Deno.serve({
    hostname: values.host,
    port,
    onListen: ({ hostname, port }) => console.log(`UI on http://${hostname}:${port}/`),
  }, app.fetch);
  await server.finished;
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error(`ui: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(1);
  }
}
