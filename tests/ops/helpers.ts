/**
 * Shared fixtures of the ops tests: one small model trained once per test
 * process, and the synthetic transaction log and feature table it scores.
 */
import type pl from "nodejs-polars";
import { generateTransactions } from "../../src/data/generate.ts";
import { writeTable } from "../../src/data/write_table.ts";
import { buildFeatures } from "../../src/features/build.ts";
import { readBundle } from "../../src/bundle/bundle.ts";
import type { ModelBundle } from "../../src/bundle/bundle.ts";
import { DEFAULT_TRAIN_OPTIONS } from "../../src/pipeline/options.ts";
import { train } from "../../src/pipeline/train.ts";
import { makeTestDir } from "../temp_dir.ts";

export interface Fixture {
  readonly dir: string;
  readonly bundlePath: string;
  readonly bundle: ModelBundle;
  /** The training log (CSV) and its customers' features as of the training cutoff (CSV and Parquet). */
  readonly logCsv: string;
  readonly featuresCsv: string;
  readonly featuresParquet: string;
  readonly features: pl.DataFrame;
}

const SETTINGS = { customers: 400, transactions: 3200, seed: 7 };
let fixture: Promise<Fixture> | undefined;

/** Trains a logistic model on a small synthetic log (once per process) and writes its inputs. */
export function opsFixture(): Promise<Fixture> {
  fixture ??= build();
  return fixture;
}

async function build(): Promise<Fixture> {
  const dir = await makeTestDir({ prefix: "ops-test-" });
  const summary = await train({
    ...DEFAULT_TRAIN_OPTIONS,
    ...SETTINGS,
    candidates: ["logistic"],
    folds: 3,
    out: `${dir}/model`,
    cache: false,
  }, "plain");
  const bundle = readBundle(summary.bundle);
  const log = generateTransactions(SETTINGS);
  const logCsv = `${dir}/tx.csv`;
  writeTable(log, logCsv);
  if (bundle.definition.kind !== "transactions") throw new Error("fixture: expected a transaction model");
  const cutoff = new Date(Date.parse(bundle.definition.cutoff) + 86_400_000 - 1);
  const features = buildFeatures(log, { cutoff, features: bundle.definition.features.map((f) => f.name) }).frame;
  const featuresCsv = `${dir}/features.csv`;
  const featuresParquet = `${dir}/features.parquet`;
  writeTable(features, featuresCsv);
  writeTable(features, featuresParquet);
  return { dir, bundlePath: summary.bundle, bundle, logCsv, featuresCsv, featuresParquet, features };
}
