import assert from "node:assert/strict";
import { createRandom } from "../../src/stats/random.ts";
import { stratifiedKFold, stratifiedSplit } from "../../src/models/split.ts";

const labels = (() => {
  const random = createRandom(9);
  return Uint8Array.from({ length: 1003 }, () => random.next() < 0.2 ? 1 : 0);
})();
const positives = (y: Uint8Array, rows: Uint32Array) => rows.reduce((s, i) => s + y[i], 0);

Deno.test("stratifiedSplit: partitions every row once and keeps the class rate", () => {
  const { train, test } = stratifiedSplit(labels, { testSize: 0.25, seed: 4 });
  assert.equal(train.length + test.length, labels.length);
  assert.equal(new Set([...train, ...test]).size, labels.length);
  const total = positives(labels, Uint32Array.from(labels.keys()));
  assert.equal(positives(labels, test), Math.round(total * 0.25));
  assert.equal(test.length - positives(labels, test), Math.round((labels.length - total) * 0.25));
  assert.deepEqual(stratifiedSplit(labels, { testSize: 0.25, seed: 4 }).test, test);
  assert.notDeepEqual(stratifiedSplit(labels, { testSize: 0.25, seed: 5 }).test, test);
  assert.throws(() => stratifiedSplit(labels, { testSize: 1 }), /testSize/);
});

Deno.test("stratifiedKFold: each row is held out exactly once, folds balanced by class", () => {
  const folds = stratifiedKFold(labels, { k: 5, seed: 1 });
  assert.equal(folds.length, 5);
  const seen = new Uint8Array(labels.length);
  for (const { train, test } of folds) {
    test.forEach((i) => seen[i]++);
    assert.equal(train.length + test.length, labels.length);
    assert.ok(!test.some((i) => train.includes(i)));
  }
  assert.ok(seen.every((c) => c === 1));
  const sizes = folds.map((f) => f.test.length), pos = folds.map((f) => positives(labels, f.test));
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
  assert.ok(Math.max(...pos) - Math.min(...pos) <= 1);
  assert.deepEqual(stratifiedKFold(labels, { k: 5, seed: 1 }), folds);
});

Deno.test("stratifiedKFold: refuses a class smaller than k", () => {
  assert.throws(() => stratifiedKFold(new Uint8Array([0, 0, 0, 1]), { k: 2 }), /class 1 has 1 rows, fewer than k = 2/);
  assert.throws(() => stratifiedKFold(labels, { k: 1 }), /k must be an integer >= 2/);
});
