import * as tf from '@tensorflow/tfjs';
import { initTensorflow } from '../backend/init-tensorflow';
import { FIXTURE_CLASSES, FIXTURE_WIDTH, fixtureFeatures, fixtureModel } from '../testing/model-fixture';
import { predictProbabilities, predictValues, toLabelUnits } from './predict';

describe('predictProbabilities', () => {
  beforeAll(() => initTensorflow('wasm'));

  it('returns one probability row per input row, each summing to 1', () => {
    const model = fixtureModel();
    try {
      const probabilities = predictProbabilities(model, fixtureFeatures(7), 7, FIXTURE_WIDTH);
      expect(probabilities).toBeInstanceOf(Float32Array);
      expect(probabilities).toHaveLength(7 * FIXTURE_CLASSES);
      for (let row = 0; row < 7; row += 1) {
        const sum = probabilities.slice(row * FIXTURE_CLASSES, (row + 1) * FIXTURE_CLASSES).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 5);
      }
    } finally {
      model.dispose();
    }
  });

  it.each([1, 30, 64, 100])('gives %i rows the probabilities tfjs predict() gives them row by row', (rows) => {
    const model = fixtureModel();
    try {
      const features = fixtureFeatures(rows);
      const batched = predictProbabilities(model, features, rows, FIXTURE_WIDTH);
      for (let row = 0; row < rows; row += 1) {
        const alone = tf.tidy(() => model.predict(tf.tensor2d(features.slice(row * FIXTURE_WIDTH, (row + 1) * FIXTURE_WIDTH), [1, FIXTURE_WIDTH])) as tf.Tensor);
        const expected = Array.from(alone.dataSync());
        alone.dispose();
        Array.from(batched.slice(row * FIXTURE_CLASSES, (row + 1) * FIXTURE_CLASSES)).forEach((value, i) => expect(value).toBeCloseTo(expected[i] ?? NaN, 5));
      }
    } finally {
      model.dispose();
    }
  });

  it('leaks no tensors', () => {
    const model = fixtureModel();
    try {
      const baseline = tf.memory().numTensors;
      for (let call = 0; call < 5; call += 1) predictProbabilities(model, fixtureFeatures(3), 3, FIXTURE_WIDTH);
      expect(tf.memory().numTensors).toBe(baseline);
    } finally {
      model.dispose();
    }
  });

  it('rejects features whose length is not rowCount × width', () => {
    const model = fixtureModel();
    try {
      expect(() => predictProbabilities(model, fixtureFeatures(2), 3, FIXTURE_WIDTH)).toThrow(RangeError);
    } finally {
      model.dispose();
    }
  });
});

describe('predictValues', () => {
  beforeAll(() => initTensorflow('wasm'));
  const label = { mean: 250, scale: 40 };

  it("turns a regressor's standardised output into one value per row in the label's units", () => {
    const model = fixtureModel(5, { task: 'regression' });
    try {
      const features = fixtureFeatures(6);
      const raw = tf.tidy(() => Array.from((model.predict(tf.tensor2d(features, [6, FIXTURE_WIDTH])) as tf.Tensor).dataSync()));
      const values = predictValues(model, features, 6, FIXTURE_WIDTH, label);
      expect(values).toBeInstanceOf(Float32Array);
      expect(values).toHaveLength(6);
      Array.from(values).forEach((value, row) => expect(value).toBeCloseTo((raw[row] ?? NaN) * 40 + 250, 3));
      expect(new Set(values).size).toBe(6);
    } finally {
      model.dispose();
    }
  });

  it('leaks no tensors and rejects features whose length is not rowCount × width', () => {
    const model = fixtureModel(5, { task: 'regression' });
    try {
      const baseline = tf.memory().numTensors;
      predictValues(model, fixtureFeatures(3), 3, FIXTURE_WIDTH, label);
      expect(tf.memory().numTensors).toBe(baseline);
      expect(() => predictValues(model, fixtureFeatures(2), 3, FIXTURE_WIDTH, label)).toThrow(RangeError);
    } finally {
      model.dispose();
    }
  });
});

describe('toLabelUnits', () => {
  it('undoes the standardisation: value × scale + mean', () => {
    expect(Array.from(toLabelUnits(Float32Array.from([0, 1, -2.5]), { mean: 10, scale: 4 }))).toEqual([10, 14, 0]);
  });
});
