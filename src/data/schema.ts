/**
 * The transaction log's canonical schema: the seed project's columns, of which
 * only `customer_id`, `purchase_datetime` and `amount` are required; loaders
 * map users' own column names onto these.
 *
 * @module
 */

/** Canonical transaction column names, in the seed's order. */
export const TRANSACTION_COLUMNS = [
  "transaction_id",
  "customer_id",
  "purchase_datetime",
  "product_id",
  "quantity",
  "price",
  "channel",
  "promo_flag",
  "amount",
] as const;

/** One canonical transaction column name. */
export type TransactionColumn = (typeof TRANSACTION_COLUMNS)[number];

/** The columns without which no feature or label can be built. */
export const REQUIRED_TRANSACTION_COLUMNS: readonly TransactionColumn[] = [
  "customer_id",
  "purchase_datetime",
  "amount",
];

/**
 * The polars dtype each canonical column has after loading: ids and counts as
 * Int64, money as Float64, `purchase_datetime` as `Datetime("ms")`, `channel`
 * as Utf8 and `promo_flag` as Int64 0/1. Missing values are nulls.
 */
export const TRANSACTION_DTYPES: Readonly<Record<TransactionColumn, string>> = {
  transaction_id: "Int64",
  customer_id: "Int64",
  purchase_datetime: "Datetime",
  product_id: "Int64",
  quantity: "Int64",
  price: "Float64",
  channel: "Utf8",
  promo_flag: "Int64",
  amount: "Float64",
};
