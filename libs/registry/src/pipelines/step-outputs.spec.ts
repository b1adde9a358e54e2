import { preparedDatasetRefFixture, trainedModelFixture } from '../fixtures/registry-fixtures';
import { outputDigest, outputMetrics } from './step-outputs';

describe('outputDigest', () => {
  const trained = trainedModelFixture({ label: 'a', testAccuracy: 0.9 });
  const evaluation = { best: 'train[1]', metric: 'testAccuracy', value: 0.9, scores: { 'train[1]': 0.9 }, model: trained };

  it('gives an evaluation the digest of the model it picked, so what reads it caches as if it read that training', () => {
    expect(outputDigest('evaluate', evaluation)).toBe(outputDigest('train', trained));
    expect(outputDigest('train', trainedModelFixture({ label: 'b', testAccuracy: 0.9 }))).not.toBe(outputDigest('train', trained));
  });

  it('follows the prepared content, not where the source was read from', () => {
    const prepared = { ...preparedDatasetRefFixture('iris.csv'), reused: false };
    expect(outputDigest('prepare', { ...prepared, reused: true })).toBe(outputDigest('prepare', prepared));
    expect(outputDigest('prepare', { ...preparedDatasetRefFixture('wine.csv'), reused: false })).not.toBe(outputDigest('prepare', prepared));
  });

  it('names a registered version by model and number', () => {
    const registered = { modelName: 'iris', version: 3, metrics: trained.metrics, trainStep: 'train' };
    expect(outputDigest('register', registered)).not.toBe(outputDigest('register', { ...registered, version: 4 }));
  });
});

describe('outputMetrics', () => {
  it('reads the test metrics of the model a training, evaluation or registration describes, and none of a prepared data set', () => {
    const trained = trainedModelFixture({ label: 'a', testAccuracy: 0.9 });
    expect(outputMetrics('train', trained)).toEqual(trained.metrics);
    expect(outputMetrics('evaluate', { best: 'train', metric: 'testAccuracy', value: 0.9, scores: {}, model: trained })).toEqual(trained.metrics);
    expect(outputMetrics('register', { modelName: 'iris', version: 1, metrics: trained.metrics, trainStep: 'train' })).toEqual(trained.metrics);
    expect(outputMetrics('prepare', { ...preparedDatasetRefFixture(), reused: false })).toBeNull();
  });
});
