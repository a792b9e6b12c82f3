"""Reads an MLflow experiment back with MLflow's own client and prints it as JSON.

usage: mlflow_read.py TRACKING_URI EXPERIMENT_NAME DOWNLOAD_DIR
Numbers are printed as Python's repr text (shortest round-trip), which the test parses exactly.
Output: {"runs": [{"run_id", "status", "params", "tags", "metrics" (latest values, from search_runs),
         "history": {key: [[step, value, timestamp], ...]} (get_metric_history), "artifacts": [paths],
         "safetensors": {tensor name: [shape, first value]}}]}.
"""
import json
import os
import sys

import mlflow
import numpy
from mlflow.tracking import MlflowClient


def tensors(path):
    """The tensors of a safetensors file, read with NumPy: 8-byte header length, JSON header, data."""
    with open(path, "rb") as file:
        size = int.from_bytes(file.read(8), "little")
        header = json.loads(file.read(size))
        data = file.read()
    result = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        values = numpy.frombuffer(data[start:end], dtype=numpy.float32)
        result[name] = [entry["shape"], repr(float(values[0])) if len(values) else None]
    return result


def main(uri, name, download):
    mlflow.set_tracking_uri(uri)
    client = MlflowClient(uri)
    experiment = client.get_experiment_by_name(name)
    frame = mlflow.search_runs(experiment_ids=[experiment.experiment_id], output_format="list")
    runs = []
    for run in frame:
        run_id = run.info.run_id
        history = {}
        for key in run.data.metrics:
            history[key] = [[m.step, repr(m.value), m.timestamp] for m in client.get_metric_history(run_id, key)]
        artifacts = [a.path for a in client.list_artifacts(run_id)]
        weights = {}
        if "model.safetensors" in artifacts:
            path = client.download_artifacts(run_id, "model.safetensors", os.path.join(download, run_id))
            weights = tensors(path)
        runs.append({
            "run_id": run_id, "status": run.info.status, "run_name": run.info.run_name,
            "params": run.data.params, "tags": {k: v for k, v in run.data.tags.items() if k.startswith("logbook.")},
            "metrics": {key: repr(value) for key, value in run.data.metrics.items()}, "history": history, "artifacts": artifacts, "safetensors": weights,
        })
    json.dump({"experiment_id": experiment.experiment_id, "runs": runs}, sys.stdout)


main(*sys.argv[1:4])
