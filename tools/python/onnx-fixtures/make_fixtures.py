"""Writes the ONNX models the serving runtime is tested on, made by the real exporters, and what each framework
itself predicts for held-out rows (the figures Slipway's answers must equal within 1e-5).
Run: python3 -m venv /tmp/venv-onnx && /tmp/venv-onnx/bin/pip install -r tools/python/onnx-fixtures/requirements.txt
     && /tmp/venv-onnx/bin/python tools/python/onnx-fixtures/make_fixtures.py
Writes libs/model-runtimes/src/onnx/fixtures/{*.onnx,expected.json}; the data sets ship with scikit-learn."""
import json
from pathlib import Path

import numpy as np
import onnxmltools
import onnxruntime
from onnx import TensorProto, helper
from onnxmltools.convert.common.data_types import FloatTensorType as XgbFloatTensorType
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes, load_iris
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

OUT = Path(__file__).resolve().parents[3] / "libs/model-runtimes/src/onnx/fixtures"
HELD_OUT = 12


def iris_split():
    features, target = load_iris(return_X_y=True)
    species = np.array(["setosa", "versicolor", "virginica"])[target]
    return train_test_split(features.astype(np.float32), species, test_size=HELD_OUT, random_state=0, stratify=species)


def write_model(path: Path, model) -> None:
    """Writes the model's bytes the same on every run: the exporters list opsets in set order and may name the graph
    with a random uuid."""
    imports = sorted(model.opset_import, key=lambda opset: opset.domain)
    del model.opset_import[:]
    model.opset_import.extend(imports)
    model.graph.name = path.stem
    path.write_bytes(model.SerializeToString())


def onnxruntime_outputs(path: Path, rows: np.ndarray) -> dict:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [output.name for output in session.get_outputs()]
    return dict(zip(names, session.run(None, {session.get_inputs()[0].name: rows})))


def scikit_learn_pipeline(file: str, zipmap: bool) -> dict:
    """A scaler and a classifier with string classes. skl2onnx's default writes the probabilities through ZipMap (a
    sequence of maps); without it they are a plain tensor."""
    train_x, test_x, train_y, _ = iris_split()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1_000)).fit(train_x, train_y)
    path = OUT / file
    write_model(path, to_onnx(model, train_x[:1], target_opset=18, options={"zipmap": zipmap}))
    return {
        "file": path.name,
        "exporter": "skl2onnx",
        "inputs": {"X": test_x.tolist()},
        "classes": model.classes_.tolist(),
        "label": model.predict(test_x).tolist(),
        "probabilities": model.predict_proba(test_x).tolist(),
    }


def xgboost_classifier() -> dict:
    train_x, test_x, train_y, _ = iris_split()
    codes = {name: code for code, name in enumerate(sorted(set(train_y)))}
    model = XGBClassifier(n_estimators=20, max_depth=3, random_state=0).fit(train_x, [codes[name] for name in train_y])
    onnx_model = onnxmltools.convert_xgboost(model, initial_types=[("features", XgbFloatTensorType([None, 4]))], target_opset=15)
    with_missing = test_x.copy()
    with_missing[:, 1] = np.nan
    path = OUT / "xgboost-iris.onnx"
    write_model(path, onnx_model)
    return {
        "file": path.name,
        "exporter": "onnxmltools",
        "inputs": {"features": test_x.tolist()},
        "classes": [0, 1, 2],
        "label": model.predict(test_x).tolist(),
        "probabilities": model.predict_proba(test_x).tolist(),
        # XGBoost's missing value is NaN, which a JSON request can only send as null.
        "probabilitiesWithSecondFeatureMissing": model.predict_proba(with_missing).tolist(),
    }


def scikit_learn_regressor() -> dict:
    features, target = load_diabetes(return_X_y=True)
    train_x, test_x, train_y, _ = train_test_split(features.astype(np.float32), target, test_size=HELD_OUT, random_state=0)
    model = GradientBoostingRegressor(n_estimators=50, max_depth=3, random_state=0).fit(train_x, train_y)
    path = OUT / "sklearn-diabetes-gbr.onnx"
    write_model(path, to_onnx(model, train_x[:1], target_opset=18))
    return {
        "file": path.name,
        "exporter": "skl2onnx",
        "inputs": {"X": test_x.tolist()},
        "prediction": model.predict(test_x).tolist(),
        # Trees are summed in float32 by ONNX Runtime and in float64 by scikit-learn: both are recorded.
        "onnxruntimePrediction": onnxruntime_outputs(path, test_x)["variable"].reshape(-1).tolist(),
    }


def sequence_output() -> dict:
    """A model whose output is a sequence of tensors: a value onnxruntime-node cannot pass, refused at load."""
    graph = helper.make_graph(
        [helper.make_node("SequenceConstruct", ["x", "x"], ["pair"])],
        "pair",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 2])],
        [helper.make_tensor_sequence_value_info("pair", TensorProto.FLOAT, [None, 2])],
    )
    path = OUT / "sequence-output.onnx"
    write_model(path, helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=8))
    return {"file": path.name, "exporter": "onnx.helper"}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    models = [
        scikit_learn_pipeline("sklearn-iris-pipeline.onnx", zipmap=True),
        scikit_learn_pipeline("sklearn-iris-pipeline-tensors.onnx", zipmap=False),
        xgboost_classifier(),
        scikit_learn_regressor(),
        sequence_output(),
    ]
    expected = {"models": models}
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
