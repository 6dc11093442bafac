/**
 * Runs one test definition against both backends of {@link Tracking}: the
 * file store (`TrackingClient`, a fresh store in a temp folder per case) and a
 * genuine MLflow 3.6 server (`RestTracking`; one server per test file, started
 * on a free port in a temp folder and always stopped, since it takes ~5 s).
 *
 * @module
 */
import { openTracking } from "../../src/tracking/open.ts";
import type { Tracking } from "../../src/tracking/tracking.ts";
import { startMlflowServer } from "../tracking_rest/mlflow_server.ts";
import { temporaryClient, TEST_TIME } from "./helpers.ts";

/** One backend, as a test case sees it. */
export interface Backend {
  /** `file` (the local `mlruns` store) or `server` (MLflow's REST API). */
  readonly kind: "file" | "server";
  /** The store, both backends with the fixed clock {@link TEST_TIME}. */
  readonly tracking: Tracking;
  /** The file store's root folder (for checks of MLflow's on-disk layout); `undefined` on the server. */
  readonly root?: string;
  /**
   * `base` as is on the file store (each case has its own store), with a
   * per-case suffix on the server, whose experiment and registered model
   * names are shared by every case of the file.
   */
  unique(base: string): string;
}

/** A test case: the same body runs on each backend. */
export type BackendCase = (backend: Backend) => Promise<void>;

/**
 * Registers one `Deno.test` named `title` that starts an MLflow server, runs
 * every case as a step on the file store and then on the server, and stops
 * the server whatever happens.
 *
 * @example
 * ```ts
 * forEachBackend("runs", {
 *   "params read back": async ({ tracking }) => {
 *     const run = await tracking.createRun();
 *     await tracking.logParams(run.info.runId, { C: 1 });
 *   },
 * });
 * ```
 */
export function forEachBackend(title: string, cases: Readonly<Record<string, BackendCase>>): void {
  Deno.test(title, async (t) => {
    const server = await startMlflowServer();
    try {
      let serial = 0;
      for (const [name, body] of Object.entries(cases)) {
        await t.step(`${name} [file store]`, async () => {
          const { client, root } = await temporaryClient();
          await body({ kind: "file", tracking: client, root, unique: (base) => base });
        });
        const suffix = `_${++serial}`;
        await t.step(`${name} [MLflow server]`, async () => {
          const tracking = openTracking(server.url, { now: () => TEST_TIME });
          await body({ kind: "server", tracking, unique: (base) => base + suffix });
        });
      }
    } finally {
      await server.stop();
    }
  });
}
