import type * as tf from '@tensorflow/tfjs';

/** A tensor with the name it is stored under (tfjs-core's NamedTensor, not re-exported by @tensorflow/tfjs). */
export type NamedTensor = { name: string; tensor: tf.Tensor };

/**
 * Every weight of the model (trainable or not, such as batch normalisation's moving statistics) under its stored
 * name. The tensors are the model's own variables: clone them to keep a copy that training will not change.
 */
export function namedWeights(model: tf.LayersModel): NamedTensor[] {
  return model.weights.map((weight) => ({ name: weight.originalName, tensor: weight.read() }));
}

/**
 * Sets the model's weights from tensors named as namedWeights names them; the model copies them.
 * @throws Error (from tfjs) when a name or a shape does not fit the model.
 */
export function loadNamedWeights(model: tf.LayersModel, weights: readonly NamedTensor[]): void {
  model.loadWeights(Object.fromEntries(weights.map(({ name, tensor }) => [name, tensor])));
}
