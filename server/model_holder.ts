/**
 * The model the server answers with, and its replacement when the registry
 * alias moves. A reload loads and prepares the new model completely before
 * one assignment swaps it in, so a request that already took the old model
 * finishes on it and no request sees a half-loaded one; a model that fails to
 * load is reported and the old one keeps serving. Loads run one at a time.
 *
 * @module
 */
import { type LoadedModel, loadModel } from "../src/bundle/load_model.ts";
import { openTracking } from "../src/tracking/mod.ts";
import type { Logger } from "./log.ts";
import type { LoadCounts } from "./metrics.ts";
import { silentLogger } from "./log.ts";
import { type ServingModel, servingModel } from "./serving_model.ts";

/** Loads a bundle by URI (the pipeline's {@link loadModel}, or a stand-in in tests). */
export type ModelLoader = (uri: string, trackingUri?: string) => Promise<LoadedModel>;

/** A token for what a URI points at now; a change means the model should be reloaded. */
export type TargetProbe = (uri: string, trackingUri?: string) => Promise<string>;

/** A failed load, kept for `/model`, `/ready` and the logs. */
export interface LoadFailure {
  readonly uri: string;
  readonly message: string;
  readonly at: string;
}

/** What a reload or a check did. */
export type ReloadOutcome =
  | { readonly status: "reloaded"; readonly model: ServingModel; readonly previous?: ServingModel }
  | { readonly status: "unchanged"; readonly model: ServingModel }
  | { readonly status: "failed"; readonly error: LoadFailure; readonly model?: ServingModel };

/** Options of a {@link ModelHolder}. */
export interface ModelHolderOptions {
  readonly uri: string;
  readonly trackingUri?: string;
  /** Largest `/score/batch` body, baked into each model's schemas. */
  readonly maxBatch: number;
  readonly load?: ModelLoader;
  readonly probe?: TargetProbe;
  readonly log?: Logger;
  readonly now?: () => Date;
}

/**
 * A model that could not be loaded at startup.
 *
 * @example
 * ```ts
 * await new ModelHolder({ uri: "missing.json", maxBatch: 10 }).load(); // throws ModelError: cannot load model missing.json: ...
 * ```
 */
export class ModelError extends Error {
  override name = "ModelError";
}

/**
 * Holds the serving model and replaces it on demand or when its target changes.
 *
 * @example
 * ```ts
 * const holder = new ModelHolder({ uri: "models:/customer_conversion_model@champion", maxBatch: 1000 });
 * await holder.load();
 * holder.startPolling(30_000); // reloads when the champion alias moves
 * holder.current?.version; // e.g. 3
 * ```
 */
export class ModelHolder {
  readonly uri: string;
  readonly trackingUri?: string;
  #current: ServingModel | undefined;
  #lastError: LoadFailure | undefined;
  #token: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #loads = { success: 0, failure: 0 };
  readonly #options: ModelHolderOptions;
  readonly #log: Logger;

  constructor(options: ModelHolderOptions) {
    this.uri = options.uri;
    this.trackingUri = options.trackingUri;
    this.#options = options;
    this.#log = options.log ?? silentLogger;
  }

  /** The model to answer with; take it once per request. */
  get current(): ServingModel | undefined {
    return this.#current;
  }

  /** The last failed load, cleared by a successful one. */
  get lastError(): LoadFailure | undefined {
    return this.#lastError;
  }

  /** Loads so far, by result (for `/metrics`). */
  get loads(): LoadCounts {
    return { ...this.#loads };
  }

  /** The first load; throws a {@link ModelError} (and records it) when the model cannot be loaded. */
  async load(): Promise<ServingModel> {
    const outcome = await this.reload();
    if (outcome.status === "failed") {
      throw new ModelError(`cannot load model ${this.uri}: ${outcome.error.message}`);
    }
    return outcome.model;
  }

  /** Loads the URI afresh and swaps it in (an operator's explicit reload). */
  reload(): Promise<ReloadOutcome> {
    return this.#serialized(() => this.#loadAndSwap());
  }

  /** Reloads only when the URI now points at something else (the poll). */
  check(): Promise<ReloadOutcome> {
    return this.#serialized(async () => {
      const model = this.#current;
      if (model === undefined) return this.#loadAndSwap();
      let token: string;
      try {
        token = await this.#probe();
      } catch (error) {
        return this.#failed(error, "cannot check the model's registry target");
      }
      return token === this.#token ? { status: "unchanged", model } : this.#loadAndSwap();
    });
  }

  /** Checks every `intervalMs` (0 disables); see {@link check}. */
  startPolling(intervalMs: number): void {
    this.stopPolling();
    if (intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.check(), intervalMs);
  }

  /** Stops the periodic check. */
  stopPolling(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #serialized(work: () => Promise<ReloadOutcome>): Promise<ReloadOutcome> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => {});
    return next;
  }

  async #loadAndSwap(): Promise<ReloadOutcome> {
    const previous = this.#current;
    let model: ServingModel;
    // Probe before loading: if the target moves during the load, the next check sees a new token. A failed
    // probe is left to the load to explain (its message names the missing file or alias).
    const token = await this.#probe().catch(() => undefined);
    try {
      const loaded = await (this.#options.load ?? loadModel)(this.uri, this.trackingUri);
      model = servingModel(loaded, { maxBatch: this.#options.maxBatch, now: this.#now() });
    } catch (error) {
      return this.#failed(
        error,
        previous ? "model load failed; still serving the previous model" : "model load failed",
      );
    }
    this.#current = model;
    this.#token = token;
    this.#lastError = undefined;
    this.#loads.success++;
    this.#log("info", "model loaded", {
      uri: this.uri,
      name: model.name,
      version: model.version,
      candidate: model.bundle.candidate,
      previous_version: previous?.version ?? null,
    });
    return { status: "reloaded", model, ...(previous ? { previous } : {}) };
  }

  #failed(error: unknown, note: string): ReloadOutcome {
    const failure = {
      uri: this.uri,
      message: (error as Error)?.message ?? String(error),
      at: this.#now().toISOString(),
    };
    this.#lastError = failure;
    this.#loads.failure++;
    this.#log("error", note, { ...failure, serving_version: this.#current?.version ?? null });
    return { status: "failed", error: failure, ...(this.#current ? { model: this.#current } : {}) };
  }

  #probe(): Promise<string> {
    return (this.#options.probe ?? probeTarget)(this.uri, this.trackingUri);
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }
}

/**
 * What a model URI points at now: the version behind a registry alias, the
 * modification time and size of a bundle file, or a constant for URIs that
 * never change (`models:/NAME/VERSION`, `models:/m-...`, `runs:/...`).
 *
 * @example
 * ```ts
 * await probeTarget("models:/customer_conversion_model@champion", "file:./mlruns"); // "version:3"
 * ```
 */
export async function probeTarget(uri: string, trackingUri?: string): Promise<string> {
  const alias = /^models:\/([^/@]+)@(.+)$/.exec(uri);
  if (alias) {
    const version = await openTracking(trackingUri).getModelVersionByAlias(alias[1], alias[2]);
    return `version:${version.version}`;
  }
  if (/^(models|runs):\//.test(uri)) return "immutable";
  const path = uri.startsWith("file:") ? new URL(uri).pathname : uri;
  const info = await Deno.stat(path);
  return `file:${info.mtime?.getTime()}:${info.size}`;
}
