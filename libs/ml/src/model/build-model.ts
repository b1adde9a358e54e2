import type { LabelTransform, LayerSpec, NetworkSpec } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { checkParameterBudget } from './parameter-budget';

/** What the output layer gives: one probability per class, or the label's standardised value. */
export type ModelHead = { task: 'classification'; classCount: number } | { task: 'regression' };

/** Layer names are fixed (not tfjs's global counters) so the saved topology, and its digest, repeat. */
export const OUTPUT_LAYER_NAMES = { classification: 'probabilities', regression: 'prediction' } as const;

/** The head a model needs to learn this label. */
export function modelHeadFor(label: LabelTransform): ModelHead {
  return label.task === 'classification' ? { task: 'classification', classCount: label.classes.length } : { task: 'regression' };
}

/** Width of the model's output: one column per class, or one value. */
export function outputUnits(head: ModelHead): number {
  return head.task === 'classification' ? head.classCount : 1;
}

/**
 * Builds and compiles the model a spec declares: its hidden layers, then the head's output layer — a softmax over
 * the classes trained with categorical cross-entropy, or one linear unit trained with the mean squared error of the
 * standardised label. Kernels are initialised from `spec.seed` (one derived seed per layer), so the same spec starts
 * from the same weights. Dropout is left unseeded: tfjs reuses a seeded dropout mask on every step.
 * @throws ModelSpecError naming the field when the model would exceed MAX_PARAMETERS.
 */
export function buildModel(spec: NetworkSpec, inputWidth: number, head: ModelHead): tf.Sequential {
  const units = outputUnits(head);
  checkParameterBudget(spec, inputWidth, units);
  const classifier = head.task === 'classification';
  const model = tf.sequential({ name: classifier ? 'classifier' : 'regressor' });
  spec.layers.forEach((layer, index) => {
    model.add(hiddenLayer(layer, index, spec.seed, index === 0 ? [inputWidth] : undefined));
  });
  model.add(
    tf.layers.dense({
      name: OUTPUT_LAYER_NAMES[head.task],
      units,
      activation: classifier ? 'softmax' : 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed + spec.layers.length }),
    }),
  );
  model.compile(
    classifier
      ? { optimizer: optimizerFor(spec), loss: 'categoricalCrossentropy', metrics: ['accuracy'] }
      : { optimizer: optimizerFor(spec), loss: 'meanSquaredError' },
  );
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

function optimizerFor(spec: NetworkSpec): tf.Optimizer {
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
