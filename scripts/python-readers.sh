#!/usr/bin/env bash
# The export tests check Logbook's files with the tools' own readers: TensorBoard's EventAccumulator, an MLflow
# tracking server and client, ONNX Runtime. This makes the Python virtual environment that holds them,
# .venv-readers/ at the package root, when it is missing or incomplete; when it is complete it returns at once.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-readers
# Pinned: the versions the export tests were written against.
packages=(tensorboard==2.21.0 mlflow==3.17.2 onnxruntime==1.32.0 numpy==2.4.6)
check='import tensorboard, mlflow, onnxruntime, numpy'
stamp=$venv/.installed
# Complete when the stamp (written after the imports succeeded) lists the same packages.
if [[ -x $venv/bin/python && -f $stamp && $(cat "$stamp") == "${packages[*]}" ]]; then
  exit 0
fi
python=${PYTHON:-python3}
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing python3-venv"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    echo "python3 with venv is missing; run: sudo apt-get install -y python3-venv" >&2; exit 1
  fi
fi
echo "creating $venv with ${packages[*]}"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}"
"$venv/bin/python" -c "$check"
echo "${packages[*]}" >"$stamp"
