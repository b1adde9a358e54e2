import { earlyStoppingSchema, type EarlyStopping } from '@slipway/contracts';
import { ModelSpecError } from '../errors/model-spec.error';
import { EarlyStoppingMonitor, nextEarlyStoppingProgress, stopsEarly, type EarlyStoppingProgress } from './early-stopping';

/** Feeds the figures of epochs 1, 2, … and returns the progress after each and the epoch training stops at. */
function follow(config: EarlyStopping, values: number[]): { progress: EarlyStoppingProgress[]; stoppedAt: number | undefined } {
  const progress: EarlyStoppingProgress[] = [];
  let current: EarlyStoppingProgress | undefined;
  for (const [index, value] of values.entries()) {
    current = nextEarlyStoppingProgress(config, current, index + 1, value).progress;
    progress.push(current);
    if (stopsEarly(config, current)) return { progress, stoppedAt: index + 1 };
  }
  return { progress, stoppedAt: undefined };
}

describe('early stopping progress', () => {
  const onLoss = earlyStoppingSchema.parse({ monitor: 'valLoss', patience: 2 });

  it('stops after `patience` epochs without a lower valLoss, remembering the best epoch', () => {
    const { progress, stoppedAt } = follow(onLoss, [1.0, 0.8, 0.6, 0.7, 0.65, 0.5]);
    expect(stoppedAt).toBe(5);
    expect(progress.at(-1)).toEqual({ bestEpoch: 3, bestValue: 0.6, wait: 2 });
  });

  it('starts waiting again after an improvement', () => {
    const { progress, stoppedAt } = follow(onLoss, [1.0, 1.1, 0.9, 0.95, 0.8, 0.85, 0.85]);
    expect(progress.map(({ wait }) => wait)).toEqual([0, 1, 0, 1, 0, 1, 2]);
    expect(stoppedAt).toBe(7);
  });

  it('counts only improvements larger than minDelta', () => {
    const config = earlyStoppingSchema.parse({ monitor: 'valLoss', patience: 2, minDelta: 0.05 });
    const { progress, stoppedAt } = follow(config, [1.0, 0.97, 0.96, 0.9]);
    expect(stoppedAt).toBe(3);
    expect(progress.at(-1)).toMatchObject({ bestEpoch: 1, bestValue: 1.0 });
  });

  it('wants valAccuracy higher', () => {
    const config = earlyStoppingSchema.parse({ monitor: 'valAccuracy', patience: 1 });
    const { progress, stoppedAt } = follow(config, [0.5, 0.7, 0.7]);
    expect(stoppedAt).toBe(3);
    expect(progress.at(-1)).toMatchObject({ bestEpoch: 2, bestValue: 0.7 });
  });

  it('never takes a figure that is not a number for an improvement, and replaces a best that is not one', () => {
    expect(follow(onLoss, [0.5, Number.NaN, Number.NaN]).stoppedAt).toBe(3);
    expect(follow(onLoss, [Number.NaN, 2, 3]).progress.at(-1)).toMatchObject({ bestEpoch: 2, wait: 1 });
  });
});

describe('EarlyStoppingMonitor.forTraining', () => {
  const config = earlyStoppingSchema.parse({});

  it('is absent without earlyStopping in the spec', () => {
    expect(EarlyStoppingMonitor.forTraining(undefined, 'classification', 0)).toBeUndefined();
  });

  it('needs a validation split, naming modelSpec.earlyStopping', () => {
    const attempt = () => EarlyStoppingMonitor.forTraining(config, 'classification', 0);
    expect(attempt).toThrow(ModelSpecError);
    expect(attempt).toThrow(/modelSpec\.earlyStopping .* no validation rows/);
    expect(attempt).toThrow(expect.objectContaining({ field: 'earlyStopping' }));
  });

  it('refuses to monitor the accuracy of a regressor', () => {
    const onAccuracy = earlyStoppingSchema.parse({ monitor: 'valAccuracy' });
    expect(() => EarlyStoppingMonitor.forTraining(onAccuracy, 'regression', 10)).toThrow(expect.objectContaining({ field: 'earlyStopping.monitor' }));
  });
});
