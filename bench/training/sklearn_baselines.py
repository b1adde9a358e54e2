"""scikit-learn baselines on the exact splits Slipway prepared: a RandomForest (the quality to match) and, when the
manifest names one, an MLP of the same architecture (the speed to compare with). Reads the encoded splits
tabular.bench.ts and trees-parity.bench.ts write and prints one JSON object. Run with the bench venv (tools/python/setup-venv.sh bench)."""
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor


def load(folder: Path, manifest: dict, split: str):
    rows = manifest["rows"][split]
    features = np.fromfile(folder / f"{split}.features.f32", dtype="<f4").reshape(rows, manifest["width"])
    labels = np.fromfile(folder / f"{split}.labels.bin", dtype="<i4" if manifest["task"] == "classification" else "<f4")
    return features, labels


def scores(task: str, truth, predicted) -> dict:
    if task == "classification":
        return {
            "accuracy": float(accuracy_score(truth, predicted)),
            "macroF1": float(f1_score(truth, predicted, average="macro", zero_division=0)),
            "balancedAccuracy": float(balanced_accuracy_score(truth, predicted)),
        }
    # R² does not change under the affine standardisation of the label, so it is the label's own.
    return {"r2": float(r2_score(truth, predicted))}


def main() -> None:
    folder = Path(sys.argv[1])
    manifest = json.loads((folder / "manifest.json").read_text())
    task = manifest["task"]
    train_x, train_y = load(folder, manifest, "train")
    test_x, test_y = load(folder, manifest, "test")

    forest = (RandomForestClassifier if task == "classification" else RandomForestRegressor)(n_estimators=300, random_state=0, n_jobs=1)
    started = time.perf_counter()
    forest.fit(train_x, train_y)
    forest_seconds = time.perf_counter() - started

    answer = {"randomForest": {**scores(task, test_y, forest.predict(test_x)), "fitSeconds": forest_seconds}}
    # The MLP is trained only when the manifest names one (tabular.bench.ts does; trees-parity.bench.ts does not).
    spec = manifest.get("mlp")
    if spec is not None:
        mlp_type = MLPClassifier if task == "classification" else MLPRegressor
        # Exactly `epochs` passes over the data: no early stop, no tolerance-based stop.
        mlp = mlp_type(
            hidden_layer_sizes=tuple(spec["hidden"]),
            activation="relu",
            solver="adam",
            learning_rate_init=spec["learningRate"],
            batch_size=spec["batchSize"],
            max_iter=spec["epochs"],
            n_iter_no_change=spec["epochs"] + 1,
            tol=0.0,
            shuffle=True,
            random_state=0,
        )
        started = time.perf_counter()
        mlp.fit(train_x, train_y)
        mlp_seconds = time.perf_counter() - started
        answer["mlp"] = {
            **scores(task, test_y, mlp.predict(test_x)),
            "epochs": mlp.n_iter_,
            "samplesPerSecond": len(train_x) * mlp.n_iter_ / mlp_seconds,
        }
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
