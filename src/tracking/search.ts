/**
 * MLflow's run search language (`mlflow/utils/search_utils.py`, the part the
 * file store evaluates in memory): `AND`-joined comparisons on `metrics.`,
 * `params.`, `tags.` and `attributes.` keys, and `order_by` clauses such as
 * `metrics.auc DESC`. Missing values never match a comparison and always sort
 * last, as in MLflow.
 *
 * @module
 */
import type { Run } from "./entities.ts";
import { TrackingError } from "./errors.ts";

/** What a filter or order key refers to. */
export type SearchEntity = "metric" | "param" | "tag" | "attribute";

/** One parsed comparison of a filter. */
export interface SearchClause {
  /** Whether the key names a metric, param, tag or run attribute. */
  readonly entity: SearchEntity;
  /** The metric, param or tag key, or the attribute name. */
  readonly key: string;
  /** `=`, `!=`, `>`, `>=`, `<`, `<=`, `LIKE`, `ILIKE`, `IN` or `NOT IN`. */
  readonly comparator: string;
  /** A number, a string, or a list of strings for `IN`. */
  readonly value: number | string | readonly string[];
}

/** One parsed `order_by` entry. */
export interface OrderClause {
  /** Whether the key names a metric, param, tag or run attribute. */
  readonly entity: SearchEntity;
  /** The metric, param or tag key, or the attribute name. */
  readonly key: string;
  /** Smallest first (`ASC`, the default) or largest first (`DESC`). */
  readonly ascending: boolean;
}

const ENTITY_NAMES: Readonly<Record<string, SearchEntity | "dataset">> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};
const ATTRIBUTE_ALIASES: Readonly<Record<string, string>> = {
  created: "start_time",
  Created: "start_time",
  "run name": "run_name",
  "Run name": "run_name",
  "Run Name": "run_name",
};
const NUMERIC_ATTRIBUTES = new Set(["start_time", "end_time"]);
const STRING_ATTRIBUTES = new Set(["run_id", "run_name", "status", "user_id", "artifact_uri"]);
const NUMERIC_COMPARATORS = new Set([">", ">=", "!=", "=", "<", "<="]);
const STRING_COMPARATORS = new Set(["!=", "=", "LIKE", "ILIKE"]);
const STRING_ATTRIBUTE_COMPARATORS = new Set(["!=", "=", "LIKE", "ILIKE", "IN", "NOT IN"]);

/**
 * Parses a search filter into clauses (an empty filter has none). Errors are
 * `INVALID_PARAMETER_VALUE` and quote the filter.
 *
 * @example
 * ```ts
 * parseSearchFilter("metrics.auc > 0.8 and params.model_type = 'logistic'").length; // 2
 * ```
 */
export function parseSearchFilter(filter: string | undefined): SearchClause[] {
  if (filter === undefined || filter.trim() === "") return [];
  const cursor = new Cursor(filter);
  const clauses: SearchClause[] = [];
  for (;;) {
    clauses.push(parseClause(cursor));
    cursor.skipSpace();
    if (cursor.done()) return clauses;
    const word = cursor.word();
    if (word?.toUpperCase() !== "AND") {
      const hint = word?.toUpperCase() === "OR" ? " (OR is not supported; only AND)" : "";
      cursor.fail(`expected AND${hint}`);
    }
  }
}

/**
 * Keeps the runs that satisfy every clause of `filter`.
 *
 * @example
 * ```ts
 * import type { Run } from "./entities.ts";
 *
 * declare const runs: Run[]; // e.g. listRuns(...).items
 *
 * filterRuns(runs, "tags.mlflow.parentRunId = 'abc' and metrics.auc >= 0.9");
 * ```
 */
export function filterRuns(runs: readonly Run[], filter: string | undefined): Run[] {
  const clauses = parseSearchFilter(filter);
  return runs.filter((run) => clauses.every((clause) => matches(run, clause)));
}

/**
 * Parses one `order_by` entry: an identifier and an optional `ASC`/`DESC`.
 *
 * @example
 * ```ts
 * parseOrderBy("metrics.auc DESC"); // { entity: "metric", key: "auc", ascending: false }
 * ```
 */
export function parseOrderBy(orderBy: string): OrderClause {
  const cursor = new Cursor(orderBy);
  const { entity, key } = parseIdentifier(cursor);
  cursor.skipSpace();
  let ascending = true;
  if (!cursor.done()) {
    const direction = cursor.word()?.toUpperCase();
    if (direction !== "ASC" && direction !== "DESC") cursor.fail("expected ASC or DESC");
    ascending = direction === "ASC";
    cursor.skipSpace();
    if (!cursor.done()) cursor.fail("unexpected text after the sort direction");
  }
  if (entity === "attribute" && !NUMERIC_ATTRIBUTES.has(key) && !STRING_ATTRIBUTES.has(key)) {
    cursor.fail(`invalid attribute key '${key}'`);
  }
  return { entity, key, ascending };
}

/**
 * Sorts runs as MLflow does: start time descending then run id, then each
 * `orderBy` entry applied as a stable sort from last to first (missing
 * values last in both directions).
 *
 * @example
 * ```ts
 * import type { Run } from "./entities.ts";
 *
 * declare const runs: Run[]; // e.g. listRuns(...).items
 *
 * sortRuns(runs, ["metrics.auc DESC"])[0]; // the best run
 * ```
 */
export function sortRuns(runs: readonly Run[], orderBy: readonly string[] = []): Run[] {
  const clauses = orderBy.map(parseOrderBy);
  const sorted = [...runs].sort((a, b) =>
    b.info.startTime - a.info.startTime || (a.info.runId < b.info.runId ? -1 : a.info.runId > b.info.runId ? 1 : 0)
  );
  for (const clause of [...clauses].reverse()) {
    sorted.sort((a, b) => compareForSort(lookup(a, clause), lookup(b, clause), clause.ascending));
  }
  return sorted;
}

/** A key a filter, order or column refers to. */
export interface SearchKey {
  /** Whether the key names a metric, param, tag or run attribute. */
  readonly entity: SearchEntity;
  /** The metric, param or tag key, or the attribute name. */
  readonly key: string;
}

/**
 * Parses a column name in the filter's identifier syntax (`metrics.auc`,
 * `params.C`, `tags.mlflow.parentRunId`, `attributes.status`).
 *
 * @example
 * ```ts
 * parseColumn("tags.mlflow.parentRunId"); // { entity: "tag", key: "mlflow.parentRunId" }
 * ```
 */
export function parseColumn(column: string): SearchKey {
  const cursor = new Cursor(column);
  const found = parseIdentifier(cursor);
  cursor.skipSpace();
  if (!cursor.done()) cursor.fail("unexpected text after the column name");
  return found;
}

/**
 * The run ids a filter allows at most (from `attributes.run_id =` and
 * `IN (...)` clauses), or `undefined` when it names none: a store can then
 * skip every other run without reading it.
 *
 * @example
 * ```ts
 * allowedRunIds(parseSearchFilter("attributes.run_id IN ('a', 'b') and metrics.auc > 0.5")); // Set { "a", "b" }
 * ```
 */
export function allowedRunIds(clauses: readonly SearchClause[]): Set<string> | undefined {
  let allowed: Set<string> | undefined;
  for (const clause of clauses) {
    if (clause.entity !== "attribute" || clause.key !== "run_id") continue;
    const ids = clause.comparator === "="
      ? [clause.value as string]
      : clause.comparator === "IN"
      ? clause.value as readonly string[]
      : undefined;
    if (ids === undefined) continue;
    allowed = new Set(allowed === undefined ? ids : ids.filter((id) => allowed!.has(id)));
  }
  return allowed;
}

/**
 * A copy of a run whose `data` holds only the given columns (attributes
 * are always in `info`).
 *
 * @example
 * ```ts
 * import type { Run } from "./entities.ts";
 *
 * declare const run: Run;
 * projectRun(run, [parseColumn("metrics.auc")]).data.params; // {}
 * ```
 */
export function projectRun(run: Run, columns: readonly SearchKey[]): Run {
  const data = {
    metrics: {} as Record<string, number>,
    params: {} as Record<string, string>,
    tags: {} as Record<string, string>,
  };
  for (const { entity, key } of columns) {
    if (entity === "metric" && Object.hasOwn(run.data.metrics, key)) data.metrics[key] = run.data.metrics[key];
    if (entity === "param" && Object.hasOwn(run.data.params, key)) data.params[key] = run.data.params[key];
    if (entity === "tag" && Object.hasOwn(run.data.tags, key)) data.tags[key] = run.data.tags[key];
  }
  return { ...run, data };
}

type Lookup = number | string | null | undefined;

function compareForSort(a: Lookup, b: Lookup, ascending: boolean): number {
  const rank = (value: Lookup) => value === null || value === undefined ? 2 : Number.isNaN(value) ? 1 : 0;
  const [ra, rb] = [rank(a), rank(b)];
  if (ra !== 0 || rb !== 0) return ra - rb;
  const order = (a as number | string) < (b as number | string)
    ? -1
    : (a as number | string) > (b as number | string)
    ? 1
    : 0;
  return ascending ? order : -order;
}

function lookup(run: Run, clause: { entity: SearchEntity; key: string }): Lookup {
  switch (clause.entity) {
    case "metric":
      return run.data.metrics[clause.key];
    case "param":
      return run.data.params[clause.key];
    case "tag":
      return run.data.tags[clause.key];
    case "attribute": {
      const key = clause.key as keyof typeof attributeReaders;
      return attributeReaders[key]?.(run);
    }
  }
}

const attributeReaders = {
  run_id: (run: Run) => run.info.runId,
  run_name: (run: Run) => run.info.runName,
  status: (run: Run) => run.info.status,
  user_id: (run: Run) => run.info.userId,
  artifact_uri: (run: Run) => run.info.artifactUri,
  start_time: (run: Run) => run.info.startTime,
  end_time: (run: Run) => run.info.endTime,
};

function matches(run: Run, clause: SearchClause): boolean {
  const left = lookup(run, clause);
  if (left === null || left === undefined) return false;
  const right = clause.value;
  switch (clause.comparator) {
    case "=":
      return left === right;
    case "!=":
      return left !== right;
    case ">":
      return (left as number) > (right as number);
    case ">=":
      return (left as number) >= (right as number);
    case "<":
      return (left as number) < (right as number);
    case "<=":
      return (left as number) <= (right as number);
    case "LIKE":
      return likePattern(right as string, false).test(String(left));
    case "ILIKE":
      return likePattern(right as string, true).test(String(left));
    case "IN":
      return (right as string[]).includes(String(left));
    case "NOT IN":
      return !(right as string[]).includes(String(left));
  }
  return false;
}

/** SQL LIKE: `%` any run of characters, `_` one character, anchored at both ends. */
function likePattern(pattern: string, ignoreCase: boolean): RegExp {
  const body = [...pattern].map((char) =>
    char === "%" ? ".*" : char === "_" ? "." : char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  ).join("");
  return new RegExp(`^${body}$`, ignoreCase ? "isu" : "su");
}

function parseClause(cursor: Cursor): SearchClause {
  const { entity, key } = parseIdentifier(cursor);
  cursor.skipSpace();
  const comparator = parseComparator(cursor);
  cursor.skipSpace();
  const value = parseValue(cursor);
  if (entity === "metric" || (entity === "attribute" && NUMERIC_ATTRIBUTES.has(key))) {
    if (!NUMERIC_COMPARATORS.has(comparator)) cursor.fail(`invalid comparator '${comparator}' for ${entity} '${key}'`);
    if (typeof value !== "number") {
      cursor.fail(`expected a number for ${entity} '${key}', got ${JSON.stringify(value)}`);
    }
  } else {
    const allowed = entity === "attribute" ? STRING_ATTRIBUTE_COMPARATORS : STRING_COMPARATORS;
    if (!allowed.has(comparator)) cursor.fail(`invalid comparator '${comparator}' for ${entity} '${key}'`);
    if (comparator === "IN" || comparator === "NOT IN") {
      if (key !== "run_id" || !Array.isArray(value)) cursor.fail("only attributes.run_id supports IN (...) lists");
    } else if (typeof value !== "string") {
      cursor.fail(`expected a quoted string for ${entity} '${key}', got ${JSON.stringify(value)}`);
    }
  }
  return { entity, key, comparator, value };
}

function parseIdentifier(cursor: Cursor): SearchKey {
  cursor.skipSpace();
  const head = cursor.quoted("`") ?? cursor.word();
  if (head === undefined) cursor.fail("expected an identifier such as metrics.auc");
  let entityName = "attribute";
  let key = head;
  if (cursor.peek() === ".") {
    cursor.advance();
    entityName = head;
    const quoted = cursor.quoted("`") ?? cursor.quoted('"') ?? cursor.quoted("'");
    key = quoted ?? cursor.until(/[\s=!<>]/);
    if (key === "") cursor.fail(`expected a key after '${head}.'`);
  }
  const entity = ENTITY_NAMES[entityName];
  if (entity === undefined) {
    cursor.fail(`invalid entity type '${entityName}'; use metrics., params., tags. or attributes.`);
  }
  if (entity === "dataset") cursor.fail("dataset filters are not supported by this store");
  if (entity === "attribute") {
    key = ATTRIBUTE_ALIASES[key] ?? key;
    if (!NUMERIC_ATTRIBUTES.has(key) && !STRING_ATTRIBUTES.has(key)) {
      cursor.fail(`invalid attribute key '${key}'; valid: ${[...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES].join(", ")}`);
    }
  }
  return { entity, key };
}

function parseComparator(cursor: Cursor): string {
  const symbol = cursor.match(/^(>=|<=|!=|<>|=|>|<)/);
  if (symbol) return symbol === "<>" ? "!=" : symbol;
  const word = cursor.word()?.toUpperCase();
  if (word === "LIKE" || word === "ILIKE" || word === "IN") return word;
  if (word === "NOT") {
    cursor.skipSpace();
    if (cursor.word()?.toUpperCase() === "IN") return "NOT IN";
  }
  return cursor.fail("expected a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN)");
}

function parseValue(cursor: Cursor): number | string | string[] {
  const quoted = cursor.quoted("'") ?? cursor.quoted('"');
  if (quoted !== undefined) return quoted;
  const number = cursor.match(/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])/);
  if (number !== undefined) return Number(number);
  if (cursor.peek() === "(") {
    cursor.advance();
    const items: string[] = [];
    for (;;) {
      cursor.skipSpace();
      const item = cursor.quoted("'") ?? cursor.quoted('"');
      if (item === undefined) cursor.fail("expected a quoted string in the list");
      items.push(item);
      cursor.skipSpace();
      const next = cursor.peek();
      cursor.advance();
      if (next === ")") return items;
      if (next !== ",") cursor.fail("expected ',' or ')' in the list");
    }
  }
  return cursor.fail("expected a value: a quoted string, a number or a (list)");
}

/** A position in the filter text, with the small scanners the grammar needs. */
class Cursor {
  private position = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text[this.position] ?? "";
  }

  advance(): void {
    this.position++;
  }

  skipSpace(): void {
    while (/\s/.test(this.peek())) this.position++;
  }

  word(): string | undefined {
    return this.match(/^[A-Za-z_][A-Za-z0-9_]*/);
  }

  until(stop: RegExp): string {
    const start = this.position;
    while (!this.done() && !stop.test(this.peek())) this.position++;
    return this.text.slice(start, this.position);
  }

  match(pattern: RegExp): string | undefined {
    const found = pattern.exec(this.text.slice(this.position));
    if (!found) return undefined;
    this.position += found[0].length;
    return found[0];
  }

  /** A string in `quote`s, a doubled quote standing for one (SQL style). */
  quoted(quote: string): string | undefined {
    if (this.peek() !== quote) return undefined;
    let value = "";
    for (let index = this.position + 1; index < this.text.length; index++) {
      if (this.text[index] !== quote) {
        value += this.text[index];
      } else if (this.text[index + 1] === quote) {
        value += quote;
        index++;
      } else {
        this.position = index + 1;
        return value;
      }
    }
    return this.fail(`unterminated ${quote}-quoted text`);
  }

  fail(problem: string): never {
    throw new TrackingError(
      "INVALID_PARAMETER_VALUE",
      `invalid search expression "${this.text}" at position ${this.position + 1}: ${problem}`,
    );
  }
}
