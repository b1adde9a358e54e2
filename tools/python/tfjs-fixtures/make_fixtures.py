"""Writes the TensorFlow.js Layers models the serving runtime is tested on, converted by the real tensorflowjs
converter from Keras 2 (tf_keras) and Keras 3 models, and what Keras itself predicts for held-out rows (within 1e-5
of Slipway's answers). Keras 3's model.json is not what @tensorflow/tfjs 4.22 reads: the runtime translates it.
Run: python3 -m venv /tmp/venv-tfjs && /tmp/venv-tfjs/bin/pip install -r tools/python/tfjs-fixtures/requirements.txt
     && TF_USE_LEGACY_KERAS=1 /tmp/venv-tfjs/bin/python tools/python/tfjs-fixtures/make_fixtures.py
Writes libs/model-runtimes/src/tfjs/fixtures/{keras2-mlp/,keras3-mlp/,expected.json}."""
import json
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tensorflowjs  # noqa: E402
import keras as keras3  # noqa: E402
import tf_keras as keras2  # noqa: E402

OUT = Path(__file__).resolve().parents[3] / "libs/model-runtimes/src/tfjs/fixtures"


def convert(keras, folder: str, features: np.ndarray, classes: np.ndarray) -> dict:
    """The same small classifier in one Keras, trained, converted, and its own predictions for the held-out rows."""
    model = keras.Sequential([
        keras.Input((4,), name="features"),
        keras.layers.Dense(16, activation="relu", name="hidden"),
        keras.layers.Dense(3, activation="softmax", name="probabilities"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(features[:288], classes[:288], epochs=20, verbose=0)
    held_out = features[288:]
    tensorflowjs.converters.save_keras_model(model, str(OUT / folder))
    return {"folder": folder, "keras": keras.__version__, "inputs": {"features": held_out.tolist()}, "probabilities": model.predict(held_out, verbose=0).tolist()}


def main() -> None:
    tf.keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    features = rng.normal(size=(300, 4)).astype(np.float32)
    classes = (features[:, 0] > 0).astype(int) + (features[:, 1] + features[:, 2] > 0).astype(int)
    models = [convert(keras2, "keras2-mlp", features, classes), convert(keras3, "keras3-mlp", features, classes)]
    (OUT / "expected.json").write_text(json.dumps({"models": models}, indent=1) + "\n")


if __name__ == "__main__":
    main()
