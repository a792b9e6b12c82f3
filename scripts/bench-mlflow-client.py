"""MLflow's own Python client measured the way `logbook bench export --tracking-uri URL` measures Logbook's export:
ROWS metric values (default 1,000,000) sent to a fresh run with MlflowClient.log_batch, 1000 metrics a call, the
values made up beforehand; one JSON line with metrics/s.

usage: python scripts/bench-mlflow-client.py URL [ROWS]   (with the venv of scripts/python-readers.sh)
"""
import json
import os
import sys
import time

# Loopback only: no usage telemetry (MLflow sends it by default).
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"

from mlflow.entities import Metric
from mlflow.tracking import MlflowClient


def main(uri, rows=1_000_000):
    client = MlflowClient(uri)
    experiment = client.create_experiment("mlflow-client-bench-%d" % int(time.time()))
    now = int(time.time() * 1000)
    metrics = [Metric("iteration/loss", 1.0 / (step + 1), now + step, step) for step in range(1, rows + 1)]
    start = time.perf_counter()
    run = client.create_run(experiment)
    for first in range(0, rows, 1000):
        client.log_batch(run.info.run_id, metrics=metrics[first:first + 1000])
    client.set_terminated(run.info.run_id)
    seconds = time.perf_counter() - start
    print(json.dumps({"bench": "mlflow_client.log_batch", "metrics": rows, "metrics_per_s": int(rows / seconds),
                      "seconds": round(seconds, 4)}))


main(sys.argv[1], *[int(argument) for argument in sys.argv[2:3]])
