/**
 * Two registered versions scored on the same held-out rows: the sample a
 * tracked training logged ({@link HELDOUT_SAMPLE_PATH}), scored by both
 * versions' Scorers (the server's), giving metric deltas, ROC and calibration
 * overlays and the PSI between the two score distributions. Reads only
 * through the {@link Tracking} interface, so it works on a file store and on
 * a tracking server alike.
 *
 * @module
 */
import type { Scorer } from "../bundle/scorer.ts";
import { DataError } from "../data/errors.ts";
import { type CalibrationOptions, calibrationTable } from "../evaluate/calibration.ts";
import { calibrationChart } from "../evaluate/charts/calibration.ts";
import { rocChart } from "../evaluate/charts/roc.ts";
import { psi, type PsiResult } from "../evaluate/psi.ts";
import { type BinaryReport, binaryReport } from "../evaluate/report.ts";
import { rocCurve } from "../evaluate/roc.ts";
import { HELDOUT_SAMPLE_PATH, type HeldoutSample, parseHeldoutSample } from "../pipeline/heldout_sample.ts";
import type { ModelVersion } from "../tracking/entities.ts";
import { isTrackingError } from "../tracking/errors.ts";
import type { Tracking } from "../tracking/tracking.ts";

/** One side of a comparison: the version and its loaded scorer. */
export interface ComparedVersion {
  readonly version: ModelVersion;
  readonly scorer: Scorer;
}

/** Which side's held-out rows to use. */
export type RowsFrom = "a" | "b";

/** Both versions scored on one held-out sample. */
export interface HeldoutComparison {
  readonly kind: "scored";
  /** The side whose training logged the rows, and that version. */
  readonly rowsFrom: RowsFrom;
  readonly sourceVersion: number;
  /** Rows scored, and rows in that training's whole test split. */
  readonly rows: number;
  readonly testRows: number;
  readonly a: BinaryReport;
  readonly b: BinaryReport;
  /** B's probabilities against A's, in bands cut at A's deciles. */
  readonly psi: PsiResult;
  readonly rocSvg: string;
  readonly calibrationSvg: string;
}

/** Why no held-out comparison could be made (said on the page instead). */
export interface NoComparison {
  readonly kind: "unavailable";
  readonly reason: string;
}

/**
 * Scores both versions on one side's held-out sample. By default the rows
 * of the later-registered version (the training whose promotion decision
 * compared the two on exactly those rows); `rowsFrom` picks a side, falling
 * back to the other side when the chosen one logged no sample. A version
 * that cannot score the rows (another feature set) gives a reason, not an
 * error.
 *
 * @example
 * ```ts
 * declare const client: import("../tracking/tracking.ts").Tracking;
 * declare const a: ComparedVersion, b: ComparedVersion;
 * const result = await compareOnHeldout(client, a, b);
 * if (result.kind === "scored") result.b.auc - result.a.auc;
 * ```
 */
export async function compareOnHeldout(
  client: Tracking,
  a: ComparedVersion,
  b: ComparedVersion,
  rowsFrom?: RowsFrom,
): Promise<HeldoutComparison | NoComparison> {
  const preferred: RowsFrom = rowsFrom ?? (b.version.version >= a.version.version ? "b" : "a");
  const order: RowsFrom[] = preferred === "a" ? ["a", "b"] : ["b", "a"];
  for (const side of order) {
    const source = side === "a" ? a : b;
    const sample = await readHeldoutSample(client, source.version);
    if (sample === undefined) continue;
    const scored: Float64Array[] = [];
    for (const [label, { version, scorer }] of [["A", a], ["B", b]] as const) {
      try {
        scored.push(scorer.scoreTable(sample.table, { reasons: 0 }).probability);
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        return {
          kind: "unavailable",
          reason: `${label} (v${version.version}) cannot score v${source.version.version}'s held-out rows: ` +
            `the feature sets differ (${error.message})`,
        };
      }
    }
    const [pa, pb] = scored;
    const labels = sample.labels;
    const names = [`A: v${a.version.version}`, `B: v${b.version.version}`];
    const [ra, rb] = [binaryReport(pa, labels), binaryReport(pb, labels)];
    return {
      kind: "scored",
      rowsFrom: side,
      sourceVersion: source.version.version,
      rows: sample.table.rows,
      testRows: sample.testRows,
      a: ra,
      b: rb,
      psi: psi(pa, pb),
      rocSvg: rocChart([
        { name: names[0], curve: rocCurve(pa, labels), auc: ra.auc },
        { name: names[1], curve: rocCurve(pb, labels), auc: rb.auc },
      ]),
      calibrationSvg: calibrationChart([
        { name: names[0], table: calibrationTable(pa, labels, calibrationBins(sample.table.rows)) },
        { name: names[1], table: calibrationTable(pb, labels, calibrationBins(sample.table.rows)) },
      ]),
    };
  }
  return {
    kind: "unavailable",
    reason: `neither v${a.version.version} nor v${b.version.version} has a held-out sample ` +
      `(${HELDOUT_SAMPLE_PATH} of its training run: trainings before it was logged, or versions registered by hand)`,
  };
}

/**
 * Equal-count bins of about 30 rows each, 3 to 10 of them: with equal-width
 * bins a 59-row sample (the UI test's) left most bins with 1 to 3 rows, and
 * the curve zigzagged between 0 and 1.
 */
function calibrationBins(rows: number): CalibrationOptions {
  return { strategy: "quantile", bins: Math.max(3, Math.min(10, Math.round(rows / 30))) };
}

/**
 * The held-out sample of the training that produced `version`: logged on the
 * training's parent run (the version's source run is a nested candidate run),
 * else on the source run itself; undefined when there is none.
 */
async function readHeldoutSample(client: Tracking, version: ModelVersion): Promise<HeldoutSample | undefined> {
  if (version.runId === null) return undefined;
  const run = await client.getRun(version.runId);
  const runs = [run.data.tags["mlflow.parentRunId"], run.info.runId].filter((id) => id !== undefined);
  for (const runId of runs) {
    let text: string;
    try {
      text = await client.readArtifactText(runId, HELDOUT_SAMPLE_PATH);
    } catch (error) {
      // Both backends say RESOURCE_DOES_NOT_EXIST for a missing artifact (tests/tracking/artifacts_test.ts).
      if (isTrackingError(error, "RESOURCE_DOES_NOT_EXIST")) continue;
      throw error;
    }
    return parseHeldoutSample(text, `run ${runId}`);
  }
  return undefined;
}
