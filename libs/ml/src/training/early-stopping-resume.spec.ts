import { networkSpecSchema, trainingCheckpointSchema, type ArtifactRef, type TrainedModel, type TrainingProgress } from '@slipway/contracts';
import { IRIS_TRAINING_SPEC, prepareIris } from '../testing/iris-fixture';
import { classificationOf } from '../testing/split-metrics';
import { useTrainingFixture } from '../testing/training-fixture';
import { trainModel, type TrainModelRequest } from './train-model';

const SPEC = networkSpecSchema.parse({ ...IRIS_TRAINING_SPEC, epochs: 200, earlyStopping: { monitor: 'valLoss', patience: 3 } });

/** Thrown from onEpoch to stop a training the way a killed process would: after the epoch's checkpoint. */
class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

// On the cpu backend training is deterministic, so a resumed run can be compared with an uninterrupted one exactly.
describe('early stopping across a crash (cpu backend)', () => {
  const iris = useTrainingFixture('cpu', prepareIris);
  let uninterrupted: TrainedModel;
  let stoppedAt: { atEpoch: number; bestEpoch: number };
  beforeAll(async () => {
    uninterrupted = await train();
    stoppedAt = uninterrupted.earlyStopped ?? { atEpoch: NaN, bestEpoch: NaN };
  }, 30_000);

  function train(overrides: Partial<TrainModelRequest> = {}): Promise<TrainedModel> {
    return trainModel({ store: iris.store, dataset: iris.dataset, modelSpec: SPEC, backendPreference: 'cpu', ...overrides });
  }

  /** Trains until epoch `crashAfter` is done and checkpointed, then resumes from that checkpoint. */
  async function crashAndResume(crashAfter: number): Promise<{ checkpoint: ArtifactRef; resumed: TrainedModel; resumedEpochs: number[] }> {
    let checkpoint: ArtifactRef | undefined;
    const crashing = train({
      onEpoch: (update) => {
        checkpoint = update.checkpoint;
        if (update.epoch === crashAfter) throw new SimulatedCrash(`killed after epoch ${crashAfter}`);
      },
    });
    await expect(crashing).rejects.toBeInstanceOf(SimulatedCrash);
    if (!checkpoint) throw new Error(`no checkpoint after epoch ${crashAfter}`);
    const resumedEpochs: number[] = [];
    const resumed = await train({ resumeFrom: checkpoint, onEpoch: (update: TrainingProgress) => resumedEpochs.push(update.epoch) });
    return { checkpoint, resumed, resumedEpochs };
  }

  it('stops before the epoch limit, `patience` epochs after the best one', () => {
    expect(stoppedAt.atEpoch).toBeLessThan(SPEC.epochs);
    expect(stoppedAt.atEpoch - stoppedAt.bestEpoch).toBe(3);
    expect(stoppedAt.bestEpoch).toBeGreaterThan(3);
  });

  it('resumed while waiting for a better epoch, stops at the same epoch with the very same model', async () => {
    const crashAfter = stoppedAt.bestEpoch + 1;
    const { checkpoint, resumed, resumedEpochs } = await crashAndResume(crashAfter);

    const saved = await iris.store.getJson(checkpoint.digest, trainingCheckpointSchema);
    expect(saved.earlyStopping).toMatchObject({ bestEpoch: stoppedAt.bestEpoch, wait: 1, bestValue: uninterrupted.history[stoppedAt.bestEpoch - 1].valLoss });
    expect(resumedEpochs).toEqual(Array.from({ length: stoppedAt.atEpoch - crashAfter }, (_, index) => crashAfter + 1 + index));
    expect(resumed.earlyStopped).toEqual(stoppedAt);
    // The best weights came through the checkpoint bit for bit.
    expect(resumed.model.digest).toBe(uninterrupted.model.digest);
    expect(resumed.metrics).toEqual(uninterrupted.metrics);
  });

  it('resumed before the best epoch, stops at the same epoch with the same weights', async () => {
    const crashAfter = stoppedAt.bestEpoch - 2;
    const { resumed } = await crashAndResume(crashAfter);
    expect(resumed.earlyStopped).toEqual(stoppedAt);
    expect(resumed.history.map((epoch) => epoch.epoch)).toEqual(uninterrupted.history.map((epoch) => epoch.epoch));
    const figures = (history: TrainedModel['history']) => history.map(({ durationMs: _durationMs, ...epoch }) => epoch);
    expect(figures(resumed.history.slice(0, crashAfter))).toEqual(figures(uninterrupted.history.slice(0, crashAfter)));
    // Adam's bias correction is recomputed from the restored step count rather than carried over, so later epochs
    // agree to float32 rounding rather than to the bit.
    const [resumedTest, uninterruptedTest] = [classificationOf(resumed.metrics.test), classificationOf(uninterrupted.metrics.test)];
    expect(resumedTest.loss).toBeCloseTo(uninterruptedTest.loss, 5);
    expect(resumedTest.confusionMatrix).toEqual(uninterruptedTest.confusionMatrix);
  });

  it('resumed after the stopping epoch was checkpointed, trains no more and saves the same model', async () => {
    const { resumed, resumedEpochs } = await crashAndResume(stoppedAt.atEpoch);
    expect(resumedEpochs).toEqual([]);
    expect(resumed.earlyStopped).toEqual(stoppedAt);
    expect(resumed.model.digest).toBe(uninterrupted.model.digest);
  });

  it('refuses to resume a checkpoint made without early stopping', async () => {
    let checkpoint: ArtifactRef | undefined;
    const withoutEarlyStopping = { ...SPEC, earlyStopping: undefined };
    const crashing = train({
      modelSpec: withoutEarlyStopping,
      onEpoch: (update) => {
        checkpoint = update.checkpoint;
        throw new SimulatedCrash('killed after epoch 1');
      },
    });
    await expect(crashing).rejects.toBeInstanceOf(SimulatedCrash);
    await expect(train({ resumeFrom: checkpoint })).rejects.toMatchObject({ name: 'CheckpointError', message: expect.stringContaining('made without early stopping') });
  });
});
