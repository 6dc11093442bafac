/**
 * Prometheus metrics: requests and errors by method, route and status,
 * requests the client abandoned (status 499: counted apart, since they are
 * neither the server's fault nor an answer anyone read), a latency histogram
 * by route, requests in flight, records scored, reloads and
 * the serving model's identity, in the text exposition format. Hand-written
 * (no prom-client on the import map) and kept to plain counters on the hot
 * path: one map lookup per request, no label strings built until `/metrics`
 * is read.
 *
 * @module
 */
import { CLIENT_CLOSED_REQUEST } from "./read_body.ts";

/** Histogram bucket upper bounds, seconds: finer than Prometheus' defaults, since answers take well under 10 ms. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0001,
  0.00025,
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
];

/** The route label of requests that matched no route (keeps the label set bounded). */
export const UNMATCHED_ROUTE = "unmatched";

/** The serving model, as the `model_info` metric labels it. */
export interface ModelLabels {
  readonly name: string;
  readonly version: number | null;
  readonly alias?: string;
  readonly runId?: string;
  readonly candidate: string;
}

/** Model loads so far, by result (`refused`: loaded, but its input schema would break the serving model's clients). */
export interface LoadCounts {
  readonly success: number;
  readonly failure: number;
  readonly refused: number;
}

interface Series {
  readonly method: string;
  readonly route: string;
  readonly statuses: Map<number, number>;
  readonly buckets: Float64Array;
  count: number;
  sum: number;
}

/**
 * The server's metrics.
 *
 * @example
 * ```ts
 * const metrics = new Metrics();
 * metrics.observe("POST", "/score", 200, 0.0004);
 * metrics.render({ loads: { success: 1, failure: 0, refused: 0 } }); // '# HELP http_requests_total ...\nhttp_requests_total{method="POST",route="/score",status="200"} 1\n...'
 * ```
 */
export class Metrics {
  /** Requests being answered now. */
  inFlight = 0;
  #scored = 0;
  readonly #series = new Map<string, Map<string, Series>>();

  /** Records one answered request. */
  observe(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.#series.get(route);
    if (byMethod === undefined) this.#series.set(route, byMethod = new Map());
    let series = byMethod.get(method);
    if (series === undefined) {
      series = {
        method,
        route,
        statuses: new Map(),
        buckets: new Float64Array(LATENCY_BUCKETS.length),
        count: 0,
        sum: 0,
      };
      byMethod.set(method, series);
    }
    series.statuses.set(status, (series.statuses.get(status) ?? 0) + 1);
    series.count++;
    series.sum += seconds;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]) {
        series.buckets[i]++;
        break;
      }
    }
  }

  /** Counts scored records. */
  countScored(records: number): void {
    this.#scored += records;
  }

  /** The exposition text; `model` labels `model_info` (absent: no model loaded). */
  render({ model, loads }: { model?: ModelLabels; loads: LoadCounts }): string {
    const all = [...this.#series.values()].flatMap((byMethod) => [...byMethod.values()]);
    const lines: string[] = [];
    const header = (name: string, type: string, help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    header("http_requests_total", "counter", "Requests answered, by method, route and status.");
    for (const s of all) {
      for (const [status, n] of s.statuses) lines.push(`http_requests_total${labels({ ...key(s), status })} ${n}`);
    }
    header(
      "http_request_errors_total",
      "counter",
      "Requests answered with a 4xx or 5xx status, by class (not those the client abandoned).",
    );
    for (const s of all) {
      for (const kind of ["4xx", "5xx"] as const) {
        const first = kind === "4xx" ? 400 : 500;
        let n = 0;
        for (const [status, count] of s.statuses) {
          if (status >= first && status < first + 100 && status !== CLIENT_CLOSED_REQUEST) n += count;
        }
        if (n > 0) lines.push(`http_request_errors_total${labels({ ...key(s), class: kind })} ${n}`);
      }
    }
    header("http_requests_aborted_total", "counter", "Requests whose client hung up before sending the whole body.");
    for (const s of all) {
      const n = s.statuses.get(CLIENT_CLOSED_REQUEST);
      if (n !== undefined) lines.push(`http_requests_aborted_total${labels(key(s))} ${n}`);
    }
    header("http_request_duration_seconds", "histogram", "Time from request to response, by method and route.");
    for (const s of all) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((le, i) => {
        cumulative += s.buckets[i];
        lines.push(`http_request_duration_seconds_bucket${labels({ ...key(s), le })} ${cumulative}`);
      });
      lines.push(`http_request_duration_seconds_bucket${labels({ ...key(s), le: "+Inf" })} ${s.count}`);
      lines.push(`http_request_duration_seconds_sum${labels(key(s))} ${s.sum}`);
      lines.push(`http_request_duration_seconds_count${labels(key(s))} ${s.count}`);
    }
    header("http_requests_in_flight", "gauge", "Requests being answered.");
    lines.push(`http_requests_in_flight ${this.inFlight}`);
    header("scoring_records_total", "counter", "Records scored by /score, /score/batch and /invocations.");
    lines.push(`scoring_records_total ${this.#scored}`);
    header("model_loads_total", "counter", "Model loads (the first and every reload), by result.");
    lines.push(`model_loads_total{result="success"} ${loads.success}`);
    lines.push(`model_loads_total{result="failure"} ${loads.failure}`);
    lines.push(`model_loads_total{result="refused"} ${loads.refused}`);
    header("model_loaded", "gauge", "1 when a model is serving.");
    lines.push(`model_loaded ${model ? 1 : 0}`);
    if (model) {
      header("model_info", "gauge", "The serving model (always 1).");
      lines.push(`model_info${
        labels({
          name: model.name,
          version: model.version ?? "",
          alias: model.alias ?? "",
          run_id: model.runId ?? "",
          candidate: model.candidate,
        })
      } 1`);
    }
    return `${lines.join("\n")}\n`;
  }
}

function key(s: Series): { method: string; route: string } {
  return { method: s.method, route: s.route };
}

function labels(values: Record<string, string | number>): string {
  const parts = Object.entries(values).map(([k, v]) =>
    `${k}="${String(v).replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`
  );
  return `{${parts.join(",")}}`;
}
