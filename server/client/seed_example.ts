/**
 * The body the seed project's scoring client sends to `POST /score`: the
 * example in the docs, tests and benchmarks.
 *
 * @module
 */

/**
 * The seed client's request body.
 *
 * @example
 * ```ts
 * await fetch("http://127.0.0.1:8000/score", { method: "POST", body: JSON.stringify(SEED_CLIENT_BODY) });
 * ```
 */
export const SEED_CLIENT_BODY = {
  customer_id: 999999,
  recency_days: 12,
  frequency: 20,
  monetary: 250.5,
  avg_amount: 62.6,
  qty_mean: 1.3,
  channels: 2,
  tenure_days: 320,
};
