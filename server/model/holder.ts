/**
 * The model the server answers with, and its replacement when the registry
 * alias moves. A reload loads and prepares the new model completely before
 * one assignment swaps it in, so a request that already took the old model
 * finishes on it and no request sees a half-loaded one; a model that fails to
 * load is reported and the old one keeps serving. Loads run one at a time,
 * and explicit reloads are coalesced and spaced: requests that arrive while a
 * reload waits share it, and a reload starts at most once per
 * `minReloadIntervalMs` (50 clients asking at once used to cause 174 loads
 * from disk a second). A model whose input schema would break the clients of
 * the serving one (see `schema_change.ts`) is refused, not swapped in, unless
 * `allowSchemaChange`; the refusal is remembered, so the poll does not load
 * the same target again until it moves.
 *
 * @module
 */
import { ModelError } from "../../src/models/errors.ts";
import { type LoadedModel, loadModel } from "../../src/bundle/load_model.ts";
import { openTracking } from "../../src/tracking/open.ts";
import type { Logger } from "../middleware/log.ts";
import type { LoadCounts } from "../middleware/metrics.ts";
import { silentLogger } from "../middleware/log.ts";
import { schemaChanges } from "./schema_change.ts";
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
  /** Least time between the starts of two explicit reloads (default {@link DEFAULT_MIN_RELOAD_INTERVAL_MS}). */
  readonly minReloadIntervalMs?: number;
  /** Swap in a model even when its input schema breaks the serving model's clients (default false). */
  readonly allowSchemaChange?: boolean;
}

/** Default least time between the starts of two explicit reloads. */
export const DEFAULT_MIN_RELOAD_INTERVAL_MS = 1000;

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
  #waitingReload: Promise<ReloadOutcome> | undefined;
  #lastReloadStart = Number.NEGATIVE_INFINITY;
  readonly #loads = { success: 0, failure: 0, refused: 0 };
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

  /**
   * Loads the URI afresh and swaps it in (an operator's explicit reload).
   * Calls made before a waiting reload starts share it; each still sees a
   * load that began after it was made.
   */
  reload(): Promise<ReloadOutcome> {
    this.#waitingReload ??= this.#serialized(async () => {
      const wait = this.#lastReloadStart + (this.#options.minReloadIntervalMs ?? DEFAULT_MIN_RELOAD_INTERVAL_MS) -
        performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.#waitingReload = undefined;
      this.#lastReloadStart = performance.now();
      return this.#loadAndSwap();
    });
    return this.#waitingReload;
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
    const changes = previous && !this.#options.allowSchemaChange
      ? schemaChanges(previous.bundle.fields, model.bundle.fields)
      : [];
    if (previous && changes.length > 0) {
      this.#token = token;
      return this.#failed(
        new ModelError(
          `${describe(model)} has an input schema that breaks the clients of ${describe(previous)}: ` +
            `${changes.join("; ")}; not swapped in (restart the server with --allow-schema-change to accept it)`,
        ),
        "model refused: incompatible input schema; still serving the previous model",
        "refused",
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

  #failed(error: unknown, note: string, result: "failure" | "refused" = "failure"): ReloadOutcome {
    const failure = {
      uri: this.uri,
      message: (error as Error)?.message ?? String(error),
      at: this.#now().toISOString(),
    };
    this.#lastError = failure;
    this.#loads[result]++;
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

function describe(model: ServingModel): string {
  return model.version === null ? model.name : `${model.name} version ${model.version}`;
}
