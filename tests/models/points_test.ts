import assert from "node:assert/strict";
import { pointsScaling } from "../../src/models/points.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);

Deno.test("pointsScaling: 600 points at 50:1, 20 points double the odds", () => {
  const s = pointsScaling();
  close(s.factor, 20 / Math.LN2);
  close(s.offset, 600 - 20 / Math.LN2 * Math.log(50));
  close(s.toPoints(Math.log(50)), 600);
  close(s.toPoints(Math.log(100)), 620);
  close(s.toPoints(Math.log(25)), 580);
  close(s.toProbability(600), 50 / 51);
  close(s.toLogOdds(s.toPoints(-1.234)), -1.234);
});

Deno.test("pointsScaling: custom conventions (R scorecard's 600 at 1:19, pdo 50)", () => {
  const s = pointsScaling({ basePoints: 600, baseOdds: 1 / 19, pdo: 50 });
  close(s.toPoints(Math.log(1 / 19)), 600);
  close(s.toPoints(Math.log(2 / 19)), 650);
  assert.throws(() => pointsScaling({ baseOdds: 0 }), /baseOdds/);
  assert.throws(() => pointsScaling({ pdo: 0 }), /pdo/);
});
