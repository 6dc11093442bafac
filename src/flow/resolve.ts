/**
 * Resolves the futures (and promises) inside a task input and finds the task
 * runs the input came from. The upstream rule: a task run consumes another
 * when its input holds (at the top level, or anywhere inside plain objects,
 * arrays and Map values) either a future of that run or an object that run
 * returned (tracked by identity in a per-flow-run WeakMap).
 * Primitive results (numbers, strings) cannot be traced back: pass the
 * future instead when the edge matters.
 *
 * @module
 */
import { TaskFuture } from "./future.ts";
import { classify } from "./values.ts";

/** A resolved input. */
export interface ResolvedInput {
  readonly value: unknown;
  /** Ids of the task runs consumed, in first-seen order. */
  readonly upstream: readonly string[];
  /** Consumed task runs that did not produce a result, with their errors. */
  readonly failed: readonly { readonly taskRunId: string; readonly error: unknown }[];
}

/**
 * Awaits every future (and promise) in `input` and returns a copy with them
 * replaced by their values (containers without any are kept as they are, so
 * object identity survives for upstream tracking). Upstream runs are the
 * futures' runs plus the producers of objects found in the resolved input.
 *
 * @example
 * ```ts
 * const { value, upstream } = await resolveInput({ a: Promise.resolve(1) }, new WeakMap());
 * value; // { a: 1 }
 * upstream; // []
 * ```
 */
export async function resolveInput(input: unknown, producers?: WeakMap<object, string>): Promise<ResolvedInput> {
  const pending: PromiseLike<unknown>[] = [];
  const dirty = new Set<object>();
  const findPending = (node: unknown, seen: Set<object>): boolean => {
    if (node instanceof TaskFuture || node instanceof Promise) {
      pending.push(node);
      return true;
    }
    let found = false;
    for (const child of children(node, seen)) found = findPending(child, seen) || found;
    if (found) dirty.add(node as object);
    return found;
  };
  findPending(input, new Set());

  const settled = await Promise.allSettled(pending.map((p) => p instanceof TaskFuture ? p.result() : p));
  const values = new Map<unknown, unknown>();
  const failed: { taskRunId: string; error: unknown }[] = [];
  const upstream = new Set<string>();
  settled.forEach((outcome, i) => {
    const source = pending[i];
    if (source instanceof TaskFuture) upstream.add(source.taskRunId);
    if (outcome.status === "fulfilled") values.set(source, outcome.value);
    else if (!failed.some((f) => f.error === outcome.reason)) {
      failed.push({ taskRunId: source instanceof TaskFuture ? source.taskRunId : "(promise)", error: outcome.reason });
    }
  });
  const rebuild = (node: unknown): unknown => {
    if (values.has(node)) return values.get(node);
    if (typeof node !== "object" || node === null || !dirty.has(node)) return node;
    if (Array.isArray(node)) return node.map(rebuild);
    if (node instanceof Map) return new Map([...node].map(([k, v]) => [k, rebuild(v)]));
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rebuild(v)]));
  };
  const value = pending.length === 0 ? input : rebuild(input);

  const findProducers = (node: unknown, seen: Set<object>): void => {
    const producer = typeof node === "object" && node !== null ? producers?.get(node) : undefined;
    if (producer) upstream.add(producer);
    for (const child of children(node, seen)) findProducers(child, seen);
  };
  if (producers) findProducers(value, new Set());
  return { value, upstream: [...upstream], failed };
}

/** The members of a plain container (not yet seen), where futures and produced objects can hide. */
function children(node: unknown, seen: Set<object>): Iterable<unknown> {
  if (typeof node !== "object" || node === null || seen.has(node)) return [];
  seen.add(node);
  const c = classify(node);
  if (c.kind === "array") return c.value;
  if (c.kind === "object") return Object.values(c.value);
  if (c.kind === "map") return c.value.values();
  return [];
}
