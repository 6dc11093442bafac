/**
 * Whether a new model can serve the clients of the one serving now. Clients
 * send the serving model's input fields, and `/score` rejects fields a model
 * does not know, so swapping in a model that lacks one of them, or reads it
 * as another kind, breaks every existing client at once (a champion trained
 * on another feature set did exactly that). Fields the new model adds are
 * fine: all fields are optional, and a missing one is imputed.
 *
 * @module
 */
import type { BundleField } from "../../src/bundle/bundle.ts";

/**
 * What would break for existing clients if `next` replaced `serving`: empty when nothing.
 *
 * @example
 * ```ts
 * schemaChanges(
 *   [{ name: "frequency", kind: "numeric", reference: 3 }, { name: "channel", kind: "categorical", reference: "web" }],
 *   [{ name: "channel", kind: "numeric", reference: 1 }],
 * ); // ["field frequency is gone", "field channel changes from categorical to numeric"]
 * ```
 */
export function schemaChanges(serving: readonly BundleField[], next: readonly BundleField[]): string[] {
  const kinds = new Map(next.map((field) => [field.name, field.kind]));
  const changes: string[] = [];
  for (const field of serving) {
    const kind = kinds.get(field.name);
    if (kind === undefined) changes.push(`field ${field.name} is gone`);
    else if (kind !== field.kind) changes.push(`field ${field.name} changes from ${field.kind} to ${kind}`);
  }
  return changes;
}
