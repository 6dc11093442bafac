"""Reads an mlruns folder the way MLflow's FileStore does (PyYAML safe loader, the
rules of ../shared/docs/mlruns-format.md) and reports what MLflow would see or refuse.

Used by compat_test.ts as an independent, Python-side reader of the stores our
TypeScript client writes. Usage: python3 mlflow_read_check.py MLRUNS_DIR
Prints JSON {"counts": ..., "runs": {...}, "errors": [...]} and exits 1 on errors.
"""
import json
import math
import os
import posixpath
import re
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KEY = re.compile(r"^[/\w.\- :]*$")
RESERVED = {"tags", "datasets", "traces", "models"}
DATA_TYPES = {"boolean", "integer", "long", "float", "double", "string", "binary", "datetime"}
errors = []


def fail(path, message):
    errors.append(f"{path}: {message}")


def read_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=Loader)


def check_key(key, path):
    norm = posixpath.normpath(key)
    if not KEY.match(key) or norm != key or norm == "." or norm.startswith("..") or norm.startswith("/"):
        fail(path, f"invalid key {key!r}")


def value_files(folder):
    values = {}
    for root, _, files in os.walk(folder):
        for name in files:
            key = os.path.relpath(os.path.join(root, name), folder)
            check_key(key, os.path.join(root, name))
            with open(os.path.join(root, name), encoding="utf-8") as handle:
                values[key] = handle.read()
    return values


def metric_files(folder, field_counts):
    latest = {}
    for key, text in value_files(folder).items():
        lines = text.splitlines()
        if not lines:
            fail(os.path.join(folder, key), "no data found")
        points = []
        for line in lines:
            parts = line.strip().split(" ")
            if len(parts) not in field_counts:
                fail(os.path.join(folder, key), f"{len(parts)} fields in {line!r}")
                continue
            points.append((int(parts[2]) if len(parts) > 2 else 0, int(parts[0]), float(parts[1])))
        if points:
            value = max(points)[2]
            latest[key] = "nan" if math.isnan(value) else value if math.isfinite(value) else str(value)
    return latest


def check_run(exp_id, run_dir, runs):
    meta_path = os.path.join(run_dir, "meta.yaml")
    if not os.path.exists(meta_path):
        return  # MLflow skips it at debug level
    meta = read_yaml(meta_path)
    for key in ("run_id", "experiment_id", "user_id", "start_time", "end_time"):
        if key not in meta:
            fail(meta_path, f"missing {key}")
            return
    if str(meta["experiment_id"]) != exp_id or not isinstance(meta["experiment_id"], str):
        fail(meta_path, "experiment_id mismatch or not a string")
    if meta["user_id"] is None or not isinstance(meta["start_time"], int):
        fail(meta_path, "user_id/start_time")
    if not isinstance(meta.get("status", 1), int) or meta.get("status", 1) not in range(1, 6):
        fail(meta_path, f"status {meta.get('status')!r}")
    if meta.get("lifecycle_stage", "active") not in ("active", "deleted"):
        fail(meta_path, "lifecycle_stage")
    if meta["run_id"] != os.path.basename(run_dir):
        fail(meta_path, "run_id differs from folder")
    tags = value_files(os.path.join(run_dir, "tags"))
    for output in os.listdir(os.path.join(run_dir, "outputs")) if os.path.isdir(os.path.join(run_dir, "outputs")) else []:
        out = read_yaml(os.path.join(run_dir, "outputs", output, "meta.yaml"))
        keys = {"source_type", "source_id", "destination_type", "destination_id", "tags", "step"}
        if set(out) != keys:
            fail(os.path.join(run_dir, "outputs", output), f"output keys {sorted(out)}")
    runs[meta["run_id"]] = {
        "name": meta.get("run_name") or tags.get("mlflow.runName"),
        "status": meta.get("status", 1),
        "end_time": meta["end_time"],
        "params": value_files(os.path.join(run_dir, "params")),
        "tags": tags,
        "metrics": metric_files(os.path.join(run_dir, "metrics"), (2, 3, 5)),
    }


def check_logged_model(exp_id, model_dir, counts):
    meta_path = os.path.join(model_dir, "meta.yaml")
    if not os.path.exists(meta_path):
        return
    meta = read_yaml(meta_path)
    for key in ("model_id", "experiment_id", "name", "artifact_location", "creation_timestamp",
                "last_updated_timestamp"):
        if key not in meta:
            fail(meta_path, f"missing {key}")
            return
    if meta["experiment_id"] != exp_id or meta["model_id"] != os.path.basename(model_dir):
        fail(meta_path, "ids differ from folders")
    if meta.get("status", 2) not in range(0, 4):
        fail(meta_path, f"status {meta.get('status')!r}")
    value_files(os.path.join(model_dir, "params"))
    value_files(os.path.join(model_dir, "tags"))
    metric_files(os.path.join(model_dir, "metrics"), (4, 6))
    mlmodel = os.path.join(model_dir, "artifacts", "MLmodel")
    if os.path.exists(mlmodel):
        document = read_yaml(mlmodel)
        if not isinstance(document.get("flavors", {}), dict):
            fail(mlmodel, "flavors")
        for part in ("inputs", "outputs"):
            text = (document.get("signature") or {}).get(part)
            if text is not None and any(column.get("type") not in DATA_TYPES for column in json.loads(text)):
                fail(mlmodel, f"signature {part}")
    counts["logged_models"] += 1


def check_registry(root, counts):
    models = os.path.join(root, "models")
    for name in sorted(os.listdir(models)) if os.path.isdir(models) else []:
        folder = os.path.join(models, name)
        if not os.path.isdir(folder):
            continue
        meta = read_yaml(os.path.join(folder, "meta.yaml"))
        if meta.get("name") != name:
            fail(folder, "registered model name differs from folder")
        counts["registered_models"] += 1
        value_files(os.path.join(folder, "tags"))
        for alias, version in value_files(os.path.join(folder, "aliases")).items():
            if not os.path.isdir(os.path.join(folder, f"version-{version}")):
                fail(os.path.join(folder, "aliases", alias), f"points at missing version-{version}")
        for entry in sorted(os.listdir(folder)):
            if not (entry.startswith("version-") and os.path.isdir(os.path.join(folder, entry))):
                continue
            version = read_yaml(os.path.join(folder, entry, "meta.yaml"))
            if version.get("name") != name or not isinstance(version.get("version"), int):
                fail(os.path.join(folder, entry), "name/version")
            if "creation_timestamp" not in version:
                fail(os.path.join(folder, entry), "creation_timestamp")
            if version.get("current_stage") not in ("None", "Staging", "Production", "Archived", "Deleted_Internal", None):
                fail(os.path.join(folder, entry), f"stage {version.get('current_stage')!r}")
            if version.get("status") not in ("READY", "PENDING_REGISTRATION", "FAILED_REGISTRATION"):
                fail(os.path.join(folder, entry), f"status {version.get('status')!r}")
            value_files(os.path.join(folder, entry, "tags"))
            counts["model_versions"] += 1


def main(root):
    counts = {"experiments": 0, "runs": 0, "logged_models": 0, "registered_models": 0, "model_versions": 0}
    runs = {}
    for exp_id in sorted(os.listdir(root)):
        exp_dir = os.path.join(root, exp_id)
        if not os.path.isdir(exp_dir) or exp_id.endswith(".trash") or exp_id == "models":
            continue
        meta = read_yaml(os.path.join(exp_dir, "meta.yaml"))
        for key in ("experiment_id", "name", "artifact_location", "lifecycle_stage"):
            if key not in meta:
                fail(exp_dir, f"experiment missing {key}")
        if str(meta.get("experiment_id")) != exp_id:
            fail(exp_dir, "experiment ID mismatch")
        value_files(os.path.join(exp_dir, "tags"))
        counts["experiments"] += 1
        for entry in sorted(os.listdir(exp_dir)):
            if os.path.isdir(os.path.join(exp_dir, entry)) and entry not in RESERVED:
                check_run(exp_id, os.path.join(exp_dir, entry), runs)
        models = os.path.join(exp_dir, "models")
        for model_id in sorted(os.listdir(models)) if os.path.isdir(models) else []:
            check_logged_model(exp_id, os.path.join(models, model_id), counts)
    counts["runs"] = len(runs)
    check_registry(root, counts)
    print(json.dumps({"counts": counts, "runs": runs, "errors": errors}, sort_keys=True))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
