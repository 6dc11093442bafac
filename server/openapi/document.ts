/**
 * The OpenAPI 3.1 document of the server, assembled from the descriptions
 * that each route module keeps next to its handlers (`routes/*.ts`), so a
 * route and its documentation change together. Descriptions are built for the
 * serving model (its request schemas, via zod's JSON Schema output), so
 * `/openapi.json` and the docs page always describe the fields the loaded
 * model accepts.
 *
 * @module
 */
import { z } from "zod";
import { ERROR_SCHEMAS } from "../middleware/errors.ts";
import type { ServingModel } from "../model/serving_model.ts";

/** One operation of the document (the parts the docs page shows). */
export interface Operation {
  readonly summary: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly parameters?: readonly unknown[];
  readonly requestBody?: { readonly content: Readonly<Record<string, { schema: unknown; example?: unknown }>> };
  readonly responses: Readonly<Record<string, { description: string; content?: Readonly<Record<string, unknown>> }>>;
}

/** The operations of one path, by lower-case method. */
export type PathItem = Readonly<Record<string, Operation>>;

/** What a route description may depend on: the serving model (if any) and the server's limits. */
export interface DescribeContext {
  readonly model: ServingModel | undefined;
  readonly maxBatch: number;
  readonly maxBodyBytes: number;
  /** A request body example: each field at its typical training value. */
  readonly example: Readonly<Record<string, unknown>>;
}

/** A route module's part of the document: its paths and the component schemas they refer to. */
export interface RouteDescription {
  readonly paths: Readonly<Record<string, PathItem>>;
  readonly schemas?: Readonly<Record<string, unknown>>;
}

/** Builds a route module's description for a serving model. */
export type Describe = (context: DescribeContext) => RouteDescription;

/** The OpenAPI document. */
export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly paths: Readonly<Record<string, PathItem>>;
  readonly components: { readonly schemas: Readonly<Record<string, unknown>> };
}

/** The server's own version (in the document and the docs page). */
const SERVER_VERSION = "1.0.0";

/**
 * A reference to a component schema.
 *
 * @example
 * ```ts
 * ref("HTTPError"); // { $ref: "#/components/schemas/HTTPError" }
 * ```
 */
export function ref(name: string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * A JSON request or response `content` entry.
 *
 * @example
 * ```ts
 * jsonContent(ref("HTTPError")); // { "application/json": { schema: { $ref: "#/components/schemas/HTTPError" } } }
 * ```
 */
export function jsonContent(
  schema: unknown,
  example?: unknown,
): Record<string, { schema: unknown; example?: unknown }> {
  return { "application/json": { schema, ...(example !== undefined ? { example } : {}) } };
}

/**
 * A `GET` path answering 200 without parameters.
 *
 * @example
 * ```ts
 * const item = getPath("Liveness", "200 while the process answers.", "operations");
 * item.get.summary; // "Liveness"
 * ```
 */
export function getPath(summary: string, description: string, tag: string): { get: Operation } {
  return { get: { summary, description, tags: [tag], responses: { "200": { description: "OK" } } } };
}

/**
 * The JSON Schema of a zod schema, without the `$schema` key (not allowed inside an OpenAPI document).
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * schemaOf(z.object({ a: z.number() })); // { type: "object", properties: { a: { type: "number" } }, ... }
 * ```
 */
export function schemaOf(schema: z.ZodType): unknown {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

/**
 * The document for a serving model (or none), from the route modules' descriptions in the order given.
 *
 * @example
 * ```ts
 * import type { ServingModel } from "../model/serving_model.ts";
 * declare const model: ServingModel;
 * const doc = openApiDocument([() => ({ paths: { "/health": getPath("Liveness", "Alive.", "operations") } })], model, {
 *   maxBatch: 1000,
 *   maxBodyBytes: 1 << 20,
 * });
 * doc.paths["/health"].get.summary; // "Liveness"
 * ```
 */
export function openApiDocument(
  describes: readonly Describe[],
  model: ServingModel | undefined,
  { maxBatch, maxBodyBytes }: { maxBatch: number; maxBodyBytes: number },
): OpenApiDocument {
  const context: DescribeContext = { model, maxBatch, maxBodyBytes, example: model ? exampleRecord(model) : {} };
  const paths: Record<string, PathItem> = {};
  const schemas: Record<string, unknown> = {};
  for (const describe of describes) {
    const description = describe(context);
    Object.assign(paths, description.paths);
    Object.assign(schemas, description.schemas);
  }
  const name = model ? `${model.name}${model.version !== null ? ` version ${model.version}` : ""}` : "no model loaded";
  return {
    openapi: "3.1.0",
    info: {
      title: "Customer conversion scoring API",
      version: SERVER_VERSION,
      description: `Scores the probability that a customer buys again within the model's horizon, with scorecard ` +
        `points, a decision at the model's threshold and reason codes. Serving: ${name}. Unknown fields are ` +
        `rejected on /score and /score/batch (422 extra_forbidden) and ignored on /invocations; missing or null ` +
        `fields are imputed as in training; numbers must be finite; counts must not be negative.`,
    },
    paths,
    components: { schemas: { ...schemas, ...ERROR_SCHEMAS } },
  };
}

/** A request example: each field at its typical training value. */
function exampleRecord(model: ServingModel): Record<string, unknown> {
  const example: Record<string, unknown> = { customer_id: 999999 };
  for (const field of model.bundle.fields) if (field.reference !== null) example[field.name] = field.reference;
  return example;
}
