/**
 * The `MLmodel` file at the top of a model's artifact folder
 * (`mlflow/models/model.py`), its signature, and its input example files.
 *
 * Our models are not Python objects, so they cannot carry MLflow's
 * `python_function` flavor (which names a Python loader module). They carry
 * one custom flavor instead, `ts_json_bundle`, whose `data` key names the
 * JSON bundle file of the model. MLflow parses such a file (every MLmodel
 * key is optional, unknown flavors are kept), shows it in the UI, registers
 * and downloads it; only `mlflow.pyfunc.load_model` refuses it, since there
 * is no Python loader.
 *
 * @module
 */
import { TrackingError } from "./errors.ts";
import { pythonJsonDumps } from "./python_format.ts";
import { dumpYaml, parseYaml } from "./yaml.ts";

/** The flavor name of our JSON model bundles. */
export const JSON_BUNDLE_FLAVOR = "ts_json_bundle";
/** The MLflow release whose MLmodel format we write (recorded as `mlflow_version`). */
const MLFLOW_FORMAT_VERSION = "3.7.0";
/** File names MLflow uses for input examples (`mlflow/models/utils.py`). */
const INPUT_EXAMPLE_FILE = "input_example.json";
/** The serving-payload form of the input example. */
const SERVING_INPUT_FILE = "serving_input_payload.json";

/** MLflow's column data types (`mlflow.types.DataType`). */
export type ColumnType = "boolean" | "integer" | "long" | "float" | "double" | "string" | "binary" | "datetime";

/** One column of a signature (MLflow's `ColumnSpec`). */
export interface ColumnSpec {
  /** The column's data type. */
  readonly type: ColumnType;
  /** The column's name (omitted for an unnamed output). */
  readonly name?: string;
  /** Default true, as in MLflow. */
  readonly required?: boolean;
}

/** A model signature: the input columns and the output columns. */
export interface ModelSignature {
  /** The input columns. */
  readonly inputs: readonly ColumnSpec[];
  /** The output columns. */
  readonly outputs?: readonly ColumnSpec[];
}

/** An input example as a table (`pandas_orient: split`). */
export interface InputExample {
  /** Column names. */
  readonly columns: readonly string[];
  /** Rows, one value per column (`null` for missing). */
  readonly data: readonly (readonly (number | string | boolean | null)[])[];
}

/** What goes into an MLmodel file. */
export interface MlModelSpec {
  /** MLflow 3 writes the logged model's artifact URI here. */
  readonly artifactPath: string;
  readonly flavors: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly modelId: string;
  readonly runId: string | null;
  readonly createdAt: number;
  readonly modelSizeBytes?: number;
  readonly signature?: ModelSignature;
  readonly hasInputExample?: boolean;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * The MLmodel file's text, keys as MLflow's `Model.to_dict` writes them
 * (`model_uuid` equals `model_id`, as MLflow 3 does).
 *
 * @example
 * ```ts
 * const text = formatMlModel({
 *   artifactPath: "file:///tmp/mlruns/1/models/m-0/artifacts",
 *   flavors: { ts_json_bundle: { data: "model.json" } },
 *   modelId: "m-0", runId: "abc", createdAt: 0,
 * });
 * text.includes("model_uuid: m-0"); // true
 * ```
 */
export function formatMlModel(spec: MlModelSpec): string {
  return dumpYaml({
    artifact_path: spec.artifactPath,
    flavors: spec.flavors,
    mlflow_version: MLFLOW_FORMAT_VERSION,
    model_id: spec.modelId,
    model_size_bytes: spec.modelSizeBytes ?? null,
    model_uuid: spec.modelId,
    prompts: null,
    run_id: spec.runId,
    utc_time_created: utcTimeCreated(spec.createdAt),
    ...(spec.signature ? { signature: signatureFields(spec.signature) } : {}),
    ...(spec.hasInputExample
      ? {
        saved_input_example_info: {
          artifact_path: INPUT_EXAMPLE_FILE,
          pandas_orient: "split",
          serving_input_path: SERVING_INPUT_FILE,
          type: "dataframe",
        },
      }
      : {}),
    ...(spec.metadata ? { metadata: spec.metadata } : {}),
  });
}

/**
 * The two input example files MLflow writes next to MLmodel: the example in
 * `split` orientation and the scoring server payload.
 *
 * @example
 * ```ts
 * inputExampleFiles({ columns: ["recency"], data: [[3]] })["input_example.json"];
 * // '{"columns": ["recency"], "data": [[3]]}'
 * ```
 */
export function inputExampleFiles(example: InputExample): Record<string, string> {
  for (const [index, row] of example.data.entries()) {
    if (row.length !== example.columns.length) {
      throw new TrackingError(
        "INVALID_PARAMETER_VALUE",
        `input example row ${index + 1} has ${row.length} values for ${example.columns.length} columns`,
      );
    }
  }
  const split = {
    columns: example.columns,
    data: example.data.map((row) =>
      row.map((cell) => typeof cell === "number" && !Number.isFinite(cell) ? null : cell)
    ),
  };
  return {
    [INPUT_EXAMPLE_FILE]: pythonJsonDumps(split),
    [SERVING_INPUT_FILE]: pythonJsonDumps({ dataframe_split: split }, 2),
  };
}

/** An MLmodel file as read back. */
export interface MlModelDocument {
  /** Flavor name to flavor configuration. */
  readonly flavors: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** `model_id`, if recorded. */
  readonly modelId: string | null;
  /** `run_id`, if recorded. */
  readonly runId: string | null;
  /** The parsed signature, `null` without one. */
  readonly signature: { readonly inputs: ColumnSpec[]; readonly outputs: ColumnSpec[] } | null;
  /** Every key of the file, as parsed. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * Parses an MLmodel file, checking what MLflow checks (`flavors` a mapping,
 * a present signature parseable as JSON column lists).
 *
 * @example
 * ```ts
 * parseMlModel("flavors:\n  ts_json_bundle:\n    data: model.json\n", "MLmodel").flavors.ts_json_bundle.data; // "model.json"
 * ```
 */
export function parseMlModel(text: string, path: string): MlModelDocument {
  const raw = parseYaml(text, path);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new TrackingError("CORRUPT_STORE", "MLmodel is not a mapping", { path });
  }
  const fields = raw as Record<string, unknown>;
  const flavors = fields.flavors ?? {};
  if (typeof flavors !== "object" || Array.isArray(flavors)) {
    throw new TrackingError("CORRUPT_STORE", "MLmodel 'flavors' is not a mapping", { path });
  }
  return {
    flavors: flavors as Record<string, Record<string, unknown>>,
    modelId: typeof fields.model_id === "string" ? fields.model_id : null,
    runId: typeof fields.run_id === "string" ? fields.run_id : null,
    signature: parseSignature(fields.signature, path),
    raw: fields,
  };
}

function signatureFields(signature: ModelSignature): Record<string, string | null> {
  return {
    inputs: pythonJsonDumps(signature.inputs.map(columnJson)),
    outputs: signature.outputs ? pythonJsonDumps(signature.outputs.map(columnJson)) : null,
    params: null,
  };
}

/** MLflow's `ColumnSpec.to_dict` key order: type, name, required. */
function columnJson(column: ColumnSpec): Record<string, unknown> {
  return {
    type: column.type,
    ...(column.name !== undefined ? { name: column.name } : {}),
    required: column.required ?? true,
  };
}

function parseSignature(value: unknown, path: string): MlModelDocument["signature"] {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new TrackingError("CORRUPT_STORE", "MLmodel 'signature' is not a mapping", { path });
  }
  const columns = (text: unknown, what: string): ColumnSpec[] => {
    if (text === undefined || text === null) return [];
    try {
      const parsed = JSON.parse(String(text));
      if (!Array.isArray(parsed) || parsed.some((column) => typeof column?.type !== "string")) throw new Error();
      return parsed;
    } catch {
      throw new TrackingError("CORRUPT_STORE", `MLmodel signature ${what} is not a JSON list of columns`, { path });
    }
  };
  const fields = value as Record<string, unknown>;
  return { inputs: columns(fields.inputs, "inputs"), outputs: columns(fields.outputs, "outputs") };
}

/** Python's `str(datetime.utcnow())` for a millisecond time: `YYYY-MM-DD HH:MM:SS.ffffff`. */
function utcTimeCreated(milliseconds: number): string {
  const iso = new Date(milliseconds).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}
