/**
 * How a tracked job that crashed is recorded.
 *
 * @module
 */
import { FlowRunError } from "../flow/flow.ts";
import type { Tracking } from "./tracking.ts";

/**
 * Ends a tracking run as FAILED with the error message as its `error` tag
 * (and the failed flow run's id, when a flow failed), as MLflow users expect
 * of a crashed job.
 *
 * @example
 * ```ts
 * import type { TrackingClient } from "./client.ts";
 *
 * declare const client: TrackingClient;
 * declare function train(): Promise<void>;
 *
 * const run = await client.createRun({ runName: "LogisticRegression" });
 * try {
 *   await train();
 *   await client.setTerminated(run.info.runId, "FINISHED");
 * } catch (error) {
 *   await markRunFailed(client, run.info.runId, error);
 *   throw error;
 * }
 * ```
 */
export async function markRunFailed(client: Tracking, runId: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await client.setTag(runId, "error", message.slice(0, 5000));
  if (error instanceof FlowRunError) await client.setTag(runId, "flow_run_id", error.record.id);
  await client.setTerminated(runId, "FAILED");
}
