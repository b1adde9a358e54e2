"""Infers with the real tritonclient[http] package, its request bodies compressed, against a running Slipway serving.

tritonclient's request_compression_algorithm sends the body gzip- or deflate-compressed with a matching
Content-Encoding header. Each compressed request, JSON and binary tensors alike, must answer exactly what the plain
one does. Prints one line per check and a last line "all checks passed"; exits 0 when all pass, 1 otherwise.

Usage: triton_compression_check.py --url 127.0.0.1:PORT --model iris --rows rows.json
rows.json: {"features": {"sepal_length": [...], ...}}
"""

from __future__ import annotations

import argparse
import json
import sys
from urllib.parse import urlsplit

import numpy as np
import tritonclient.http as httpclient

OUTPUTS = ("probabilities", "label")


def infer(client: httpclient.InferenceServerClient, model: str, features: dict[str, np.ndarray], binary: bool, compression: str | None) -> dict[str, list]:
    inputs = []
    for name, values in features.items():
        tensor = httpclient.InferInput(name, list(values.shape), "FP32")
        tensor.set_data_from_numpy(values, binary_data=binary)
        inputs.append(tensor)
    outputs = [httpclient.InferRequestedOutput(name, binary_data=binary) for name in OUTPUTS]
    result = client.infer(model, inputs, outputs=outputs, request_compression_algorithm=compression)
    return {name: [item.decode("utf-8") if isinstance(item, bytes) else item for item in result.as_numpy(name).tolist()] for name in OUTPUTS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--rows", required=True)
    args = parser.parse_args()
    parts = urlsplit(args.url if "://" in args.url else f"http://{args.url}")
    client = httpclient.InferenceServerClient(url=parts.netloc)
    with open(args.rows, encoding="utf-8") as file:
        features = {name: np.asarray(values, dtype=np.float32) for name, values in json.load(file)["features"].items()}

    failures = 0
    for binary in (False, True):
        form = "binary" if binary else "JSON"
        plain = infer(client, args.model, features, binary, None)
        for compression in ("gzip", "deflate"):
            try:
                compressed = infer(client, args.model, features, binary, compression)
                if compressed != plain:
                    raise AssertionError(f"answers differ from the plain request: {compressed} != {plain}")
                print(f"PASS {form} request compressed with {compression}: same {len(plain['label'])} answers as plain")
            except Exception as error:  # noqa: BLE001 - every failure is reported, then counted
                failures += 1
                print(f"FAIL {form} request compressed with {compression}: {error}")
    print("all checks passed" if failures == 0 else f"{failures} checks failed")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
