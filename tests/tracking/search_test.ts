import assert from "node:assert/strict";
import type { Run, RunStatus } from "../../src/tracking/entities.ts";
import { isTrackingError } from "../../src/tracking/errors.ts";
import { filterRuns, parseOrderBy, parseSearchFilter, sortRuns } from "../../src/tracking/search.ts";

function run(
  runId: string,
  startTime: number,
  data: { metrics?: Record<string, number>; params?: Record<string, string>; tags?: Record<string, string> },
  status: RunStatus = "FINISHED",
): Run {
  return {
    info: {
      runId,
      runName: `run-${runId}`,
      experimentId: "1",
      userId: "u",
      status,
      startTime,
      endTime: status === "RUNNING" ? null : startTime + 10,
      artifactUri: "",
      lifecycleStage: "active",
    },
    data: { metrics: data.metrics ?? {}, params: data.params ?? {}, tags: data.tags ?? {} },
    outputs: { modelOutputs: [] },
  };
}

const runs = [
  run("a", 100, {
    metrics: { auc: 0.9, "val loss": 0.3 },
    params: { model_type: "logistic" },
    tags: { team: "Growth" },
  }),
  run("b", 300, { metrics: { auc: 0.7 }, params: { model_type: "logistic" } }, "FAILED"),
  run("c", 200, { metrics: { auc: 0.95 }, params: { model_type: "xgboost" }, tags: { team: "growth-eu" } }),
  run("d", 400, { params: { model_type: "xgboost" } }, "RUNNING"),
  run("e", 50, { metrics: { auc: NaN } }),
];
const ids = (found: Run[]) => found.map((found) => found.info.runId);

Deno.test("filter: the issue's example and each comparator", () => {
  assert.deepEqual(ids(filterRuns(runs, "metrics.auc > 0.8 and params.model_type = 'logistic'")), ["a"]);
  assert.deepEqual(ids(filterRuns(runs, "metrics.auc >= 0.9")), ["a", "c"]);
  assert.deepEqual(ids(filterRuns(runs, "metrics.auc < 0.9")), ["b"]);
  assert.deepEqual(ids(filterRuns(runs, "metrics.auc <= 0.9")), ["a", "b"]);
  assert.deepEqual(ids(filterRuns(runs, "metrics.auc = 0.95")), ["c"]);
  // A run without the metric never matches, not even `!=` (MLflow's rule).
  assert.deepEqual(ids(filterRuns(runs, "metrics.auc != 0.95")), ["a", "b", "e"]);
  assert.deepEqual(ids(filterRuns(runs, "params.model_type != 'logistic'")), ["c", "d"]);
  assert.deepEqual(ids(filterRuns(runs, "tags.team LIKE 'growth%'")), ["c"]);
  assert.deepEqual(ids(filterRuns(runs, "tags.team ILIKE 'growth%'")), ["a", "c"]);
  assert.deepEqual(ids(filterRuns(runs, "tags.team LIKE 'G_owth'")), ["a"]);
  assert.deepEqual(ids(filterRuns(runs, "attributes.status = 'FAILED'")), ["b"]);
  assert.deepEqual(ids(filterRuns(runs, "status != 'FINISHED'")), ["b", "d"]);
  assert.deepEqual(ids(filterRuns(runs, "attributes.start_time >= 200")), ["b", "c", "d"]);
  assert.deepEqual(ids(filterRuns(runs, "attributes.end_time > 0")), ["a", "b", "c", "e"]);
  assert.deepEqual(ids(filterRuns(runs, "attributes.run_id IN ('a', 'd')")), ["a", "d"]);
  assert.deepEqual(ids(filterRuns(runs, "attributes.run_id NOT IN ('a', 'd')")), ["b", "c", "e"]);
  assert.deepEqual(ids(filterRuns(runs, "attributes.\"run name\" = 'run-c'")), ["c"]);
  assert.deepEqual(ids(filterRuns(runs, "metrics.`val loss` < 1")), ["a"]);
  assert.deepEqual(ids(filterRuns(runs, 'params.model_type = "xgboost" AND metrics.auc>0.9')), ["c"]);
  assert.deepEqual(ids(filterRuns(runs, "")), ["a", "b", "c", "d", "e"]);
});

Deno.test("filter: bad expressions are clear INVALID_PARAMETER_VALUE errors", () => {
  const bad: [string, RegExp][] = [
    ["metrics.auc > 0.8 or params.x = 'y'", /OR is not supported/],
    ["metrics.auc > 'high'", /expected a number/],
    ["params.model_type = logistic", /expected a value/],
    ["params.model_type > 'a'", /invalid comparator '>'/],
    ["bogus.auc > 1", /invalid entity type 'bogus'/],
    ["attributes.color = 'red'", /invalid attribute key 'color'/],
    ["params.x IN ('a')", /invalid comparator 'IN'/],
    ["attributes.status IN ('FAILED')", /only attributes.run_id supports IN/],
    ["params.x = 'unterminated", /unterminated/],
  ];
  for (const [filter, message] of bad) {
    assert.throws(
      () => parseSearchFilter(filter),
      (error) => isTrackingError(error, "INVALID_PARAMETER_VALUE") && message.test(error.message),
      filter,
    );
  }
});

Deno.test("order: default newest first, then clauses as stable sorts, missing and NaN last both ways", () => {
  assert.deepEqual(ids(sortRuns(runs)), ["d", "b", "c", "a", "e"]);
  assert.deepEqual(ids(sortRuns(runs, ["metrics.auc DESC"])), ["c", "a", "b", "e", "d"]);
  assert.deepEqual(ids(sortRuns(runs, ["metrics.auc ASC"])), ["b", "a", "c", "e", "d"]);
  assert.deepEqual(ids(sortRuns(runs, ["params.model_type", "metrics.auc DESC"])), ["a", "b", "c", "d", "e"]);
  assert.deepEqual(ids(sortRuns(runs, ["attributes.start_time ASC"])), ["e", "a", "c", "b", "d"]);
  assert.deepEqual(parseOrderBy("metrics.`val loss` desc"), { entity: "metric", key: "val loss", ascending: false });
  assert.throws(() => parseOrderBy("metrics.auc DOWN"), /expected ASC or DESC/);
});
