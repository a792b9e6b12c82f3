"""Runs an MLflow tracking server on a free loopback port for one test, and stops it.

usage: mlflow_server.py DIR
Starts `mlflow server` (SQLite backend DIR/mlflow.db, artifacts in DIR/artifacts) in its own process group,
waits (at most 120 s) until it answers /health, then prints its port on one line. It stops the whole group when
its standard input closes (the test ends, or its process dies) or when it is terminated.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)


def main(directory):
    # Loopback only: no usage telemetry from the server (MLflow sends it by default).
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
    os.environ["DO_NOT_TRACK"] = "true"
    port = free_port()
    log = open(os.path.join(directory, "server.log"), "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", "sqlite:///" + os.path.join(directory, "mlflow.db"),
         "--artifacts-destination", os.path.join(directory, "artifacts"), "--workers", "1"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    signal.signal(signal.SIGTERM, lambda *_: (stop(server), sys.exit(0)))
    deadline = time.time() + 120
    while True:
        if server.poll() is not None:
            sys.exit("mlflow server exited %s; see %s" % (server.returncode, log.name))
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/health" % port, timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if time.time() > deadline:
            stop(server)
            sys.exit("mlflow server did not answer within 120 s; see %s" % log.name)
        time.sleep(0.25)
    print(port, flush=True)
    try:
        sys.stdin.read()
    finally:
        stop(server)


main(sys.argv[1])
