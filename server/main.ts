/**
 * `deno task serve`: the scoring server.
 *
 * Without a loadable model it refuses to start (exit 1 with the reason), since
 * a server that answers 503 to every score is rarely what anyone wants; with
 * `--allow-no-model` it starts anyway, answers `/ready`, `/score` and
 * `/model` with 503 (`/ping` 404, as MLflow) and keeps polling until a model
 * loads.
 *
 * @module
 */
import { DEFAULT_MODEL_URI } from "../src/bundle/load_model.ts";
import { resolveTrackingUri } from "../src/tracking/mod.ts";
import { numberFlag, runCommand, UsageError } from "../src/cli/main.ts";
import { createApp, DEFAULT_MAX_BATCH, DEFAULT_MAX_BODY_BYTES } from "./app.ts";
import { jsonLogger } from "./log.ts";
import { ModelError, ModelHolder } from "./model_holder.ts";
import { startServer } from "./server.ts";

const usage =
  `deno task serve [--model URI] [--tracking-uri file:PATH | http://HOST:PORT] [--host 127.0.0.1] [--port 8000]
  [--poll-seconds 30] [--max-batch ${DEFAULT_MAX_BATCH}] [--max-body-bytes ${DEFAULT_MAX_BODY_BYTES}] [--allow-no-model]
Serves the model over HTTP: POST /score, /score/batch, /invocations (MLflow); GET /health, /ready, /model,
/metrics, /openapi.json, /docs, /ping, /version; POST /admin/reload.
--model: models:/NAME@ALIAS, models:/NAME/VERSION, models:/m-ID, runs:/RUN_ID/PATH or a bundle file
  (default ${DEFAULT_MODEL_URI}).
--tracking-uri: default MLFLOW_TRACKING_URI, else file:./mlruns.
--poll-seconds: how often to check whether the model's alias moved (0: never; POST /admin/reload always works).`;

await runCommand({
  usage,
  options: {
    model: { type: "string", default: DEFAULT_MODEL_URI },
    "tracking-uri": { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8000" },
    "poll-seconds": { type: "string", default: "30" },
    "max-batch": { type: "string", default: String(DEFAULT_MAX_BATCH) },
    "max-body-bytes": { type: "string", default: String(DEFAULT_MAX_BODY_BYTES) },
    "allow-no-model": { type: "boolean", default: false },
  },
}, async ({ values }) => {
  const port = positive("port", values.port, { allowZero: true });
  const pollSeconds = numberFlag("poll-seconds", values["poll-seconds"], { integer: false })!;
  if (pollSeconds < 0) throw new UsageError(`--poll-seconds must not be negative, got ${pollSeconds}`);
  const maxBatch = positive("max-batch", values["max-batch"]);
  const maxBodyBytes = positive("max-body-bytes", values["max-body-bytes"]);
  const log = jsonLogger();
  const holder = new ModelHolder({
    uri: values.model,
    trackingUri: resolveTrackingUri(values["tracking-uri"]),
    maxBatch,
    log,
  });
  try {
    await holder.load();
  } catch (error) {
    if (!values["allow-no-model"]) {
      throw new ModelError(
        `${(error as Error).message} (train and register one with \`deno task train\`, or pass --model PATH)`,
      );
    }
    log("warn", "starting without a model (--allow-no-model); /ready answers 503 until one loads");
  }
  const { app } = createApp({ holder, log, maxBatch, maxBodyBytes });
  let server;
  try {
    server = await startServer({
      fetch: app.fetch,
      hostname: values.host,
      port,
      holder,
      pollMs: pollSeconds * 1000,
      log,
    });
  } catch (error) {
    throw new UsageError(`cannot listen on ${values.host}:${port}: ${(error as Error).message}`);
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      log("info", `received ${signal}`);
      void server.shutdown();
    });
  }
  await server.finished;
  return 0;
});

function positive(name: string, value: string, { allowZero = false } = {}): number {
  const number = numberFlag(name, value)!;
  if (number < (allowZero ? 0 : 1)) {
    throw new UsageError(`--${name} must be ${allowZero ? "0 or more" : "at least 1"}, got ${number}`);
  }
  return number;
}
