import type { LayerSpec, ModelSpec } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { checkParameterBudget } from './parameter-budget';

/** Layer names are fixed (not tfjs's global counters) so the saved topology, and its digest, repeat. */
export const OUTPUT_LAYER_NAME = 'probabilities';

/**
 * Builds and compiles the classifier a spec declares: its hidden layers, then a softmax output of `classCount`.
 * Kernels are initialised from `spec.seed` (one derived seed per layer), so the same spec starts from the same
 * weights. Dropout is left unseeded: tfjs reuses a seeded dropout mask on every step.
 * @throws ModelSpecError naming the field when the model would exceed MAX_PARAMETERS.
 */
export function buildClassifier(spec: ModelSpec, inputWidth: number, classCount: number): tf.Sequential {
  checkParameterBudget(spec, inputWidth, classCount);
  const model = tf.sequential({ name: 'classifier' });
  spec.layers.forEach((layer, index) => {
    model.add(hiddenLayer(layer, index, spec.seed, index === 0 ? [inputWidth] : undefined));
  });
  model.add(
    tf.layers.dense({
      name: OUTPUT_LAYER_NAME,
      units: classCount,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed + spec.layers.length }),
    }),
  );
  model.compile({
    optimizer: optimizerFor(spec),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

function hiddenLayer(layer: LayerSpec, index: number, seed: number, inputShape: number[] | undefined): tf.layers.Layer {
  const name = `hidden_${index}_${layer.type}`;
  const input = inputShape ? { inputShape } : {};
  switch (layer.type) {
    case 'dense':
      return tf.layers.dense({
        ...input,
        name,
        units: layer.units,
        activation: layer.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + index }),
      });
    case 'dropout':
      return tf.layers.dropout({ ...input, name, rate: layer.rate });
    case 'batchNormalization':
      return tf.layers.batchNormalization({ ...input, name });
  }
}

function optimizerFor(spec: ModelSpec): tf.Optimizer {
  switch (spec.optimizer) {
    case 'adam':
      return tf.train.adam(spec.learningRate);
    case 'sgd':
      return tf.train.sgd(spec.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate);
    case 'adagrad':
      return tf.train.adagrad(spec.learningRate);
  }
}
