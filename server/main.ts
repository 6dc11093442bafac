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
import { resolveTrackingUri } from "../src/tracking/uri.ts";
import { numberFlag, runCommand, UsageError } from "../src/cli/run_command.ts";
import { createApp, DEFAULT_MAX_BATCH, DEFAULT_MAX_BODY_BYTES } from "./app.ts";
import { DEFAULT_BODY_TIMEOUT_MS } from "./middleware/read_body.ts";
import { ADMIN_TOKEN_RULE } from "./middleware/admin_guard.ts";
import { jsonLogger } from "./middleware/log.ts";
import { ModelHolder } from "./model/holder.ts";
import { ModelError } from "../src/models/errors.ts";
import { startServer } from "./server.ts";

const usage =
  `deno task serve [--model URI] [--tracking-uri file:PATH | http://HOST:PORT] [--host 127.0.0.1] [--port 8000]
  [--poll-seconds 30] [--max-batch ${DEFAULT_MAX_BATCH}] [--max-body-bytes ${DEFAULT_MAX_BODY_BYTES}]
  [--body-timeout-ms ${DEFAULT_BODY_TIMEOUT_MS}] [--idle-timeout-ms 0] [--admin-token TOKEN] [--allow-unauthenticated-admin]
  [--allow-schema-change] [--allow-no-model]
Serves the model over HTTP: POST /score, /score/batch, /invocations (MLflow); GET /health, /ready, /model,
/metrics, /openapi.json, /docs, /ping, /version; POST /admin/reload.
--model: models:/NAME@ALIAS, models:/NAME/VERSION, models:/m-ID, runs:/RUN_ID/PATH or a bundle file
  (default ${DEFAULT_MODEL_URI}).
--tracking-uri: default MLFLOW_TRACKING_URI, else file:./mlruns.
--poll-seconds: how often to check whether the model's alias moved (0: never; POST /admin/reload always works).
--max-batch: most records in one request on /score/batch and /invocations.
--body-timeout-ms: time a client has to send a request body (408 after it).
--idle-timeout-ms: close connections that carry no byte for this long (0: never; when set, connections pass through
  a relay, since Deno.serve has no such timeout: a second socket and a copy per connection).
--admin-token: the Bearer token POST /admin/reload needs (default: SCORING_ADMIN_TOKEN; at least 16 characters of
  A-Z a-z 0-9 . _ ~ + / -). Required when --host is not loopback, unless --allow-unauthenticated-admin.
--allow-schema-change: swap in a new model even when it lacks an input field of the serving one, or reads it as
  another kind (refused by default: it would break every existing client).`;

/** The environment variable holding the admin token (kept out of `ps` output, unlike a flag). */
const ADMIN_TOKEN_ENV = "SCORING_ADMIN_TOKEN";

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
    "body-timeout-ms": { type: "string", default: String(DEFAULT_BODY_TIMEOUT_MS) },
    "idle-timeout-ms": { type: "string", default: "0" },
    "allow-no-model": { type: "boolean", default: false },
    "admin-token": { type: "string" },
    "allow-unauthenticated-admin": { type: "boolean", default: false },
    "allow-schema-change": { type: "boolean", default: false },
  },
}, async ({ values }) => {
  const port = positive("port", values.port, { allowZero: true });
  const pollSeconds = numberFlag("poll-seconds", values["poll-seconds"], { integer: false })!;
  if (pollSeconds < 0) throw new UsageError(`--poll-seconds must not be negative, got ${pollSeconds}`);
  const maxBatch = positive("max-batch", values["max-batch"]);
  const maxBodyBytes = positive("max-body-bytes", values["max-body-bytes"]);
  const bodyTimeoutMs = positive("body-timeout-ms", values["body-timeout-ms"]);
  const idleTimeoutMs = positive("idle-timeout-ms", values["idle-timeout-ms"], { allowZero: true });
  const adminToken = values["admin-token"] ?? (Deno.env.get(ADMIN_TOKEN_ENV) || undefined);
  if (adminToken !== undefined && !ADMIN_TOKEN_RULE.test(adminToken)) {
    throw new UsageError(
      `the admin token (--admin-token or ${ADMIN_TOKEN_ENV}) must be at least 16 characters of A-Z a-z 0-9 . _ ~ + / -`,
    );
  }
  const log = jsonLogger();
  if (!isLoopback(values.host) && adminToken === undefined) {
    if (!values["allow-unauthenticated-admin"]) {
      throw new UsageError(
        `refusing to listen on ${values.host} without an admin token: anyone who can reach it could reload the ` +
          `model. Set ${ADMIN_TOKEN_ENV} (or --admin-token), or pass --allow-unauthenticated-admin`,
      );
    }
    log("warn", "admin routes need no token (--allow-unauthenticated-admin) on a non-loopback address", {
      host: values.host,
    });
  }
  const holder = new ModelHolder({
    uri: values.model,
    trackingUri: resolveTrackingUri(values["tracking-uri"]),
    maxBatch,
    log,
    allowSchemaChange: values["allow-schema-change"],
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
  const { app } = createApp({
    holder,
    log,
    maxBatch,
    maxBodyBytes,
    bodyTimeoutMs,
    ...(adminToken !== undefined ? { adminToken } : {}),
  });
  let server;
  try {
    server = await startServer({
      fetch: app.fetch,
      hostname: values.host,
      port,
      holder,
      pollMs: pollSeconds * 1000,
      idleTimeoutMs,
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

/** Whether a listening address is reachable from this machine only. */
function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}
