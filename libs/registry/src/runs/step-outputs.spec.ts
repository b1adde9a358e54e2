import { preparedDatasetRefFixture, trainedModelFixture } from '../fixtures/registry-fixtures';
import { outputDigest, outputMetrics, STEP_OUTPUT_SCHEMAS } from './step-outputs';

describe('outputDigest', () => {
  const trained = trainedModelFixture({ label: 'a', testAccuracy: 0.9 });
  const evaluation = STEP_OUTPUT_SCHEMAS.evaluate.parse({ best: 'train[1]', metric: 'testAccuracy', value: 0.9, scores: { 'train[1]': 0.9 }, model: trained });

  it('gives an evaluation the digest of the model it picked, so what reads it caches as if it read that training', () => {
    expect(outputDigest({ kind: 'evaluate', output: evaluation })).toBe(outputDigest({ kind: 'train', output: trained }));
    expect(outputDigest({ kind: 'train', output: trainedModelFixture({ label: 'b', testAccuracy: 0.9 }) })).not.toBe(outputDigest({ kind: 'train', output: trained }));
  });

  it('follows the prepared content, not where the source was read from', () => {
    const prepared = { ...preparedDatasetRefFixture('iris.csv'), reused: false };
    expect(outputDigest({ kind: 'prepare', output: { ...prepared, reused: true } })).toBe(outputDigest({ kind: 'prepare', output: prepared }));
    expect(outputDigest({ kind: 'prepare', output: { ...preparedDatasetRefFixture('wine.csv'), reused: false } })).not.toBe(outputDigest({ kind: 'prepare', output: prepared }));
  });

  it('names a registered version by model and number', () => {
    const registered = { modelName: 'iris', version: 3, metrics: trained.metrics, trainStep: 'train' };
    expect(outputDigest({ kind: 'register', output: registered })).not.toBe(outputDigest({ kind: 'register', output: { ...registered, version: 4 } }));
  });
});

describe('outputMetrics', () => {
  it('reads the test metrics of the model a training, evaluation or registration describes, and none of a prepared data set', () => {
    const trained = trainedModelFixture({ label: 'a', testAccuracy: 0.9 });
    const evaluation = STEP_OUTPUT_SCHEMAS.evaluate.parse({ best: 'train', metric: 'testAccuracy', value: 0.9, scores: {}, model: trained });
    expect(outputMetrics({ kind: 'train', output: trained })).toEqual(trained.metrics);
    expect(outputMetrics({ kind: 'evaluate', output: evaluation })).toEqual(trained.metrics);
    expect(outputMetrics({ kind: 'register', output: { modelName: 'iris', version: 1, metrics: trained.metrics, trainStep: 'train' } })).toEqual(trained.metrics);
    expect(outputMetrics({ kind: 'prepare', output: { ...preparedDatasetRefFixture(), reused: false } })).toBeNull();
  });
});
