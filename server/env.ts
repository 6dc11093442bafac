/**
 * What every route module is given (the model holder, the metrics, the limits
 * and the logger), what it gives back (its handlers and their OpenAPI
 * description), and the Hono environment type the app is built with.
 *
 * @module
 */
import type { Hono } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import type { Logger } from "./middleware/log.ts";
import type { Metrics } from "./middleware/metrics.ts";
import type { ModelHolder } from "./model/holder.ts";
import type { Describe } from "./openapi/document.ts";

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
  /** Most records in one request on every scoring route (`/score/batch` 422, `/invocations` 413 above it). */
  readonly maxBatch: number;
  /** Time a client has to send a request body (408 after it). */
  readonly bodyTimeoutMs: number;
  /** The Bearer token the admin routes need; undefined: none (a server on loopback only). */
  readonly adminToken?: string;
}

/** A route module: its handlers, and their OpenAPI description kept next to them. */
export interface RouteModule {
  readonly app: Hono<AppEnv>;
  readonly describe: Describe;
}
