import { modelSpecSchema, type ModelSpecInput } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { initTensorflow } from '../backend/init-tensorflow';
import { buildClassifier, OUTPUT_LAYER_NAME } from './build-classifier';

const spec = (input: Partial<ModelSpecInput> = {}) =>
  modelSpecSchema.parse({
    layers: [
      { type: 'dense', units: 8, activation: 'tanh' },
      { type: 'batchNormalization' },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 4 },
    ],
    optimizer: 'rmsprop',
    learningRate: 0.003,
    ...input,
  });

function initialWeights(model: tf.LayersModel): number[] {
  return model.getWeights().flatMap((weight) => Array.from(weight.dataSync()));
}

describe('buildClassifier', () => {
  beforeAll(() => initTensorflow('wasm'));

  it('stacks the spec layers and a softmax output of classCount', () => {
    const model = buildClassifier(spec(), 5, 3);
    try {
      expect(model.layers.map((layer) => layer.getClassName())).toEqual(['Dense', 'BatchNormalization', 'Dropout', 'Dense', 'Dense']);
      expect(model.inputs[0].shape).toEqual([null, 5]);
      expect(model.outputs[0].shape).toEqual([null, 3]);
      const output = model.getLayer(OUTPUT_LAYER_NAME).getConfig();
      expect(output).toMatchObject({ units: 3, activation: 'softmax' });
      expect(model.getLayer('hidden_0_dense').getConfig()).toMatchObject({ units: 8, activation: 'tanh' });
    } finally {
      model.dispose();
    }
  });

  it('compiles with the spec optimizer and learning rate, cross-entropy loss and accuracy', () => {
    const model = buildClassifier(spec(), 5, 3);
    try {
      expect(model.optimizer.getClassName()).toBe('RMSProp');
      expect(model.optimizer.getConfig()).toMatchObject({ learningRate: 0.003 });
      expect(model.loss).toBe('categoricalCrossentropy');
      expect(model.metricsNames).toEqual(['loss', 'acc']);
    } finally {
      model.dispose();
    }
  });

  it('starts from the same weights for the same seed and different ones for another', () => {
    const models = [buildClassifier(spec(), 5, 3), buildClassifier(spec(), 5, 3), buildClassifier(spec({ seed: 43 }), 5, 3)];
    try {
      const [first, again, other] = models.map(initialWeights);
      expect(again).toEqual(first);
      expect(other).not.toEqual(first);
    } finally {
      models.forEach((model) => model.dispose());
    }
  });
});
