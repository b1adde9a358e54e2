import {
  MEDIA_TYPES,
  networkSpecSchema,
  trainingCheckpointSchema,
  type ArtifactRef,
  type NetworkSpecInput,
  type TrainingProgress,
} from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { buildModel, type ModelHead } from '../model/build-model';
import { IRIS_TRAINING_SPEC, prepareIris } from '../testing/iris-fixture';
import { classificationOf } from '../testing/split-metrics';
import { useTrainingFixture } from '../testing/training-fixture';
import { trainModel, type TrainModelRequest } from './train-model';
import { restoreCheckpoint, saveCheckpoint } from './training-checkpoint';

const EPOCHS = 12;
const SPEC: NetworkSpecInput = { ...IRIS_TRAINING_SPEC, epochs: EPOCHS };
const THREE_CLASSES: ModelHead = { task: 'classification', classCount: 3 };

/** Thrown from onEpoch to stop a training the way a killed process would: after a checkpoint, mid-run. */
class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

describe('training checkpoints', () => {
  const iris = useTrainingFixture('wasm', prepareIris);

  const train = (overrides: Partial<TrainModelRequest> = {}) =>
    trainModel({ store: iris.store, dataset: iris.dataset, modelSpec: networkSpecSchema.parse(SPEC), backendPreference: 'wasm', ...overrides });

  /** Trains until `crashAfter` epochs are done, returning the progress reported so far. */
  async function trainUntilCrash(crashAfter: number, overrides: Partial<TrainModelRequest> = {}): Promise<TrainingProgress[]> {
    const progress: TrainingProgress[] = [];
    const attempt = train({
      ...overrides,
      onEpoch: (update) => {
        progress.push(update);
        if (update.epoch === crashAfter) throw new SimulatedCrash(`stopped after epoch ${crashAfter}`);
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(SimulatedCrash);
    return progress;
  }

  it('resumes an interrupted training from its last checkpoint and ends like an uninterrupted one', async () => {
    const uninterrupted = await train();
    const crashAfter = 7;
    const beforeCrash = await trainUntilCrash(crashAfter);
    const checkpoint = beforeCrash[beforeCrash.length - 1].checkpoint as ArtifactRef;
    expect(checkpoint.mediaType).toBe(MEDIA_TYPES.trainingCheckpoint);
    const saved = await iris.store.getJson(checkpoint.digest, trainingCheckpointSchema);
    expect(saved.epoch).toBe(crashAfter);

    const afterCrash: TrainingProgress[] = [];
    const resumed = await train({ resumeFrom: checkpoint, onEpoch: (update) => afterCrash.push(update) });

    // Only the epochs after the checkpoint ran again, and the history is whole.
    expect(afterCrash.map((update) => update.epoch)).toEqual(Array.from({ length: EPOCHS - crashAfter }, (_, index) => crashAfter + 1 + index));
    expect(resumed.history.map((epoch) => epoch.epoch)).toEqual(uninterrupted.history.map((epoch) => epoch.epoch));
    expect(resumed.history.slice(0, crashAfter)).toEqual(saved.history);

    // The first resumed epoch continues the curve (as the uninterrupted run's same epoch does) rather than restarting it.
    const firstResumedLoss = resumed.history[crashAfter].loss;
    expect(firstResumedLoss).toBeCloseTo(uninterrupted.history[crashAfter].loss, 3);
    expect(firstResumedLoss).toBeLessThan(uninterrupted.history[0].loss / 2);
    expect(classificationOf(resumed.metrics.test).accuracy).toBeCloseTo(classificationOf(uninterrupted.metrics.test).accuracy, 1);
    // Training time spans both parts: it covers every recorded epoch, not only the resumed ones.
    expect(resumed.trainingDurationMs).toBeGreaterThanOrEqual(resumed.history.reduce((sum, epoch) => sum + epoch.durationMs, 0));
  }, 20_000);

  it('saves a checkpoint every N epochs and after the last one; progress carries the latest', async () => {
    const progress: TrainingProgress[] = [];
    await train({ modelSpec: networkSpecSchema.parse({ ...SPEC, epochs: 7 }), checkpointEvery: 3, onEpoch: (update) => progress.push(update) });
    const epochsOfCheckpoints = await Promise.all(
      progress.map(async (update) => update.checkpoint && (await iris.store.getJson(update.checkpoint.digest, trainingCheckpointSchema)).epoch),
    );
    expect(epochsOfCheckpoints).toEqual([undefined, undefined, 3, 3, 3, 6, 7]);
  });

  it('round-trips the optimizer state: restored Adam moments and iteration count equal the saved ones', async () => {
    const spec = networkSpecSchema.parse(SPEC);
    const x = tf.randomUniform([32, 4], 0, 1, 'float32', 7);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, index) => index % 3), 'int32'), 3).toFloat();
    const trained = buildModel(spec, 4, THREE_CLASSES);
    await trained.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    const history = [1, 2].map((epoch) => ({ epoch, loss: 1, accuracy: 0.5, durationMs: 1 }));
    const state = { epoch: 2, epochs: spec.epochs, datasetDigest: iris.dataset.dataset.digest, history, trainingDurationMs: 0 };
    const ref = await saveCheckpoint(iris.store, trained, state);

    const fresh = buildModel(spec, 4, THREE_CLASSES);
    await restoreCheckpoint(iris.store, ref.digest, fresh, { ...state, earlyStopping: false });

    const [before, after] = [await trained.optimizer.getWeights(), await fresh.optimizer.getWeights()];
    expect(after.map((weight) => weight.tensor.shape)).toEqual(before.map((weight) => weight.tensor.shape));
    expect(before.length).toBeGreaterThan(1); // the iteration count plus the moments of every trainable weight
    for (const [index, weight] of before.entries()) {
      expect(Array.from(await after[index].tensor.data())).toEqual(Array.from(await weight.tensor.data()));
    }
    for (const [index, weight] of trained.weights.entries()) {
      expect(Array.from(await fresh.weights[index].read().data())).toEqual(Array.from(await weight.read().data()));
    }
    // Both continue identically from here.
    const next = await trained.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    const nextFresh = await fresh.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    expect(nextFresh.history.loss[0]).toBeCloseTo(next.history.loss[0] as number, 5);
    tf.dispose([x, y, ...before.concat(after).filter(({ tensor }) => !(tensor instanceof tf.Variable)).map(({ tensor }) => tensor)]);
    trained.dispose();
    fresh.dispose();
  });

  it('refuses a checkpoint of another training, naming the checkpoint', async () => {
    const progress = await trainUntilCrash(2);
    const checkpoint = progress[1].checkpoint as ArtifactRef;
    const otherEpochs = train({ modelSpec: networkSpecSchema.parse({ ...SPEC, epochs: 30 }), resumeFrom: checkpoint });
    await expect(otherEpochs).rejects.toMatchObject({ name: 'CheckpointError', digest: checkpoint.digest });
  });
});

