import { forestSpecSchema, MEDIA_TYPES, trainedModelSchema, type TrainingProgress } from '@slipway/contracts';
import seedrandom from 'seedrandom';
import { getPreparedDataset } from '../dataset/prepared-dataset-store';
import { prepareIris } from '../testing/iris-fixture';
import { classificationOf, regressionOf } from '../testing/split-metrics';
import { gaussian, putSyntheticDataset, splitInOrder } from '../testing/synthetic-dataset';
import { useTrainingFixture } from '../testing/training-fixture';
import { trainModel } from './train-model';

describe('trainModel with a random forest', () => {
  const iris = useTrainingFixture('wasm', prepareIris);
  const train = (spec: object, onEpoch?: (progress: TrainingProgress) => void) =>
    trainModel({ store: iris.store, dataset: iris.dataset, modelSpec: forestSpecSchema.parse({ kind: 'randomForest', ...spec }), backendPreference: 'wasm', onEpoch });

  it('learns iris, stores an ONNX model beside its transform and reports ten steps of the growing forest', async () => {
    const progress: TrainingProgress[] = [];
    const result = await train({ trees: 50 }, (update) => progress.push(update));

    expect(trainedModelSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({ format: 'slipway-onnx', backend: 'javascript', model: { mediaType: MEDIA_TYPES.onnxModel } });
    expect(result.transform.digest).toBe(iris.dataset.transform.digest);
    expect(classificationOf(result.metrics.test).accuracy).toBeGreaterThanOrEqual(0.9);
    expect(classificationOf(result.metrics.validation).rows).toBe(iris.dataset.rowCounts.validation);
    expect(progress.map((step) => [step.epoch, step.epochs, step.backend])).toEqual(Array.from({ length: 10 }, (_, index) => [index + 1, 10, 'javascript']));
    expect(result.history).toEqual(progress.map(({ epochs: _epochs, backend: _backend, ...epoch }) => epoch));
    // Grown to pure leaves on its bootstrap rows, the forest fits its train split almost perfectly.
    expect(progress.at(-1)?.accuracy).toBeGreaterThan(0.95);
    expect(progress.every((step) => step.valLoss !== undefined && step.valAccuracy !== undefined)).toBe(true);
  });

  it('grows the same forest from the same seed and another from another seed', async () => {
    const [first, again, other] = [await train({ trees: 20, seed: 7 }), await train({ trees: 20, seed: 7 }), await train({ trees: 20, seed: 8 })];

    expect(again.model.digest).toBe(first.model.digest);
    expect(other.model.digest).not.toBe(first.model.digest);
  });

  it('weighs classes when asked and refuses a class the label does not have', async () => {
    const weighted = await train({ trees: 20, classWeight: { setosa: 1, versicolor: 50 } });
    const plain = await train({ trees: 20 });
    expect(weighted.model.digest).not.toBe(plain.model.digest);

    await expect(train({ trees: 5, classWeight: { daisy: 2 } })).rejects.toMatchObject({ name: 'ModelSpecError', field: 'classWeight.daisy' });
  });

  it('learns a regression in the label units and refuses class weights there', async () => {
    const { store, dataset } = await putLine(iris.store);
    const result = await trainModel({ store, dataset, modelSpec: forestSpecSchema.parse({ kind: 'randomForest', trees: 30 }), backendPreference: 'wasm' });

    expect(result.format).toBe('slipway-onnx');
    for (const split of [result.metrics.validation, result.metrics.test]) expect(regressionOf(split).r2).toBeGreaterThan(0.9);
    const prepared = await getPreparedDataset(store, dataset.dataset.digest);
    expect(regressionOf(result.metrics.test).rows).toBe(prepared.test.rows);
    await expect(
      trainModel({ store, dataset, modelSpec: forestSpecSchema.parse({ kind: 'randomForest', trees: 5, classWeight: 'balanced' }), backendPreference: 'wasm' }),
    ).rejects.toMatchObject({ name: 'ModelSpecError', field: 'classWeight' });
  });
});

/** y = 2x + 1 + noise, as the network's regression test learns it. */
async function putLine(store: Parameters<typeof putSyntheticDataset>[0]) {
  const random = seedrandom('forest-line');
  const xs = Array.from({ length: 400 }, () => random() * 6 - 3);
  const rows = { features: xs.map((x) => [x]), labels: xs.map((x) => 2 * x + 1 + 0.3 * gaussian(random)) };
  return { store, dataset: await putSyntheticDataset(store, { task: 'regression', ...splitInOrder(rows, { train: 0.7, validation: 0.15 }) }) };
}
