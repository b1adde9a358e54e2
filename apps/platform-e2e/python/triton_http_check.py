"""Drives a running Slipway serving with the real tritonclient[http] package, as any Triton user would.

Checks health, server and model metadata, JSON and binary-tensor inference on held-out rows, and the
statistics extension. Prints one line per check; exits 0 when all pass, 1 when any fails (checks that
depend on a failed one are reported as skipped), 2 on bad arguments.

Usage: triton_http_check.py --url 127.0.0.1:PORT --model iris --rows rows.json [--model-version 3]
rows.json: {"features": {"sepal_length": [...], ...}, "labels": ["setosa", ...]}
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

# Slipway's classifier contract: one FP32 input per feature, class probabilities plus the predicted label.
PROBABILITIES = "probabilities"
LABEL = "label"
PROBABILITY_TOLERANCE = 1e-6
ROW_SUM_TOLERANCE = 1e-5
MIN_ACCURACY = 0.9
# Extensions this check relies on, under the names Triton announces them by in GET /v2.
REQUIRED_EXTENSIONS = ("binary_tensor_data", "statistics")


class CheckFailed(Exception):
    """A server answer that breaks the protocol or the model's contract."""


@dataclass
class Rows:
    features: dict[str, np.ndarray]
    labels: list[str]

    @property
    def count(self) -> int:
        return len(self.labels)


@dataclass
class Prediction:
    probabilities: np.ndarray
    labels: list[str]


def load_rows(path: str) -> Rows:
    with open(path, encoding="utf-8") as file:
        document = json.load(file)
    labels = [str(label) for label in document["labels"]]
    features = {name: np.asarray(values, dtype=np.float32) for name, values in document["features"].items()}
    for name, values in features.items():
        if values.shape != (len(labels),):
            raise ValueError(f"{path}: feature {name} has shape {values.shape}, expected ({len(labels)},) like labels")
    if not labels or not features:
        raise ValueError(f"{path}: needs at least one feature and one row")
    return Rows(features, labels)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def as_text(value: Any) -> str:
    # BYTES tensors come back as bytes from binary outputs and as str from JSON ones.
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class Checker:
    def __init__(self) -> None:
        self.failures = 0

    def run(self, name: str, check: Callable[[], Any], requires: tuple[Any, ...] = ()) -> Any:
        """Runs one check and prints its line; returns its value, or None when it failed or was skipped.

        `requires` holds the values of earlier checks this one uses: when one of them failed, this one is skipped.
        """
        if any(value is None for value in requires):
            print(f"SKIP {name}: an earlier check it depends on failed", flush=True)
            return None
        try:
            value = check()
        except (CheckFailed, InferenceServerException) as error:
            self.failures += 1
            print(f"FAIL {name}: {error}", flush=True)
            return None
        except Exception as error:  # noqa: BLE001 - a client-side crash is a failure of this check, shown in full
            self.failures += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
            traceback.print_exc(file=sys.stdout)
            return None
        detail = f" ({value})" if isinstance(value, str) else ""
        print(f"ok   {name}{detail}", flush=True)
        return value if value is not None else True

    def finish(self, url: str) -> int:
        """Prints the verdict and returns the exit code: 0 when every check passed, 1 otherwise."""
        if self.failures:
            print(f"{self.failures} check(s) failed against {url}", flush=True)
            return 1
        print(f"all checks passed against {url}", flush=True)
        return 0


def check_server_metadata(client: httpclient.InferenceServerClient) -> str:
    metadata = client.get_server_metadata()
    expect(isinstance(metadata.get("name"), str) and metadata["name"] != "", f"server metadata has no name: {metadata}")
    expect(isinstance(metadata.get("version"), str) and metadata["version"] != "", f"server metadata has no version: {metadata}")
    extensions = metadata.get("extensions")
    expect(isinstance(extensions, list), f"server metadata has no extensions list: {metadata}")
    missing = [name for name in REQUIRED_EXTENSIONS if name not in extensions]
    expect(not missing, f"server metadata does not announce the extensions {missing}; it announces {extensions}")
    return f"{metadata['name']} {metadata['version']}, extensions {', '.join(extensions)}"


def check_model_metadata(client: httpclient.InferenceServerClient, model: str, version: str, rows: Rows) -> str:
    metadata = client.get_model_metadata(model, model_version=version)
    expect(metadata.get("name") == model, f"model metadata names {metadata.get('name')!r}, expected {model!r}")
    versions = metadata.get("versions")
    expect(isinstance(versions, list) and len(versions) > 0, f"model metadata lists no versions: {metadata}")
    if version:
        expect(version in versions, f"model metadata for version {version} lists versions {versions}")
    inputs = {tensor["name"]: tensor for tensor in metadata.get("inputs", [])}
    expect(sorted(inputs) == sorted(rows.features), f"model inputs are {sorted(inputs)}, the rows have features {sorted(rows.features)}")
    for name, tensor in inputs.items():
        expect(tensor.get("datatype") == "FP32", f"input {name} has datatype {tensor.get('datatype')}, expected FP32")
        expect(tensor.get("shape") == [-1], f"input {name} has shape {tensor.get('shape')}, expected [-1]")
    outputs = {tensor["name"]: tensor for tensor in metadata.get("outputs", [])}
    expect(sorted(outputs) == sorted([PROBABILITIES, LABEL]), f"model outputs are {sorted(outputs)}, expected {[PROBABILITIES, LABEL]}")
    classes = len(set(rows.labels))
    expected_shapes = {PROBABILITIES: ("FP32", [-1, classes]), LABEL: ("BYTES", [-1])}
    for name, (datatype, shape) in expected_shapes.items():
        tensor = outputs[name]
        expect(tensor.get("datatype") == datatype, f"output {name} has datatype {tensor.get('datatype')}, expected {datatype}")
        expect(tensor.get("shape") == shape, f"output {name} has shape {tensor.get('shape')}, expected {shape}")
    return f"platform {metadata.get('platform')}, versions {versions}"


def infer(client: httpclient.InferenceServerClient, model: str, version: str, rows: Rows, binary: bool) -> Prediction:
    inputs = []
    for name, values in rows.features.items():
        tensor = httpclient.InferInput(name, list(values.shape), "FP32")
        tensor.set_data_from_numpy(values, binary_data=binary)
        inputs.append(tensor)
    outputs = [httpclient.InferRequestedOutput(name, binary_data=binary) for name in (PROBABILITIES, LABEL)]
    request_id = f"triton-http-check-{'binary' if binary else 'json'}"
    result = client.infer(model, inputs, model_version=version, outputs=outputs, request_id=request_id)

    response = result.get_response()
    expect(response.get("model_name") == model, f"response model_name is {response.get('model_name')!r}, expected {model!r}")
    expect(response.get("id") == request_id, f"response id is {response.get('id')!r}, expected the request's {request_id!r}")
    for output in response.get("outputs", []):
        # Triton's binary extension: a binary output carries binary_data_size and no JSON data, a JSON one the reverse.
        size = (output.get("parameters") or {}).get("binary_data_size")
        if binary:
            expect(size is not None and "data" not in output, f"output {output['name']} came back as JSON although binary_data was requested")
        else:
            expect(size is None and "data" in output, f"output {output['name']} came back binary although binary_data=False was requested")

    probabilities = result.as_numpy(PROBABILITIES)
    labels = result.as_numpy(LABEL)
    expect(probabilities is not None and labels is not None, f"response lacks {PROBABILITIES} or {LABEL}: {response.get('outputs')}")
    classes = len(set(rows.labels))
    expect(probabilities.dtype == np.float32, f"{PROBABILITIES} decoded as {probabilities.dtype}, expected float32")
    expect(probabilities.shape == (rows.count, classes), f"{PROBABILITIES} has shape {probabilities.shape}, expected ({rows.count}, {classes})")
    expect(labels.shape == (rows.count,), f"{LABEL} has shape {labels.shape}, expected ({rows.count},)")
    return Prediction(probabilities, [as_text(label) for label in labels])


def check_prediction(prediction: Prediction, rows: Rows) -> str:
    sums = prediction.probabilities.sum(axis=1)
    worst = float(np.max(np.abs(sums - 1.0)))
    expect(worst <= ROW_SUM_TOLERANCE, f"a probability row sums to {1.0 + worst:.7f}, expected 1 within {ROW_SUM_TOLERANCE}")
    expect(bool(np.all(prediction.probabilities >= 0)), "a probability is negative")
    unknown = sorted(set(prediction.labels) - set(rows.labels))
    expect(not unknown, f"predicted labels {unknown} are not among the true labels {sorted(set(rows.labels))}")
    correct = sum(predicted == truth for predicted, truth in zip(prediction.labels, rows.labels))
    accuracy = correct / rows.count
    expect(accuracy >= MIN_ACCURACY, f"{correct} of {rows.count} rows predicted right ({accuracy:.3f}), expected at least {MIN_ACCURACY}")
    return f"{correct}/{rows.count} right"


def check_same(json_prediction: Prediction, binary_prediction: Prediction) -> str:
    difference = float(np.max(np.abs(json_prediction.probabilities - binary_prediction.probabilities)))
    expect(difference <= PROBABILITY_TOLERANCE, f"probabilities differ by up to {difference:g}, expected at most {PROBABILITY_TOLERANCE:g}")
    differing = [i for i, (a, b) in enumerate(zip(json_prediction.labels, binary_prediction.labels)) if a != b]
    expect(not differing, f"labels differ at rows {differing}")
    return f"largest probability difference {difference:g}"


def success_count(client: httpclient.InferenceServerClient, model: str) -> int:
    statistics = client.get_inference_statistics(model_name=model)
    entries = [entry for entry in statistics.get("model_stats", []) if entry.get("name") == model]
    expect(len(entries) > 0, f"statistics have no entry for {model}: {statistics}")
    try:
        return sum(int(entry["inference_stats"]["success"]["count"]) for entry in entries)
    except (KeyError, TypeError, ValueError) as error:
        raise CheckFailed(f"statistics entry lacks inference_stats.success.count ({error!r}): {entries}") from error


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="server address, host:port as tritonclient takes it (an http:// or https:// prefix is accepted)")
    parser.add_argument("--model", required=True)
    parser.add_argument("--model-version", default="", help="also address the model by this explicit version")
    parser.add_argument("--rows", required=True, help="JSON file of held-out rows and their true labels")
    args = parser.parse_args()
    try:
        rows = load_rows(args.rows)
    except (OSError, ValueError, KeyError) as error:
        print(f"bad --rows file: {error!r}", file=sys.stderr)
        return 2

    # tritonclient takes host:port and a separate ssl flag; a full URL is split into those.
    address = urlsplit(args.url if "://" in args.url else f"http://{args.url}")
    client = httpclient.InferenceServerClient(url=address.netloc, ssl=address.scheme == "https")
    model, version = args.model, args.model_version
    where = f"{model}" + (f" version {version}" if version else "")
    checker = Checker()

    checker.run("server is live", lambda: expect(client.is_server_live(), "GET /v2/health/live did not answer 200"))
    checker.run("server is ready", lambda: expect(client.is_server_ready(), "GET /v2/health/ready did not answer 200"))
    checker.run("server metadata", lambda: check_server_metadata(client))
    checker.run(f"model {model} is ready", lambda: expect(client.is_model_ready(model), f"GET /v2/models/{model}/ready did not answer 200"))
    checker.run(f"model {model} metadata", lambda: check_model_metadata(client, model, "", rows))
    if version:
        checker.run(f"model {where} is ready", lambda: expect(client.is_model_ready(model, model_version=version), "versioned ready did not answer 200"))
        checker.run(f"model {where} metadata", lambda: check_model_metadata(client, model, version, rows))

    before = checker.run("statistics before inference", lambda: str(success_count(client, model)))
    json_prediction = checker.run(f"JSON infer of {rows.count} rows", lambda: infer(client, model, "", rows, binary=False))
    checker.run("JSON predictions", lambda: check_prediction(json_prediction, rows), requires=(json_prediction,))
    binary_prediction = checker.run(f"binary infer of {rows.count} rows", lambda: infer(client, model, "", rows, binary=True))
    checker.run("binary predictions", lambda: check_prediction(binary_prediction, rows), requires=(binary_prediction,))
    checker.run("JSON and binary agree", lambda: check_same(json_prediction, binary_prediction), requires=(json_prediction, binary_prediction))
    versioned_prediction = None
    if version:
        versioned_prediction = checker.run(f"JSON infer on {where}", lambda: infer(client, model, version, rows, binary=False))
        checker.run(f"{where} agrees with {model}", lambda: check_same(json_prediction, versioned_prediction), requires=(json_prediction, versioned_prediction))

    answered = sum(prediction is not None for prediction in (json_prediction, binary_prediction, versioned_prediction))

    def check_statistics_grew() -> str:
        after = success_count(client, model)
        expect(after >= int(before) + answered, f"success count went from {before} to {after} across {answered} successful requests")
        return f"success count {before} -> {after}"

    checker.run("statistics count the requests", check_statistics_grew, requires=(before,))
    client.close()
    return checker.finish(args.url)


if __name__ == "__main__":
    sys.exit(main())
