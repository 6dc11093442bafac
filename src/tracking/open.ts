/**
 * Opens the tracking store a URI names: a tracking server for `http://` and
 * `https://`, the local file store for `file:` and plain paths. Callers get a
 * {@link Tracking} and do not know which backend they talk to.
 *
 * @module
 */
import { TrackingClient, type TrackingClientOptions } from "./client.ts";
import { RestTracking } from "./rest/client.ts";
import type { Tracking } from "./tracking.ts";
import { resolveTrackingUri, uriScheme } from "./uri.ts";

/**
 * The store for `trackingUri` (default: `MLFLOW_TRACKING_URI`, else `file:./mlruns`).
 *
 * @example
 * ```ts
 * const local = openTracking("file:./mlruns");
 * const server = openTracking("http://127.0.0.1:5000");
 * server.location; // "http://127.0.0.1:5000"
 * ```
 */
export function openTracking(trackingUri?: string, options: Omit<TrackingClientOptions, "trackingUri"> = {}): Tracking {
  const uri = resolveTrackingUri(trackingUri);
  const scheme = uriScheme(uri);
  return scheme === "http" || scheme === "https"
    ? new RestTracking({ trackingUri: uri, now: options.now })
    : new TrackingClient({ ...options, trackingUri: uri });
}

/** True when `trackingUri` (resolved as {@link openTracking} does) names a tracking server. */
export function isServerUri(trackingUri?: string): boolean {
  const scheme = uriScheme(resolveTrackingUri(trackingUri));
  return scheme === "http" || scheme === "https";
}
