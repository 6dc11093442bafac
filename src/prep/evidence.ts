/**
 * Weight of evidence and information value of a set of bins.
 *
 * Sign convention (one for the whole project): the event is label 1 (the
 * customer buys again), and `WoE_i = ln(%events_i / %non-events_i)`, the
 * seed's and R `scorecard`'s orientation. A bin with a higher event rate than
 * the population has a positive WoE, so a logistic regression of the event on
 * WoE features has positive coefficients (about 1 for a feature alone).
 * Siddiqi's credit-risk texts use the opposite sign (`ln(%good/%bad)` with
 * "bad" the event); IV is the same under both.
 *
 * Zero cells: every bin gets 0.5 added to its events and its non-events, the
 * seed's smoothing, `%events_i = (e_i + 0.5) / (E + 0.5·B)` over `B` bins, so
 * empty or pure bins keep a finite WoE.
 *
 * @module
 */

/** Per-bin WoE and IV contributions, and the total IV. */
export interface Evidence {
  readonly woe: Float64Array;
  readonly ivContributions: Float64Array;
  readonly iv: number;
}

/**
 * WoE and IV of bins given their event and non-event counts.
 *
 * @example
 * ```ts
 * const { woe, iv } = weightOfEvidence([10, 30], [40, 20]);
 * woe[0]; // ln((10.5 / 41) / (40.5 / 61)) = -0.95262...
 * ```
 */
export function weightOfEvidence(events: ArrayLike<number>, nonEvents: ArrayLike<number>): Evidence {
  const bins = events.length;
  let totalEvents = 0;
  let totalNonEvents = 0;
  for (let b = 0; b < bins; b++) {
    totalEvents += events[b];
    totalNonEvents += nonEvents[b];
  }
  const woe = new Float64Array(bins);
  const ivContributions = new Float64Array(bins);
  let iv = 0;
  for (let b = 0; b < bins; b++) {
    const eventShare = (events[b] + 0.5) / (totalEvents + 0.5 * bins);
    const nonEventShare = (nonEvents[b] + 0.5) / (totalNonEvents + 0.5 * bins);
    woe[b] = Math.log(eventShare / nonEventShare);
    ivContributions[b] = (eventShare - nonEventShare) * woe[b];
    iv += ivContributions[b];
  }
  return { woe, ivContributions, iv };
}

/** The usual reading of an IV (field notes §4): < 0.02 useless ... > 0.5 suspicious. */
export type IvBand = "useless" | "weak" | "medium" | "strong" | "suspicious";

/**
 * The rule-of-thumb band of an information value.
 *
 * @example
 * ```ts
 * ivBand(0.15); // "medium"
 * ```
 */
export function ivBand(iv: number): IvBand {
  if (iv < 0.02) return "useless";
  if (iv < 0.1) return "weak";
  if (iv < 0.3) return "medium";
  if (iv <= 0.5) return "strong";
  return "suspicious";
}
