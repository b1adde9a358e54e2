"""Trains the one scikit-learn model that bench/serving/mlserver.bench.ts serves twice: as model.joblib through
MLServer's scikit-learn runtime, and exported with skl2onnx as model.onnx through Slipway, so both servers answer
from the same fitted weights.
Run: tools/python/setup-venv.sh mlserver && .tools/mlserver-venv/bin/python tools/python/mlserver-bench/make_model.py <out-dir>
Writes into <out-dir>: model.joblib, model-settings.json (MLServer), model.onnx (Slipway) and check-rows.json (the
held-out rows the bench sends both servers before measuring). Iris ships with scikit-learn."""
import json
import sys
from pathlib import Path

import joblib
import numpy as np
from skl2onnx import to_onnx
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

MODEL_NAME = "sk-iris"
HELD_OUT = 12


def train():
    """The pipeline of tools/python/onnx-fixtures (scaler + logistic regression, string classes, same split)."""
    features, target = load_iris(return_X_y=True)
    species = np.array(["setosa", "versicolor", "virginica"])[target]
    train_x, test_x, train_y, _ = train_test_split(features.astype(np.float32), species, test_size=HELD_OUT, random_state=0, stratify=species)
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1_000)).fit(train_x, train_y), train_x, test_x


def model_settings() -> dict:
    """MLServer's defaults otherwise: predict() unless a request asks for other outputs, and the server-wide
    parallel_workers (1 in MLServer 1.7), since the model-level setting is deprecated."""
    return {"name": MODEL_NAME, "implementation": "mlserver_sklearn.SKLearnModel", "parameters": {"uri": "./model.joblib"}}


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model, train_x, test_x = train()
    joblib.dump(model, out / "model.joblib")
    (out / "model-settings.json").write_text(json.dumps(model_settings(), indent=1) + "\n")
    # zipmap=False: the probabilities leave as a plain [rows, 3] tensor, as MLServer's predict_proba does, not as
    # skl2onnx's default sequence of maps.
    onnx_model = to_onnx(model, train_x[:1], target_opset=18, options={"zipmap": False})
    (out / "model.onnx").write_bytes(onnx_model.SerializeToString())
    (out / "check-rows.json").write_text(json.dumps({"input": "X", "rows": test_x.tolist(), "classes": model.classes_.tolist()}) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_model.py <out-dir>")
    main(Path(sys.argv[1]))
