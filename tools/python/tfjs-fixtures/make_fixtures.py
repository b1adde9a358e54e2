"""Writes the TensorFlow.js models the serving runtimes are tested on, converted by the real tensorflowjs converter:
Layers models from Keras 2 (tf_keras) and Keras 3, and Graph models from TensorFlow SavedModels whose serving
signatures take `features` (a classifier answering `probabilities` and `label`, and a while loop answering `scaled`);
and what Keras or TensorFlow itself answers for held-out rows (within 1e-5 of Slipway's answers). Keras 3's model.json
is not what @tensorflow/tfjs 4.22 reads: the runtime translates it. Re-running writes the same bytes (the Graph
models' model.json with sorted keys).
Run: python3 -m venv /tmp/venv-tfjs && /tmp/venv-tfjs/bin/pip install -r tools/python/tfjs-fixtures/requirements.txt
     && TF_USE_LEGACY_KERAS=1 /tmp/venv-tfjs/bin/python tools/python/tfjs-fixtures/make_fixtures.py
Writes libs/model-runtimes/src/tfjs/fixtures/{keras2-mlp/,keras3-mlp/,graph-mlp/,graph-loop/,expected.json}."""
import json
import os
import tempfile
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


class GraphClassifier(tf.Module):
    """The same small classifier as a plain TensorFlow module, for a SavedModel with a named serving signature."""

    def __init__(self, rng: np.random.Generator):
        super().__init__()
        self.hidden_kernel = tf.Variable(rng.normal(scale=0.5, size=(4, 16)).astype(np.float32))
        self.hidden_bias = tf.Variable(np.zeros(16, np.float32))
        self.output_kernel = tf.Variable(rng.normal(scale=0.5, size=(16, 3)).astype(np.float32))
        self.output_bias = tf.Variable(np.zeros(3, np.float32))

    def logits(self, features: tf.Tensor) -> tf.Tensor:
        hidden = tf.nn.relu(features @ self.hidden_kernel + self.hidden_bias)
        return hidden @ self.output_kernel + self.output_bias

    # An int32 label: tfjs computes int64 tensors as int32 (its widest integer), so Slipway refuses an int64 output
    # (argmax's default) rather than answer other values than the signature declares.
    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32, name="features")])
    def __call__(self, features: tf.Tensor) -> dict:
        probabilities = tf.nn.softmax(self.logits(features))
        return {"probabilities": probabilities, "label": tf.argmax(probabilities, axis=1, output_type=tf.int32)}


class HalvingLoop(tf.Module):
    """A data-dependent while loop (which tfjs runs only with executeAsync): halves the rows until all are within ±1."""

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32, name="features")])
    def __call__(self, features: tf.Tensor) -> dict:
        scaled = tf.while_loop(lambda rows: tf.reduce_max(tf.abs(rows)) > 1.0, lambda rows: [rows / 2.0], [features])[0]
        return {"scaled": scaled}


def train_classifier(features: np.ndarray, classes: np.ndarray) -> GraphClassifier:
    """The classifier trained by plain gradient descent."""
    model = GraphClassifier(np.random.default_rng(1))
    for _ in range(300):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(classes, model.logits(features)))
        for variable, gradient in zip(model.trainable_variables, tape.gradient(loss, model.trainable_variables)):
            variable.assign_sub(0.5 * gradient)
    return model


def convert_saved_model(module: tf.Module, folder: str, held_out: np.ndarray) -> dict:
    """A module saved as a SavedModel, converted from it, and what its serving signature answers for the held-out rows."""
    with tempfile.TemporaryDirectory() as saved_model:
        tf.saved_model.save(module, saved_model, signatures=module.__call__)
        tensorflowjs.converters.convert_tf_saved_model(saved_model, str(OUT / folder), signature_def="serving_default")
        # What the SavedModel's serving signature itself answers, by the names it gives its tensors.
        predicted = tf.saved_model.load(saved_model).signatures["serving_default"](features=tf.constant(held_out))
    # The converter writes protobuf maps (node attributes, the signature's outputs) in an order that changes from run
    # to run; with sorted keys the file is the same every time, and means the same to tfjs.
    manifest = OUT / folder / "model.json"
    manifest.write_text(json.dumps(json.loads(manifest.read_text()), sort_keys=True))
    outputs = {name: predicted[name].numpy().tolist() for name in sorted(predicted)}
    return {"folder": folder, "tensorflow": tf.__version__, "inputs": {"features": held_out.tolist()}, **outputs}


def main() -> None:
    tf.keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    features = rng.normal(size=(300, 4)).astype(np.float32)
    classes = (features[:, 0] > 0).astype(int) + (features[:, 1] + features[:, 2] > 0).astype(int)
    models = [
        convert(keras2, "keras2-mlp", features, classes),
        convert(keras3, "keras3-mlp", features, classes),
        convert_saved_model(train_classifier(features[:288], classes[:288]), "graph-mlp", features[288:]),
        # Values up to about ±8, so that the loop runs a few times.
        convert_saved_model(HalvingLoop(), "graph-loop", features[288:] * 4),
    ]
    (OUT / "expected.json").write_text(json.dumps({"models": models}, indent=1) + "\n")


if __name__ == "__main__":
    main()
