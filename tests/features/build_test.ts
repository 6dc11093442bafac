import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { DataError } from "../../src/data/errors.ts";
import { createRandom, type Random } from "../../src/stats/random.ts";
import { buildFeatures } from "../../src/features/build.ts";
import { featureCatalogue } from "../../src/features/spec.ts";
import { logFrame, parsedTime, randomLog, randomRows, type Transaction } from "./fixtures.ts";

const DAY_MS = 86_400_000;
const CUTOFF = new Date("2024-07-01T00:00:00Z");

/** Column values by customer id, for comparing with hand-computed figures. */
function byCustomer(frame: pl.DataFrame, name: string): Map<number, unknown> {
  const ids = frame.getColumn("customer_id").toArray() as number[];
  const values = frame.getColumn(name).toArray();
  return new Map(ids.map((id, i) => [Number(id), values[i]]));
}

function assertClose(actual: unknown, expected: number, label: string, tolerance = 1e-9): void {
  assert.equal(typeof actual, "number", `${label}: expected a number, got ${actual}`);
  assert.ok(Math.abs((actual as number) - expected) <= tolerance, `${label}: ${actual} != ${expected}`);
}

// Customer 1: four purchases before the cutoff (one a return, one with unknown channel/promo/product) and one after;
// customer 2: one purchase; customer 3: only after the cutoff; customer 4: two purchases long before, tie of channels.
const HAND_LOG: Transaction[] = [
  row(1, 1, "2024-01-10 10:00:00", 100, 1, "web", 0, 10),
  row(2, 1, "2024-03-01 12:00:00", 101, 2, "app", 1, 20),
  row(3, 1, "2024-06-20 00:00:00", 100, -1, "web", 0, -5),
  row(4, 1, "2024-06-30 18:00:00", null, 1, null, null, 15),
  row(5, 1, "2024-07-05 09:00:00", 102, 9, "store", 1, 1000),
  row(6, 2, "2024-05-01 00:00:00", 7, 3, "store", 1, 50),
  row(7, 3, "2024-07-01 00:00:01", 7, 1, "web", 0, 40),
  row(8, 4, "2023-12-11 00:00:00", null, null, "web", null, null),
  row(9, 4, "2023-12-01 00:00:00", null, null, "app", null, 5),
];

function row(
  transaction_id: number,
  customer_id: number | null,
  purchase_datetime: string | null,
  product_id: number | null,
  quantity: number | null,
  channel: string | null,
  promo_flag: number | null,
  amount: number | null,
): Transaction {
  const price = amount === null || quantity === null || quantity === 0 ? null : amount / quantity;
  return { transaction_id, customer_id, purchase_datetime, product_id, quantity, price, channel, promo_flag, amount };
}

Deno.test("hand-built log: every feature equals its hand-computed value", () => {
  const { frame, features, notices } = buildFeatures(logFrame(HAND_LOG), { cutoff: CUTOFF });
  assert.deepEqual(frame.columns, ["customer_id", ...featureCatalogue().map((spec) => spec.name)]);
  assert.deepEqual(features.map((spec) => spec.name), frame.columns.slice(1));
  assert.deepEqual(notices, []);
  assert.deepEqual(frame.getColumn("customer_id").toArray().map(Number), [1, 2, 4]);

  // Gaps of customer 1: Jan 10 10:00 -> Mar 1 12:00 -> Jun 20 00:00 -> Jun 30 18:00.
  const gaps = [51 + 2 / 24, 110.5, 10.75];
  const expected: Record<string, [unknown, unknown, unknown]> = {
    recency_days: [0, 61, 203],
    frequency: [4, 1, 2],
    monetary: [40, 50, 5],
    avg_amount: [10, 50, 5],
    qty_mean: [0.75, 3, null],
    channels: [2, 1, 2],
    tenure_days: [172, 61, 213],
    preferred_channel: ["web", "store", "app"],
    promo_share: [1 / 3, 1, null],
    gap_mean_days: [(gaps[0] + gaps[1] + gaps[2]) / 3, null, 10],
    gap_std_days: [50.17831629225841, null, null],
    recent_purchases: [2, 1, 0],
    activity_trend: [0, 1, 0],
    purchase_days: [4, 1, 2],
    distinct_products: [2, 1, 0],
    return_rate: [0.25, 0, null],
  };
  for (const [name, values] of Object.entries(expected)) {
    const actual = byCustomer(frame, name);
    [1, 2, 4].forEach((id, i) => {
      const want = values[i];
      if (typeof want === "number") assertClose(actual.get(id), want, `${name} of customer ${id}`);
      else assert.equal(actual.get(id), want, `${name} of customer ${id}`);
    });
  }
});

Deno.test("activity trend compares the last window with the one before, at the window edges", () => {
  // Window 10 days before 2024-07-01: recent = (Jun 21, Jul 1], prior = (Jun 11, Jun 21].
  const log = logFrame([
    { customer_id: 1, purchase_datetime: "2024-06-21 00:00:00", amount: 1 }, // prior (edge)
    { customer_id: 1, purchase_datetime: "2024-06-21 00:00:01", amount: 1 }, // recent
    { customer_id: 1, purchase_datetime: "2024-06-11 00:00:00", amount: 1 }, // neither (edge)
    { customer_id: 1, purchase_datetime: "2024-07-01 00:00:00", amount: 1 }, // recent (at the cutoff)
    { customer_id: 2, purchase_datetime: "2024-06-15 00:00:00", amount: 1 }, // prior
  ]);
  const { frame } = buildFeatures(log, { cutoff: CUTOFF, trendWindowDays: 10 });
  assert.deepEqual(frame.getColumn("recent_purchases").toArray(), [2, 0]);
  assert.deepEqual(frame.getColumn("activity_trend").toArray(), [1 / 3, -1]);
  assert.deepEqual(frame.getColumn("recency_days").toArray(), [0, 16]);
});

Deno.test("exact duplicate rows are dropped once and unattributable rows are skipped, with notices", () => {
  const log = logFrame([
    ...HAND_LOG,
    HAND_LOG[0],
    HAND_LOG[0],
    HAND_LOG[5],
    row(10, null, "2024-02-01 00:00:00", 1, 1, "web", 0, 99),
    row(11, null, "2024-08-01 00:00:00", 1, 1, "web", 0, 99),
    row(12, 2, null, 1, 1, "web", 0, 99),
  ]);
  const { frame, notices } = buildFeatures(log, { cutoff: CUTOFF });
  const clean = buildFeatures(logFrame(HAND_LOG), { cutoff: CUTOFF }).frame;
  assert.ok(frame.frameEqual(clean, true), "duplicates or unattributable rows changed a feature");
  assert.deepEqual(notices, [
    "1 rows without purchase_datetime skipped.",
    "1 rows up to the cutoff without customer_id skipped.",
    "3 duplicate rows dropped.",
  ]);

  const kept = buildFeatures(log.drop("transaction_id"), { cutoff: CUTOFF });
  assert.equal(byCustomer(kept.frame, "frequency").get(1), 6, "without transaction_id, identical rows are purchases");
  assert.ok(!kept.notices.some((notice) => notice.includes("duplicate")));
});

Deno.test("seed: reproduces the seed's features.csv (reference date = last transaction + 1 day, whole days)", () => {
  const log = pl.readCSV("../shared/data/seed/dummy_transactions.csv").withColumns(parsedTime());
  const last = log.select(pl.col("purchase_datetime").cast(pl.Int64).max()).row(0)[0] as number;
  const cutoff = new Date(last + DAY_MS);
  assert.equal(cutoff.toISOString(), "2024-12-31T23:00:00.000Z");
  const seed = ["recency_days", "frequency", "monetary", "avg_amount", "qty_mean", "channels", "tenure_days"];
  const { frame } = buildFeatures(log, { cutoff, features: seed });
  const expected = pl.readCSV("../shared/data/seed/features.csv");
  assert.equal(frame.height, expected.height);
  const joined = expected.join(frame, { on: "customer_id", suffix: "_ours" });
  assert.equal(joined.height, 1000);
  for (const name of seed) {
    const worst = joined.select(pl.col(name).sub(pl.col(`${name}_ours`)).abs().max()).row(0)[0] as number;
    assert.ok(worst <= 1e-9, `${name}: largest difference ${worst}`);
  }
});

Deno.test("CDNOW: reproduces the reference calibration features from a log without optional columns", () => {
  const log = pl.readCSV("../shared/data/real/cdnow_transactions.csv")
    .rename({ date: "purchase_datetime" })
    .withColumns(pl.col("purchase_datetime").str.strptime(pl.Date, "%Y-%m-%d"));
  const { frame, notices } = buildFeatures(log, { cutoff: new Date("1997-09-30T00:00:00Z") });
  assert.deepEqual(notices, [
    "channels left out: no channel column.",
    "preferred_channel left out: no channel column.",
    "promo_share left out: no promo_flag column.",
    "distinct_products left out: no product_id column.",
  ]);
  const expected = pl.readCSV("../shared/data/real/cdnow_features.csv");
  const joined = expected.join(frame, { on: "customer_id", suffix: "_ours" });
  assert.equal(frame.height, 23_570);
  assert.equal(joined.height, 23_570);
  const pairs: [string, string, number][] = [
    ["recency_days", "recency_days", 0],
    ["frequency", "frequency", 0],
    ["monetary_total", "monetary", 0.005],
    ["avg_amount", "avg_amount", 1e-6],
    ["avg_quantity", "qty_mean", 1e-6],
    ["tenure_days", "tenure_days", 0],
    ["n_purchase_days", "purchase_days", 0],
  ];
  for (const [theirs, ours, tolerance] of pairs) {
    const other = theirs === ours ? `${ours}_ours` : ours;
    const worst = joined.select(pl.col(theirs).sub(pl.col(other)).abs().max()).row(0)[0] as number;
    assert.ok(worst <= tolerance, `${ours}: largest difference ${worst}`);
  }
});

/**
 * The same log with every row after the cutoff changed, some removed and new
 * ones added (new customers too), in a shuffled row order.
 */
function perturbAfter(log: pl.DataFrame, cutoff: Date, customers: number, random: Random): pl.DataFrame {
  const after = pl.col("purchase_datetime").cast(pl.Int64).gt(cutoff.getTime());
  const before = log.filter(after.not().fillNull(true));
  const post = log.filter(after.fillNull(false));
  const kept = post.filter(pl.Series(Array.from({ length: post.height }, () => random.next() < 0.7)));
  const changed = kept.withColumns(
    pl.Series("customer_id", Array.from({ length: kept.height }, () => 1 + random.int(customers + 20)), pl.Int64),
    pl.Series("amount", Array.from({ length: kept.height }, () => random.normal() * 1000), pl.Float64),
    pl.Series("channel", Array.from({ length: kept.height }, () => ["web", "app", "fax"][random.int(3)]), pl.Utf8),
    pl.col("quantity").mul(-1).cast(pl.Int64),
  );
  const added = randomRows(random, 1 + random.int(300), {
    customers: customers + 20,
    from: cutoff.getTime(),
    to: cutoff.getTime() + 120 * DAY_MS,
    missing: 0.05,
    firstId: 1_000_000,
  }).filter(pl.col("purchase_datetime").isNotNull());
  const combined = pl.concat([before, changed, added]);
  const order = random.shuffle(Array.from({ length: combined.height }, (_, i) => i));
  return combined.withColumns(pl.Series("__order", order)).sort("__order").drop("__order");
}

Deno.test("no leakage: changing, adding or removing transactions after the cutoff changes no feature", () => {
  const random = createRandom(2024);
  const cutoff = new Date("2024-10-01T00:00:00Z");
  const log = randomLog(11, { rows: 3000, customers: 120, start: Date.UTC(2024, 0, 1), spanDays: 366 });
  const reference = buildFeatures(log, { cutoff });
  assert.ok(reference.frame.height > 100 && reference.frame.width === 17);
  for (let i = 0; i < 6; i++) {
    const perturbed = perturbAfter(log, cutoff, 120, random);
    assert.notEqual(perturbed.height, log.height, "the perturbation should change the log");
    const again = buildFeatures(perturbed, { cutoff });
    assert.ok(again.frame.frameEqual(reference.frame, true), `perturbation ${i} changed a feature`);
    assert.deepEqual(again.notices, reference.notices);
  }

  // The property is not vacuous: one changed amount before the cutoff does change a feature.
  const changedBefore = log.withColumns(
    pl.when(pl.col("purchase_datetime").cast(pl.Int64).lt(cutoff.getTime()).and(pl.col("amount").isNotNull()))
      .then(pl.col("amount").add(1))
      .otherwise(pl.col("amount"))
      .alias("amount"),
  );
  assert.ok(!buildFeatures(changedBefore, { cutoff }).frame.frameEqual(reference.frame, true));
});

Deno.test("absent optional columns: their features are left out with a notice, the others computed", () => {
  const minimal = logFrame(HAND_LOG.map(({ customer_id, purchase_datetime, amount }) => ({
    customer_id,
    purchase_datetime,
    amount,
  })));
  const { frame, features, notices } = buildFeatures(minimal, { cutoff: CUTOFF });
  assert.deepEqual(features.map((spec) => spec.name), [
    "recency_days",
    "frequency",
    "monetary",
    "avg_amount",
    "tenure_days",
    "gap_mean_days",
    "gap_std_days",
    "recent_purchases",
    "activity_trend",
    "purchase_days",
  ]);
  assert.deepEqual(notices, [
    "qty_mean left out: no quantity column.",
    "channels left out: no channel column.",
    "preferred_channel left out: no channel column.",
    "promo_share left out: no promo_flag column.",
    "distinct_products left out: no product_id column.",
    "return_rate left out: no quantity column.",
  ]);
  const full = buildFeatures(logFrame(HAND_LOG), { cutoff: CUTOFF, dropDuplicates: false }).frame;
  assert.ok(frame.frameEqual(full.select("customer_id", ...features.map((spec) => spec.name)), true));
});

Deno.test("requested features: exactly those, in catalogue order; unknown or unprovidable ones are errors", () => {
  const log = logFrame(HAND_LOG);
  const { frame, notices } = buildFeatures(log, { cutoff: CUTOFF, features: ["return_rate", "frequency"] });
  assert.deepEqual(frame.columns, ["customer_id", "frequency", "return_rate"]);
  assert.deepEqual(notices, []);
  assert.throws(() => buildFeatures(log, { cutoff: CUTOFF, features: ["loyalty"] }), /unknown features loyalty/);
  assert.throws(
    () => buildFeatures(log.drop("channel"), { cutoff: CUTOFF, features: ["preferred_channel"] }),
    (error) => error instanceof DataError && /preferred_channel \(needs channel\)/.test(error.message),
  );
});

Deno.test("preferred channel with more channels than are counted inline: most used, ties alphabetical", () => {
  const rows: Transaction[] = [];
  const add = (customer: number, channel: string | null, times: number) => {
    for (let i = 0; i < times; i++) {
      rows.push({
        customer_id: customer,
        purchase_datetime: `2024-01-${10 + rows.length % 15} 00:00:00`,
        channel,
        amount: 1,
      });
    }
  };
  for (let level = 0; level < 40; level++) add(100 + level, `ch${String(level).padStart(2, "0")}`, 1);
  add(1, "ch07", 2);
  add(1, "ch03", 3);
  add(2, "ch30", 2);
  add(2, "ch12", 2);
  add(2, null, 5);
  add(3, null, 1);
  const { frame } = buildFeatures(logFrame(rows), { cutoff: CUTOFF });
  const preferred = byCustomer(frame, "preferred_channel");
  assert.equal(preferred.get(1), "ch03");
  assert.equal(preferred.get(2), "ch12");
  assert.equal(preferred.get(3), null);
  assert.equal(preferred.get(139), "ch39");
  assert.equal(byCustomer(frame, "channels").get(2), 2);
});

Deno.test("the returned definition rebuilds the same features; a log lacking a source column is refused", () => {
  const log = logFrame(HAND_LOG);
  const first = buildFeatures(log.drop("promo_flag"), { cutoff: CUTOFF, trendWindowDays: 30 });
  assert.deepEqual(first.definition, {
    features: first.features.map((spec) => spec.name),
    trendWindowDays: 30,
    dropDuplicates: true,
  });
  assert.ok(!first.definition.features.includes("promo_share"));
  const definition = JSON.parse(JSON.stringify(first.definition));
  const again = buildFeatures(log, { cutoff: CUTOFF, ...definition });
  assert.ok(again.frame.frameEqual(first.frame, true));
  assert.throws(() => buildFeatures(log.drop("channel"), { cutoff: CUTOFF, ...definition }), /needs channel/);
});

Deno.test("only customers with a transaction up to the cutoff get a row", () => {
  const log = logFrame(HAND_LOG);
  assert.equal(buildFeatures(log, { cutoff: new Date("2023-01-01T00:00:00Z") }).frame.height, 0);
  const early = buildFeatures(log, { cutoff: new Date("2023-12-05T00:00:00Z") }).frame;
  assert.deepEqual(early.getColumn("customer_id").toArray().map(Number), [4]);
  assert.deepEqual(early.getColumn("frequency").toArray(), [1]);
  assert.equal(buildFeatures(log, { cutoff: new Date("2024-07-01T00:00:01Z") }).frame.height, 4);
});

Deno.test("bad input: missing required column, text datetimes, invalid options", () => {
  const log = logFrame(HAND_LOG);
  assert.throws(
    () => buildFeatures(log.drop("amount"), { cutoff: CUTOFF }),
    (error) =>
      error instanceof DataError && error.message === 'column "amount": required transaction column is missing',
  );
  assert.throws(
    () => buildFeatures(log.withColumns(pl.col("purchase_datetime").cast(pl.Utf8)), { cutoff: CUTOFF }),
    /column "purchase_datetime": expected a date-time column, got String/,
  );
  assert.throws(() => buildFeatures(log, { cutoff: new Date("not a date") }), /cutoff is not a valid date/);
  assert.throws(() => buildFeatures(log, { cutoff: CUTOFF, trendWindowDays: 0 }), /trendWindowDays must be positive/);
});
