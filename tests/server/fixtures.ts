/**
 * Shared fixtures of the server tests: one small model trained once per test
 * process, an app around it, a model registry in a temporary store, and a
 * request helper.
 */
import type { ModelBundle } from "../../src/bundle/bundle.ts";
import { readBundle } from "../../src/bundle/bundle.ts";
import { FittedCandidate } from "../../src/bundle/fitted.ts";
import type { LinearModel } from "../../src/models/linear.ts";
import { tableFromRecords } from "../../src/prep/records.ts";
import { DEFAULT_TRAIN_OPTIONS } from "../../src/pipeline/options.ts";
import { train } from "../../src/pipeline/train.ts";
import { TrackingClient } from "../../src/tracking/client.ts";
import { type AppOptions, createApp, type ScoringApp } from "../../server/app.ts";
import { ModelHolder, type ModelHolderOptions } from "../../server/model/holder.ts";
import { SEED_CLIENT_BODY } from "../../server/client/seed_example.ts";
import { makeTestDir } from "../temp_dir.ts";

export interface Fixture {
  readonly dir: string;
  readonly bundlePath: string;
  readonly bundle: ModelBundle;
  readonly bundleText: string;
}

let fixture: Promise<Fixture> | undefined;

/** A logistic model on a small synthetic log, trained once per process. */
export function serverFixture(): Promise<Fixture> {
  fixture ??= (async () => {
    const dir = await makeTestDir({ prefix: "server-test-" });
    const summary = await train({
      ...DEFAULT_TRAIN_OPTIONS,
      customers: 300,
      transactions: 2400,
      candidates: ["logistic"],
      folds: 3,
      out: `${dir}/model`,
      cache: false,
    }, "plain");
    return {
      dir,
      bundlePath: summary.bundle,
      bundle: readBundle(summary.bundle),
      bundleText: await Deno.readTextFile(summary.bundle),
    };
  })();
  return fixture;
}

/** A holder with the fixture's bundle loaded. */
export async function loadedHolder(options: Partial<ModelHolderOptions> = {}): Promise<ModelHolder> {
  const { bundlePath } = await serverFixture();
  const holder = new ModelHolder({ uri: bundlePath, maxBatch: 50, minReloadIntervalMs: 0, ...options });
  await holder.load();
  return holder;
}

/** The app around a loaded holder (batches of at most 50, bodies of at most 64 KiB unless told otherwise). */
export async function testApp(
  options: Partial<AppOptions> = {},
): Promise<ScoringApp & { holder: ModelHolder }> {
  const holder = options.holder ?? await loadedHolder({ maxBatch: options.maxBatch ?? 50 });
  return { ...createApp({ maxBatch: 50, maxBodyBytes: 64 * 1024, ...options, holder }), holder };
}

/** A JSON POST through `app.request`. */
export function post(
  app: ScoringApp["app"],
  path: string,
  body: unknown,
  headers: Record<string, string> = { "Content-Type": "application/json" },
): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers,
  }));
}

/** The seed client's example body. */
export const SEED_BODY = SEED_CLIENT_BODY;

export const MODEL_NAME = "customer_conversion_model";

/** A store in a temporary folder with `versions` registered versions of the bundle; `champion` points at 1. */
export async function registryStore(
  versions: readonly string[],
): Promise<{ trackingUri: string; client: TrackingClient; uri: string }> {
  const dir = await makeTestDir({ prefix: "server-registry-" });
  const trackingUri = `file:${dir}/mlruns`;
  const client = new TrackingClient({ trackingUri });
  for (const content of versions) await registerVersion(client, content);
  await client.setAlias(MODEL_NAME, "champion", 1);
  return { trackingUri, client, uri: `models:/${MODEL_NAME}@champion` };
}

/** Logs and registers one more version of the model; returns its number. */
export async function registerVersion(client: TrackingClient, content: string): Promise<number> {
  const { experimentId } = await client.getOrCreateExperiment("Customer_Conversion_Scorecard");
  const run = await client.createRun({ experimentId, runName: "server-test" });
  const model = await client.logModel({
    runId: run.info.runId,
    name: "model",
    bundle: { fileName: "model_bundle.json", content },
  });
  await client.setTerminated(run.info.runId, "FINISHED");
  const version = await client.registerModel(MODEL_NAME, `models:/${model.modelId}`, run.info.runId);
  return Number(version.version);
}

/**
 * The reason codes of the (logistic) fixture model derived from its bundle
 * alone, not through the scorer: each field's points are
 * `factor · Σ w_j · (x_j − r_j)` over its design columns, against the design
 * row of the bundle's reference customer; the `count` most negative, most
 * negative first.
 */
export function linearReasons(
  bundle: ModelBundle,
  record: Record<string, unknown>,
  count: number,
): { feature: string; points: number }[] {
  const fitted = FittedCandidate.fromJSON(bundle.fitted);
  const model = fitted.model as LinearModel;
  const schema = fitted.preparation.schema;
  const reference = Object.fromEntries(bundle.fields.map((field) => [field.name, field.reference]));
  const x = fitted.design(tableFromRecords([record], schema)).data;
  const r = fitted.design(tableFromRecords([reference], schema)).data;
  const factor = bundle.scaling.pdo / Math.LN2;
  const points = new Map<string, number>();
  fitted.preparation.outputs.forEach(({ feature }, j) => {
    points.set(feature, (points.get(feature) ?? 0) + factor * model.coefficients[j] * (x[j] - r[j]));
  });
  return [...points].map(([feature, p]) => ({ feature, points: p }))
    .filter((reason) => reason.points < 0)
    .sort((a, b) => a.points - b.points)
    .slice(0, count);
}
