"""Drives a Slipway serving that holds an imported scikit-learn ONNX model with the real tritonclient[http] package.

Checks the model's metadata (its own tensors, read from the model at import) and configuration, then JSON and binary-tensor inference
on held-out rows against what scikit-learn itself predicted (the fixture's expected.json), within 1e-5. Prints one
line per check; exits 0 when all pass, 1 when any fails, 2 on bad arguments.

Usage: triton_http_imported_check.py --url 127.0.0.1:PORT --model sk-iris --expected expected.json --fixture sklearn-iris-pipeline.onnx
"""

from __future__ import annotations

import argparse
import json
import sys
from urllib.parse import urlsplit

import numpy as np
import tritonclient.http as httpclient

from triton_http_check import Checker, as_text, expect

INPUT = "X"
LABEL = "output_label"
PROBABILITIES = "output_probability"
TOLERANCE = 1e-5


def check_metadata(client: httpclient.InferenceServerClient, model: str, classes: int) -> str:
    metadata = client.get_model_metadata(model)
    expect(metadata.get("platform") == "onnxruntime_onnx", f"platform is {metadata.get('platform')!r}, expected 'onnxruntime_onnx'")
    expect(metadata.get("inputs") == [{"name": INPUT, "datatype": "FP32", "shape": [-1, 4]}], f"inputs are {metadata.get('inputs')}")
    outputs = {output["name"]: output for output in metadata.get("outputs", [])}
    expect(outputs.get(PROBABILITIES, {}).get("shape") == [-1, classes], f"outputs are {metadata.get('outputs')}")
    return f"{len(metadata['inputs'])} input, outputs {', '.join(outputs)}"


def check_config(client: httpclient.InferenceServerClient, model: str) -> str:
    config = client.get_model_config(model)
    # Serving batches along the first dimension of this model: Triton then leaves it out of dims.
    expect(config.get("max_batch_size", 0) > 0, f"max_batch_size is {config.get('max_batch_size')}, expected a batching model")
    expect(config.get("input") == [{"name": INPUT, "data_type": "TYPE_FP32", "dims": [4]}], f"config inputs are {config.get('input')}")
    return f"max_batch_size {config['max_batch_size']}"


def infer(client: httpclient.InferenceServerClient, model: str, rows: np.ndarray, binary: bool) -> tuple[list[str], np.ndarray]:
    tensor = httpclient.InferInput(INPUT, list(rows.shape), "FP32")
    tensor.set_data_from_numpy(rows, binary_data=binary)
    outputs = [httpclient.InferRequestedOutput(name, binary_data=binary) for name in (LABEL, PROBABILITIES)]
    result = client.infer(model, [tensor], outputs=outputs)
    labels, probabilities = result.as_numpy(LABEL), result.as_numpy(PROBABILITIES)
    expect(labels is not None and probabilities is not None, f"response lacks {LABEL} or {PROBABILITIES}: {result.get_response()}")
    return [as_text(label) for label in labels], probabilities


def check_against_framework(prediction: tuple[list[str], np.ndarray], labels: list[str], probabilities: np.ndarray) -> str:
    predicted_labels, predicted = prediction
    expect(predicted_labels == labels, f"labels {predicted_labels} differ from scikit-learn's {labels}")
    expect(predicted.shape == probabilities.shape, f"probabilities have shape {predicted.shape}, expected {probabilities.shape}")
    worst = float(np.max(np.abs(predicted - probabilities)))
    expect(worst <= TOLERANCE, f"probabilities differ from scikit-learn's by up to {worst:g}, expected at most {TOLERANCE:g}")
    return f"largest difference {worst:g}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--expected", required=True, help="the ONNX fixtures' expected.json")
    parser.add_argument("--fixture", required=True, help="the fixture's file name in expected.json")
    args = parser.parse_args()
    try:
        with open(args.expected, encoding="utf-8") as file:
            entry = next(model for model in json.load(file)["models"] if model["file"] == args.fixture)
        rows = np.asarray(entry["inputs"][INPUT], dtype=np.float32)
        labels = [str(label) for label in entry["label"]]
        probabilities = np.asarray(entry["probabilities"], dtype=np.float32)
    except (OSError, ValueError, KeyError, StopIteration) as error:
        print(f"bad --expected/--fixture: {error!r}", file=sys.stderr)
        return 2

    address = urlsplit(args.url if "://" in args.url else f"http://{args.url}")
    client = httpclient.InferenceServerClient(url=address.netloc, ssl=address.scheme == "https")
    checker = Checker()
    checker.run(f"model {args.model} is ready", lambda: expect(client.is_model_ready(args.model), "ready did not answer 200"))
    checker.run(f"model {args.model} metadata", lambda: check_metadata(client, args.model, probabilities.shape[1]))
    checker.run(f"model {args.model} configuration", lambda: check_config(client, args.model))
    for binary in (False, True):
        kind = "binary" if binary else "JSON"
        prediction = checker.run(f"{kind} infer of {len(rows)} rows", lambda: infer(client, args.model, rows, binary))
        checker.run(f"{kind} predictions equal scikit-learn's", lambda: check_against_framework(prediction, labels, probabilities), requires=(prediction,))
    client.close()
    return checker.finish(args.url)


if __name__ == "__main__":
    sys.exit(main())
