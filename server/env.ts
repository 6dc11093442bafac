/**
 * What every route module is given: the model holder, the metrics, the limits
 * and the logger, and the Hono environment type the app is built with.
 *
 * @module
 */
import type { RequestIdVariables } from "hono/request-id";
import type { Logger } from "./middleware/log.ts";
import type { Metrics } from "./middleware/metrics.ts";
import type { ModelHolder } from "./model/holder.ts";

/** The Hono environment of the app (the request id middleware's variable). */
export interface AppEnv {
  Variables: RequestIdVariables;
}

/** The server's shared parts, handed to each route module. */
export interface ServerDeps {
  readonly holder: ModelHolder;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Largest request body accepted, in bytes (413 above it). */
  readonly maxBodyBytes: number;
  /** Largest `/score/batch` array (422 above it). */
  readonly maxBatch: number;
}
