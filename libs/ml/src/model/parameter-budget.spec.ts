import { networkSpecSchema, type NetworkSpecInput } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { initTensorflow } from '../backend/init-tensorflow';
import { ModelSpecError } from '../errors/model-spec.error';
import { buildModel } from './build-model';
import { checkParameterBudget, MAX_PARAMETERS } from './parameter-budget';

const spec = (layers: NetworkSpecInput['layers']) => networkSpecSchema.parse({ layers });

describe('checkParameterBudget', () => {
  beforeAll(() => initTensorflow('wasm'));

  it('counts what tfjs allocates for the same spec', () => {
    const mixed = spec([{ type: 'dense', units: 7 }, { type: 'batchNormalization' }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 5 }]);
    const model = buildModel(mixed, 4, { task: 'classification', classCount: 3 });
    try {
      expect(checkParameterBudget(mixed, 4, 3)).toBe(model.countParams());
    } finally {
      model.dispose();
    }
  });

  it('rejects two maximal dense layers in a row, which the schema allows, before allocating anything', () => {
    const wide = spec([{ type: 'dense', units: 65_536 }, { type: 'dense', units: 65_536 }]);
    const before = tf.memory().numTensors;
    expect(() => buildModel(wide, 4, { task: 'classification', classCount: 3 })).toThrow(ModelSpecError);
    expect(() => buildModel(wide, 4, { task: 'classification', classCount: 3 })).toThrow(expect.objectContaining({ field: 'layers.1.units' }));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('blames the last dense layer when the output layer crosses the limit', () => {
    // The hidden layer alone is exactly at the limit: (4095 + 1) × 65,536 = 2^28.
    const atLimit = spec([{ type: 'dense', units: 65_536 }]);
    expect(4096 * 65_536).toBe(MAX_PARAMETERS);
    expect(() => checkParameterBudget(atLimit, 4095, 3)).toThrow(
      expect.objectContaining({ field: 'layers.0.units' }),
    );
  });
});
