/**
 * A fitted candidate: its preparation, its model and the log-odds shift that
 * corrects probabilities back to the true base rate when training reweighted
 * or resampled the classes. It turns a {@link Table} into log-odds, and
 * round-trips through JSON (the model bundle's core).
 *
 * @module
 */
import type { DesignMatrix, Table } from "../data/table.ts";
import type { FittedClassifier, ModelJSON } from "../models/classifier.ts";
import { modelFromJSON } from "../models/from_json.ts";
import { Preparation, type PreparationJSON } from "../prep/preparation.ts";

/** The JSON form of a {@link FittedCandidate}. */
export interface FittedCandidateJSON {
  readonly candidate: string;
  readonly preparation: PreparationJSON;
  readonly model: ModelJSON;
  /** Added to the model's log-odds (0 when training kept the true class balance). */
  readonly logOddsShift: number;
}

/** A candidate's fitted preparation and model. */
export class FittedCandidate {
  constructor(
    readonly candidate: string,
    readonly preparation: Preparation,
    readonly model: FittedClassifier,
    readonly logOddsShift: number,
  ) {}

  /**
   * Revives a fitted candidate from its JSON form.
   *
   * @example
   * ```ts
   * declare const fitted: FittedCandidate;
   * const again = FittedCandidate.fromJSON(JSON.parse(JSON.stringify(fitted)));
   * ```
   */
  static fromJSON(json: FittedCandidateJSON): FittedCandidate {
    return new FittedCandidate(
      json.candidate,
      Preparation.fromJSON(json.preparation),
      modelFromJSON(json.model),
      json.logOddsShift,
    );
  }

  /** Prepares a table into the model's design matrix. */
  design(table: Table): DesignMatrix {
    return this.preparation.transform(table);
  }

  /** Corrected log-odds of the event per row. */
  logOdds(table: Table): Float64Array {
    return this.logOddsOf(this.design(table));
  }

  /** Corrected log-odds of the event per row of a prepared design matrix. */
  logOddsOf(X: DesignMatrix): Float64Array {
    const z = this.model.predictLogOdds(X);
    if (this.logOddsShift !== 0) { for (let i = 0; i < z.length; i++) z[i] += this.logOddsShift; }
    return z;
  }

  /** Corrected probabilities of the event per row. */
  probabilities(table: Table): Float64Array {
    const z = this.logOdds(table);
    for (let i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
    return z;
  }

  toJSON(): FittedCandidateJSON {
    return {
      candidate: this.candidate,
      preparation: this.preparation.toJSON(),
      model: this.model.toJSON(),
      logOddsShift: this.logOddsShift,
    };
  }
}
