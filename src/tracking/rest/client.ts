/**
 * `RestTracking`: the {@link Tracking} operations over an MLflow tracking
 * server's REST API (`/api/2.0/mlflow/...`), with artifacts through the
 * server's proxy (`mlflow-artifacts:` URIs, `/api/2.0/mlflow-artifacts/...`).
 * Writes go through `runs/log-batch` within MLflow's limits; every list call
 * pages with `next_page_token` and sends `max_results`.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { allOrFirstError } from "../../resilience/all_or_first_error.ts";
import type {
  ArtifactInfo,
  Experiment,
  Listing,
  LoggedModel,
  Metric,
  ModelVersion,
  RegisteredModel,
  Run,
  RunStatus,
  ViewType,
} from "../entities.ts";
import { requireLocalFile } from "../artifacts.ts";
import { isTrackingError, TrackingError } from "../errors.ts";
import { loggedModelFiles } from "../model_files.ts";
import { parseColumn, projectRun } from "../search.ts";
import { newDownloadFolder } from "./downloads.ts";
import { withPromotionLease } from "../promotion_lease.ts";
import { processEnv } from "../uri.ts";
import type { AliasExpectation } from "../registry.ts";
import { parseArtifactUri, type ParsedArtifactUri } from "../model_uri.ts";
import { type CreateRunOptions, paramText, type ParamValue, PARENT_RUN_ID_TAG, RUN_NAME_TAG } from "../runs.ts";
import { currentUser, mainScript } from "../store_context.ts";
import type {
  CreateModelVersionOptions,
  LogMetricOptions,
  LogModelOptions,
  MetricBatch,
  SearchRunsOptions,
  Tracking,
} from "../tracking.ts";
import { validateArtifactPath } from "../validation.ts";
import {
  loggedModelStatusName,
  toExperiment,
  toLoggedModel,
  toMetric,
  toModelVersion,
  toPairs,
  toRegisteredModel,
  toRun,
} from "./convert.ts";
import { RestHttp, type RestRequest, restSettings } from "./http.ts";

const API = "/api/2.0/mlflow";
const ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts";
/** MLflow's `runs/log-batch` limits (`mlflow/utils/validation.py`). */
export const BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, entries: 1000, bytes: 1_000_000 } as const;
/** The page size of list calls (the largest every list endpoint of this server version accepts). */
const PAGE_SIZE = 1000;
/** `metrics/get-history` pages (MLflow's own client asks for this many). */
const HISTORY_PAGE_SIZE = 25_000;
/** Parallel artifact transfers. */
const TRANSFER_CONCURRENCY = 8;

/** How to open a server store. */
export interface RestTrackingOptions {
  /** `http://` or `https://` URI of the tracking server. */
  readonly trackingUri: string;
  /** The environment read for credentials and retry settings (default: the process's). */
  readonly env?: { get(name: string): string | undefined };
  /** The fetch to use (tests). */
  readonly fetch?: typeof fetch;
  /** The clock for timestamps (ms). */
  readonly now?: () => number;
}

/** One entry of a log-batch request, as MLflow's JSON has it. */
interface BatchBody {
  metrics: { key: string; value: number; timestamp: number; step: number; model_id?: string }[];
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
}

/**
 * A client for an MLflow tracking server.
 *
 * @example
 * ```ts
 * const tracking = new RestTracking({ trackingUri: "http://127.0.0.1:5000" });
 * const { experimentId } = await tracking.getOrCreateExperiment("Customer_Conversion_Scorecard");
 * const run = await tracking.createRun({ experimentId, runName: "LogisticRegression" });
 * await tracking.logMetric(run.info.runId, "auc", 0.91);
 * await tracking.setTerminated(run.info.runId);
 * ```
 */
export class RestTracking implements Tracking {
  /** The tracking URI as given (credentials, if any, stay out of {@link location}). */
  readonly trackingUri: string;
  /** The server's URL without credentials. */
  readonly location: string;
  readonly #http: RestHttp;
  readonly #now: () => number;
  /** Run id to its experiment and artifact root: both are fixed at creation, so one read per run suffices. */
  readonly #runs = new Map<string, { experimentId: string; artifactRoot: string }>();

  /** Opens a server store (nothing is sent yet). */
  constructor(options: RestTrackingOptions) {
    const settings = restSettings(options.trackingUri, options.env ?? processEnv);
    this.#http = new RestHttp(settings, options.fetch);
    this.location = settings.baseUrl;
    this.trackingUri = settings.baseUrl;
    this.#now = options.now ?? Date.now;
  }

  /** Requests sent to the server so far, retries included. */
  get requestCount(): number {
    return this.#http.requests;
  }

  #call<T>(method: RestRequest["method"], path: string, payload?: Record<string, unknown>): Promise<T> {
    // As MLflow's call_endpoint: GET sends the message as query parameters, other methods as a JSON body.
    return method === "GET"
      ? this.#http.json<T>({ method, path: API + path, query: payload as Record<string, string | number> })
      : this.#http.json<T>({ method, path: API + path, json: payload ?? {} });
  }

  /** True when the server answers. */
  async exists(): Promise<boolean> {
    await this.#call("POST", "/experiments/search", { max_results: 1 });
    return true;
  }

  // --- experiments ---

  /** Returns the experiment with this name, creating it if needed. */
  async getOrCreateExperiment(name: string): Promise<Experiment> {
    const found = await this.#experimentByName(name);
    if (found) return found;
    try {
      const { experiment_id } = await this.#call<{ experiment_id: string }>("POST", "/experiments/create", { name });
      return await this.getExperiment(experiment_id);
    } catch (error) {
      // Another client created it between our read and our create.
      if (!isTrackingError(error, "RESOURCE_ALREADY_EXISTS")) throw error;
      return (await this.#experimentByName(name))!;
    }
  }

  async #experimentByName(name: string): Promise<Experiment | null> {
    try {
      const answer = await this.#call<{ experiment: unknown }>("GET", "/experiments/get-by-name", {
        experiment_name: name,
      });
      return toExperiment(answer.experiment);
    } catch (error) {
      if (isTrackingError(error, "RESOURCE_DOES_NOT_EXIST")) return null;
      throw error;
    }
  }

  /** Reads an experiment by id (active or deleted). */
  async getExperiment(experimentId: string): Promise<Experiment> {
    const answer = await this.#call<{ experiment: unknown }>("GET", "/experiments/get", {
      experiment_id: experimentId,
    });
    return toExperiment(answer.experiment);
  }

  /** Lists experiments (every page). */
  async listExperiments(viewType: ViewType = "ACTIVE_ONLY"): Promise<Listing<Experiment>> {
    const items = await this.#pages("POST", "/experiments/search", "experiments", { view_type: viewType });
    return { items: items.map(toExperiment), problems: [] };
  }

  // --- runs ---

  /** Creates a RUNNING run with the tags MLflow's fluent API adds. */
  async createRun(options: CreateRunOptions = {}): Promise<Run> {
    const runName = options.runName || options.tags?.[RUN_NAME_TAG];
    const userId = options.userId ?? currentUser();
    const tags: Record<string, string> = {
      "mlflow.user": userId,
      "mlflow.source.name": mainScript(),
      "mlflow.source.type": "LOCAL",
      ...options.tags,
      ...(runName ? { [RUN_NAME_TAG]: runName } : {}),
      ...(options.parentRunId !== undefined ? { [PARENT_RUN_ID_TAG]: options.parentRunId } : {}),
    };
    const answer = await this.#call<{ run: unknown }>("POST", "/runs/create", {
      experiment_id: options.experimentId ?? "0",
      user_id: userId,
      run_name: runName,
      start_time: options.startTime ?? this.#now(),
      tags: toPairs(tags),
    });
    return this.#remember(toRun(answer.run));
  }

  /** Reads a run. */
  async getRun(runId: string): Promise<Run> {
    return this.#remember(toRun((await this.#call<{ run: unknown }>("GET", "/runs/get", { run_id: runId })).run));
  }

  #remember(run: Run): Run {
    this.#runs.set(run.info.runId, { experimentId: run.info.experimentId, artifactRoot: run.info.artifactUri });
    return run;
  }

  async #runPlace(runId: string): Promise<{ experimentId: string; artifactRoot: string }> {
    if (!this.#runs.has(runId)) await this.getRun(runId);
    return this.#runs.get(runId)!;
  }

  /** Logs params (batched). */
  async logParams(runId: string, params: Readonly<Record<string, ParamValue>>): Promise<void> {
    await this.logBatch(runId, { params: Object.entries(params).map(([key, value]) => ({ key, value })) });
  }

  /** Appends a metric value (also on a logged model when `modelId` is given). */
  async logMetric(runId: string, key: string, value: number, options: LogMetricOptions = {}): Promise<void> {
    await this.logMetrics(runId, { [key]: value }, options);
  }

  /** Logs several metrics at one step and timestamp, in one request. */
  async logMetrics(
    runId: string,
    metrics: Readonly<Record<string, number>>,
    options: LogMetricOptions = {},
  ): Promise<void> {
    const timestamp = options.timestamp ?? this.#now();
    await this.#logBatch(runId, {
      metrics: Object.entries(metrics).map(([key, value]) => ({
        key,
        value,
        timestamp,
        step: options.step ?? 0,
        ...(options.modelId ? { model_id: options.modelId } : {}),
      })),
      params: [],
      tags: [],
    });
  }

  /** Logs metrics, params and tags, split into requests within MLflow's limits. */
  async logBatch(runId: string, batch: MetricBatch): Promise<void> {
    const now = this.#now();
    await this.#logBatch(runId, {
      metrics: (batch.metrics ?? []).map((metric) => ({
        key: metric.key,
        value: metric.value,
        timestamp: metric.timestamp ?? now,
        step: metric.step ?? 0,
      })),
      params: (batch.params ?? []).map((param) => ({ key: param.key, value: paramText(param.key, param.value) })),
      tags: (batch.tags ?? []).map((tag) => ({ key: tag.key, value: tag.value })),
    });
  }

  async #logBatch(runId: string, batch: BatchBody): Promise<void> {
    for (const part of splitBatch(batch)) await this.#call("POST", "/runs/log-batch", { run_id: runId, ...part });
  }

  /** Sets a run tag. */
  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.#call("POST", "/runs/set-tag", { run_id: runId, key, value });
  }

  /** Ends a run. */
  async setTerminated(runId: string, status: RunStatus = "FINISHED", endTime?: number): Promise<void> {
    await this.#call("POST", "/runs/update", { run_id: runId, status, end_time: endTime ?? this.#now() });
  }

  /** Every value of a metric (every page; `max_results` always sent, see mlflow/mlflow#23916). */
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const points = await this.#pages("GET", "/metrics/get-history", "metrics", {
      run_id: runId,
      metric_key: key,
    }, HISTORY_PAGE_SIZE);
    return points.map(toMetric);
  }

  /** Searches runs; the server applies the filter and order. */
  async searchRuns(options: SearchRunsOptions = {}): Promise<Listing<Run>> {
    const columns = options.columns?.map(parseColumn);
    const experimentIds = options.experimentIds ??
      (await this.listExperiments()).items.map((experiment) => experiment.experimentId);
    const runs = await this.#pages(
      "POST",
      "/runs/search",
      "runs",
      {
        experiment_ids: experimentIds,
        filter: options.filter ?? "",
        run_view_type: options.viewType ?? "ACTIVE_ONLY",
        order_by: options.orderBy ?? [],
      },
      PAGE_SIZE,
      options.maxResults ?? 1000,
    );
    const items = runs.map(toRun);
    return { items: columns === undefined ? items : items.map((run) => projectRun(run, columns)), problems: [] };
  }

  /** Pages through a list endpoint until `limit` items or the last page. */
  async #pages(
    method: "GET" | "POST",
    path: string,
    field: string,
    payload: Record<string, unknown>,
    pageSize = PAGE_SIZE,
    limit = Infinity,
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    let pageToken: string | undefined;
    do {
      const answer = await this.#call<Record<string, unknown> & { next_page_token?: string }>(method, path, {
        ...payload,
        max_results: Math.min(pageSize, limit - items.length),
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      items.push(...((answer[field] as unknown[] | undefined) ?? []));
      pageToken = answer.next_page_token || undefined;
    } while (pageToken && items.length < limit);
    return items;
  }

  // --- artifacts ---

  /** Uploads a local file (streamed) into the run's artifacts under `artifactPath`; returns its artifact path. */
  async logArtifact(runId: string, localFile: string, artifactPath = ""): Promise<string> {
    await requireLocalFile(localFile);
    const relative = [validateArtifactPath(artifactPath), basename(localFile)].filter(Boolean).join("/");
    await this.#upload(`${await this.#runArtifactPath(runId)}/${relative}`, localFile);
    return relative;
  }

  /** Lists one level of a run's artifacts. */
  async listArtifacts(runId: string, path = ""): Promise<ArtifactInfo[]> {
    return this.#list(await this.#runArtifactPath(runId), validateArtifactPath(path));
  }

  /** Reads a run artifact's bytes. */
  async readArtifact(runId: string, path: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.#downloadArtifact(runId, path)).arrayBuffer());
  }

  /** Reads a run artifact as UTF-8 text. */
  async readArtifactText(runId: string, path: string): Promise<string> {
    return await (await this.#downloadArtifact(runId, path)).text();
  }

  async #downloadArtifact(runId: string, path: string): Promise<Response> {
    const root = await this.#runArtifactPath(runId);
    const relative = validateArtifactPath(path);
    // MLflow's proxy answers a missing file with a 500, which is retried for minutes: look first (one listing).
    const parent = relative.includes("/") ? relative.slice(0, relative.lastIndexOf("/")) : "";
    const entry = (await this.#list(root, parent)).find((info) => info.path === relative);
    if (entry === undefined || entry.isDir) {
      throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `no artifact file '${relative}' in run ${runId}`);
    }
    return await this.#http.send({ method: "GET", path: `${ARTIFACTS_API}/${encodePath(`${root}/${relative}`)}` });
  }

  async #runArtifactPath(runId: string): Promise<string> {
    return proxyPath((await this.#runPlace(runId)).artifactRoot);
  }

  async #upload(proxied: string, source: string | Uint8Array<ArrayBuffer>): Promise<void> {
    const path = `${ARTIFACTS_API}/${encodePath(proxied)}`;
    await this.#http.send(
      typeof source === "string" ? { method: "PUT", path, file: source } : { method: "PUT", path, bytes: source },
    );
  }

  async #list(root: string, path: string): Promise<ArtifactInfo[]> {
    const full = path ? `${root}/${path}` : root;
    const answer = await this.#http.json<{ files?: { path: string; is_dir?: boolean; file_size?: number }[] }>({
      method: "GET",
      path: ARTIFACTS_API,
      query: { path: full },
    });
    return (answer.files ?? []).map((file) => ({
      path: path ? `${path}/${file.path}` : file.path,
      isDir: file.is_dir ?? false,
      fileSize: file.is_dir ? null : Number(file.file_size ?? 0),
    })).sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Downloads every file under a proxied folder into `destination` (streamed, several at once). */
  async #downloadTree(root: string, destination: string): Promise<void> {
    const files: string[] = [];
    const walk = async (path: string): Promise<void> => {
      for (const entry of await this.#list(root, path)) {
        if (entry.isDir) await walk(entry.path);
        else files.push(entry.path);
      }
    };
    await walk("");
    if (files.length === 0) {
      throw new TrackingError(
        "RESOURCE_DOES_NOT_EXIST",
        `no artifacts at mlflow-artifacts:/${root} on ${this.location}`,
      );
    }
    await inParallel(files, async (file) => {
      const response = await this.#http.send({
        method: "GET",
        path: `${ARTIFACTS_API}/${encodePath(`${root}/${file}`)}`,
      });
      const target = join(destination, ...file.split("/"));
      await Deno.mkdir(dirname(target), { recursive: true });
      const handle = await Deno.open(target, { write: true, create: true, truncate: true });
      await response.body!.pipeTo(handle.writable);
    });
  }

  // --- logged models ---

  /** Logs a model: a logged model (PENDING), its files uploaded, the run output, then READY (FAILED on error). */
  async logModel(options: LogModelOptions): Promise<LoggedModel> {
    const { experimentId } = await this.#runPlace(options.runId);
    const created = await this.#call<{ model: unknown }>("POST", "/logged-models", {
      experiment_id: experimentId,
      name: options.name,
      model_type: options.modelType,
      source_run_id: options.runId,
      params: Object.entries(options.params ?? {}).map(([key, value]) => ({ key, value: paramText(key, value) })),
      tags: toPairs(options.tags),
    });
    const model = toLoggedModel(created.model);
    try {
      const root = proxyPath(model.artifactLocation);
      const encoder = new TextEncoder();
      // The run output and the files are independent; the model turns READY only once both are in (and FAILED
      // only once neither is still being sent).
      await allOrFirstError([
        inParallel(Object.entries(loggedModelFiles(options, model)), ([name, content]) =>
          this.#upload(
            `${root}/${name}`,
            typeof content === "string" ? encoder.encode(content) : new Uint8Array(content),
          )),
        this.#call("POST", "/runs/outputs", {
          run_id: options.runId,
          models: [{ model_id: model.modelId, step: options.step ?? 0 }],
        }),
      ]);
      return await this.#finalize(model.modelId, "READY");
    } catch (error) {
      await this.#finalize(model.modelId, "FAILED").catch(() => {});
      throw error;
    }
  }

  async #finalize(modelId: string, status: "READY" | "FAILED"): Promise<LoggedModel> {
    const answer = await this.#call<{ model: unknown }>("PATCH", `/logged-models/${modelId}`, {
      model_id: modelId,
      status: loggedModelStatusName(status),
    });
    return toLoggedModel(answer.model);
  }

  /** Reads a logged model. */
  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    return toLoggedModel((await this.#call<{ model: unknown }>("GET", `/logged-models/${modelId}`)).model);
  }

  // --- registry ---

  /**
   * Creates a version of `source`, and the registered model first if there is none yet. The version is asked
   * for first: a model registered before (every training but the first) then costs one request, not two.
   */
  async registerModel(
    name: string,
    source: string,
    runId?: string | null,
    modelIdOrOptions: string | CreateModelVersionOptions = {},
  ): Promise<ModelVersion> {
    const options = typeof modelIdOrOptions === "string" ? { modelId: modelIdOrOptions } : modelIdOrOptions;
    const parsed = source.startsWith("models:/m-") || source.startsWith("runs:/") ? parseArtifactUri(source) : null;
    const modelId = options.modelId ?? (parsed?.kind === "logged-model" ? parsed.modelId : undefined);
    const createVersion = async () =>
      toModelVersion(
        (await this.#call<{ model_version: unknown }>("POST", "/model-versions/create", {
          name,
          source,
          run_id: runId ?? (parsed?.kind === "run-artifact" ? parsed.runId : undefined),
          model_id: modelId,
          tags: toPairs(options.tags),
          run_link: options.runLink,
          description: options.description,
        })).model_version,
      );
    try {
      return await createVersion();
    } catch (error) {
      if (!isTrackingError(error, "RESOURCE_DOES_NOT_EXIST")) throw error;
    }
    try {
      await this.createRegisteredModel(name);
    } catch (error) {
      // Another training registered it between our two requests.
      if (!isTrackingError(error, "RESOURCE_ALREADY_EXISTS")) throw error;
    }
    return await createVersion();
  }

  /** Creates a registered model with tags and a description; RESOURCE_ALREADY_EXISTS if the name is taken. */
  async createRegisteredModel(
    name: string,
    options: { tags?: Readonly<Record<string, string>>; description?: string } = {},
  ): Promise<RegisteredModel> {
    const answer = await this.#call<{ registered_model: unknown }>("POST", "/registered-models/create", {
      name,
      tags: toPairs(options.tags),
      description: options.description,
    });
    return toRegisteredModel(answer.registered_model);
  }

  /** Reads a registered model. */
  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return toRegisteredModel(
      (await this.#call<{ registered_model: unknown }>("GET", "/registered-models/get", { name })).registered_model,
    );
  }

  /** Lists registered models (every page). */
  async listRegisteredModels(): Promise<Listing<RegisteredModel>> {
    const items = await this.#pages("GET", "/registered-models/search", "registered_models", {});
    return { items: items.map(toRegisteredModel), problems: [] };
  }

  /** Lists a registered model's versions in version order (every page). */
  async listModelVersions(name: string): Promise<Listing<ModelVersion>> {
    const [items, model] = await Promise.all([
      this.#pages("GET", "/model-versions/search", "model_versions", {
        filter: `name = '${name.replaceAll("'", "\\'")}'`,
      }),
      this.getRegisteredModel(name),
    ]);
    // Search answers leave out each version's aliases; the registered model has them all.
    const aliases = Object.entries(model.aliases);
    const versions = items.map(toModelVersion).map((version) => ({
      ...version,
      aliases: aliases.filter(([, number]) => number === version.version).map(([alias]) => alias),
    }));
    return { items: versions.sort((a, b) => a.version - b.version), problems: [] };
  }

  /** Reads one model version. */
  async getModelVersion(name: string, version: number | string): Promise<ModelVersion> {
    const answer = await this.#call<{ model_version: unknown }>("GET", "/model-versions/get", {
      name,
      version: String(version),
    });
    return toModelVersion(answer.model_version);
  }

  /** The version an alias points at. */
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const answer = await this.#call<{ model_version: unknown }>("GET", "/registered-models/alias", { name, alias });
    return toModelVersion(answer.model_version);
  }

  /** Points an alias at a version. */
  async setAlias(name: string, alias: string, version: number | string): Promise<void> {
    await this.#call("POST", "/registered-models/alias", { name, alias, version: String(version) });
  }

  /**
   * Compare-and-set on an alias. MLflow's alias API only overwrites, so the
   * check and the move run under the registered model's promotion lease
   * (promotion_lease.ts), which every compare-and-set of ours takes: the
   * alias is checked on the registered model read when the lease was
   * verified, the lease confirmed, the alias moved and read back.
   */
  compareAndSetAlias(
    name: string,
    alias: string,
    version: number | string,
    expected: AliasExpectation,
  ): Promise<boolean> {
    return withPromotionLease(this, name, crypto.randomUUID(), async (confirm, model) => {
      const aliases = model.aliases;
      if ((aliases[expected.alias] ?? null) !== (expected.version === null ? null : Number(expected.version))) {
        return false;
      }
      await confirm();
      await this.setAlias(name, alias, version);
      const moved = (await this.getRegisteredModel(name)).aliases[alias];
      if (moved !== Number(version)) {
        throw new TrackingError(
          "INVALID_STATE",
          `${alias} alias of "${name}" is v${moved} after moving it to v${version}`,
        );
      }
      return true;
    });
  }

  /** Sets a registered model tag. */
  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.#call("POST", "/registered-models/set-tag", { name, key, value });
  }

  /** Deletes a registered model tag. */
  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.#call("DELETE", "/registered-models/delete-tag", { name, key });
  }

  /** Sets a model version tag. */
  async setModelVersionTag(name: string, version: number | string, key: string, value: string): Promise<void> {
    await this.#call("POST", "/model-versions/set-tag", { name, version: String(version), key, value });
  }

  // --- URIs ---

  /**
   * Downloads what a `models:/` or `runs:/` URI names into a new local
   * folder and returns it (a `file:` URI or path is returned as is).
   */
  async resolveLocalPath(uri: string): Promise<string> {
    const parsed = parseArtifactUri(uri);
    if (parsed.kind === "file") return parsed.path;
    const root = await this.#artifactRootOf(parsed, uri);
    const destination = await newDownloadFolder();
    await this.#downloadTree(root, destination);
    return destination;
  }

  async #artifactRootOf(parsed: ParsedArtifactUri, uri: string): Promise<string> {
    switch (parsed.kind) {
      case "file":
        throw new TrackingError("UNSUPPORTED_URI", `${uri} is a local path, not an artifact of ${this.location}`);
      case "logged-model":
        return proxyPath((await this.getLoggedModel(parsed.modelId)).artifactLocation);
      case "run-artifact": {
        const run = await this.getRun(parsed.runId);
        const runRoot = proxyPath(run.info.artifactUri);
        if (parsed.path === "") return runRoot;
        if ((await this.#list(runRoot, parsed.path)).length > 0) return `${runRoot}/${parsed.path}`;
        // MLflow 3: runs:/RUN/NAME also names the logged model NAME the run produced.
        for (const output of run.outputs.modelOutputs) {
          const model = await this.getLoggedModel(output.modelId);
          if (model.name === parsed.path) return proxyPath(model.artifactLocation);
        }
        throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `nothing at ${uri} on ${this.location}`);
      }
      default: {
        const version = parsed.kind === "model-alias"
          ? await this.getModelVersionByAlias(parsed.name, parsed.alias)
          : parsed.kind === "model-version"
          ? await this.getModelVersion(parsed.name, parsed.version)
          : (await this.listModelVersions(parsed.name)).items
            .filter((v) =>
              parsed.kind === "model-latest" || v.currentStage?.toLowerCase() === parsed.stage.toLowerCase()
            )
            .at(-1);
        if (!version) throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `no registered model version for ${uri}`);
        if (version.modelId) return proxyPath((await this.getLoggedModel(version.modelId)).artifactLocation);
        // The server's download URI of a `runs:/RUN/NAME` source is the run's artifact folder NAME, which MLflow 3
        // leaves empty when NAME is a logged model: resolve the source by the rules above instead.
        if (/^(runs|models):\//.test(version.source)) {
          return this.#artifactRootOf(parseArtifactUri(version.source), version.source);
        }
        const answer = await this.#call<{ artifact_uri: string }>("GET", "/model-versions/get-download-uri", {
          name: version.name,
          version: String(version.version),
        });
        return proxyPath(answer.artifact_uri);
      }
    }
  }
}

/** The path under the artifact proxy of an `mlflow-artifacts:` URI (or a proxied `http(s)` URL). */
function proxyPath(artifactUri: string): string {
  const proxied = /^https?:\/\/[^/]+\/api\/2\.0\/mlflow-artifacts\/artifacts\/(.*)$/.exec(artifactUri);
  if (proxied) return decodeURIComponent(proxied[1]).replace(/\/+$/, "");
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri);
  if (!match) {
    throw new TrackingError(
      "UNSUPPORTED_URI",
      `artifact location "${artifactUri}" is not served by the tracking server's proxy ` +
        `(start the server with --serve-artifacts, the default of mlflow server)`,
    );
  }
  return match[1].replace(/\/+$/, "");
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * Splits a batch into requests within MLflow's limits: at most 1000 metrics,
 * 100 params, 100 tags, 1000 entries and about 1 MB of JSON each.
 *
 * @example
 * ```ts
 * const metrics = Array.from({ length: 2500 }, (_, step) => ({ key: "loss", value: 1 / (step + 1), timestamp: 0, step }));
 * [...splitBatch({ metrics, params: [], tags: [] })].length; // 3
 * ```
 */
export function* splitBatch(batch: BatchBody): Generator<BatchBody> {
  const entries = [
    ...batch.params.map((entry) => ["params", entry] as const),
    ...batch.tags.map((entry) => ["tags", entry] as const),
    ...batch.metrics.map((entry) => ["metrics", entry] as const),
  ];
  let part: BatchBody = { metrics: [], params: [], tags: [] };
  let bytes = 0;
  let count = 0;
  for (const [kind, entry] of entries) {
    const size = JSON.stringify(entry).length + 1;
    const limit = BATCH_LIMITS[kind];
    if (
      count > 0 &&
      (part[kind].length >= limit || count >= BATCH_LIMITS.entries || bytes + size > BATCH_LIMITS.bytes - 1000)
    ) {
      yield part;
      part = { metrics: [], params: [], tags: [] };
      bytes = 0;
      count = 0;
    }
    (part[kind] as unknown[]).push(entry);
    bytes += size;
    count++;
  }
  if (count > 0) yield part;
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(TRANSFER_CONCURRENCY, items.length) }, worker));
}
