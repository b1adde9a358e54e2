import { networkSpecSchema, type NetworkSpecInput } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { initTensorflow } from '../backend/init-tensorflow';
import { buildModel, modelHeadFor, OUTPUT_LAYER_NAMES, type ModelHead } from './build-model';

const spec = (input: Partial<NetworkSpecInput> = {}) =>
  networkSpecSchema.parse({
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

const CLASSES: ModelHead = { task: 'classification', classCount: 3 };
const REGRESSION: ModelHead = { task: 'regression' };

describe('buildModel', () => {
  beforeAll(() => initTensorflow('wasm'));

  it('stacks the spec layers and a softmax output of classCount', () => {
    const model = buildModel(spec(), 5, CLASSES);
    try {
      expect(model.layers.map((layer) => layer.getClassName())).toEqual(['Dense', 'BatchNormalization', 'Dropout', 'Dense', 'Dense']);
      expect(model.inputs[0].shape).toEqual([null, 5]);
      expect(model.outputs[0].shape).toEqual([null, 3]);
      const output = model.getLayer(OUTPUT_LAYER_NAMES.classification).getConfig();
      expect(output).toMatchObject({ units: 3, activation: 'softmax' });
      expect(model.getLayer('hidden_0_dense').getConfig()).toMatchObject({ units: 8, activation: 'tanh' });
    } finally {
      model.dispose();
    }
  });

  it('compiles with the spec optimizer and learning rate, cross-entropy loss and accuracy', () => {
    const model = buildModel(spec(), 5, CLASSES);
    try {
      expect(model.optimizer.getClassName()).toBe('RMSProp');
      expect(model.optimizer.getConfig()).toMatchObject({ learningRate: 0.003 });
      expect(model.loss).toBe('categoricalCrossentropy');
      expect(model.metricsNames).toEqual(['loss', 'acc']);
    } finally {
      model.dispose();
    }
  });

  it('ends a regressor in one linear unit trained on the mean squared error, with no accuracy', () => {
    const model = buildModel(spec(), 5, REGRESSION);
    try {
      expect(model.outputs[0].shape).toEqual([null, 1]);
      expect(model.getLayer(OUTPUT_LAYER_NAMES.regression).getConfig()).toMatchObject({ units: 1, activation: 'linear' });
      expect(model.loss).toBe('meanSquaredError');
      expect(model.metricsNames).toEqual(['loss']);
    } finally {
      model.dispose();
    }
  });

  it('reads the head from the label: one output per class, or one value', () => {
    expect(modelHeadFor({ task: 'classification', name: 'species', classes: ['a', 'b', 'c', 'd'] })).toEqual({ task: 'classification', classCount: 4 });
    const statistics = { count: 3, min: 0, max: 2, mean: 1, std: 1, quantiles: [], missing: 0 };
    expect(modelHeadFor({ task: 'regression', name: 'price', mean: 1, scale: 1, statistics })).toEqual(REGRESSION);
  });

  it('starts from the same weights for the same seed and different ones for another', () => {
    const models = [buildModel(spec(), 5, CLASSES), buildModel(spec(), 5, CLASSES), buildModel(spec({ seed: 43 }), 5, CLASSES)];
    try {
      const [first, again, other] = models.map(initialWeights);
      expect(again).toEqual(first);
      expect(other).not.toEqual(first);
    } finally {
      models.forEach((model) => model.dispose());
    }
  });
});
