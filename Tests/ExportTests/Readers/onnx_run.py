"""Runs an ONNX model with ONNX Runtime on raw features and writes its outputs.

usage: onnx_run.py MODEL FEATURES ROWS COLUMNS LOGITS
FEATURES holds ROWS × COLUMNS little-endian float32 values (row-major); LOGITS receives the output the same way.
Prints {"inputs": [[name, shape]], "outputs": [[name, shape]], "shape": [rows, classes], "opset": N}.
"""
import json
import sys

import numpy
import onnxruntime


def main(model, features, rows, columns, logits):
    session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
    values = numpy.fromfile(features, dtype="<f4").reshape(int(rows), int(columns))
    (output,) = session.run(["logits"], {"features": values})
    output.astype("<f4").tofile(logits)
    metadata = session.get_modelmeta()
    json.dump({
        "inputs": [[i.name, i.shape] for i in session.get_inputs()],
        "outputs": [[o.name, o.shape] for o in session.get_outputs()],
        "shape": list(output.shape),
        "producer": metadata.producer_name,
        "run": metadata.custom_metadata_map.get("logbook.run"),
    }, sys.stdout)


main(*sys.argv[1:6])
