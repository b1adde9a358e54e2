import {
  datasetSourceSchema,
  MEDIA_TYPES,
  networkSpecSchema,
  trainedModelSchema,
  type NetworkSpecInput,
  type TrainingProgress,
} from '@slipway/contracts';
import { prepareDataset } from '../dataset/prepare-dataset';
import { loadModelBundle } from '../model/load-model-bundle';
import { prepareIris, IRIS_TRAINING_SPEC } from '../testing/iris-fixture';
import { classificationOf } from '../testing/split-metrics';
import { DATA_ROOT } from '../testing/temp-artifact-store';
import { useTrainingFixture } from '../testing/training-fixture';
import { trainModel } from './train-model';

describe('trainModel on iris (classification)', () => {
  const iris = useTrainingFixture('wasm', prepareIris);

  const train = (spec: NetworkSpecInput, onEpoch?: (progress: TrainingProgress) => void) =>
    trainModel({ store: iris.store, dataset: iris.dataset, modelSpec: networkSpecSchema.parse(spec), backendPreference: 'wasm', onEpoch });

  it('learns iris to at least 90% test accuracy, reporting every epoch', async () => {
    const progress: TrainingProgress[] = [];
    const result = await train(IRIS_TRAINING_SPEC, (update) => progress.push(update));

    expect(trainedModelSchema.parse(result)).toEqual(result);
    const test = classificationOf(result.metrics.test);
    expect(test.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(test.rows).toBe(iris.dataset.rowCounts.test);
    expect(classificationOf(result.metrics.validation).rows).toBe(iris.dataset.rowCounts.validation);
    expect(result.earlyStopped).toBeUndefined();
    expect(result.backend).toBe('wasm');
    expect(result.sourceDigest).toBe(iris.dataset.sourceDigest);
    expect(result.transform).toEqual(iris.dataset.transform);
    expect(result.model.mediaType).toBe(MEDIA_TYPES.modelManifest);

    expect(progress.map((update) => update.epoch)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
    expect(progress.every((update) => update.epochs === 60 && update.backend === 'wasm')).toBe(true);
    expect(progress.every((update) => update.accuracy !== undefined && update.valLoss !== undefined && update.valAccuracy !== undefined)).toBe(true);
    expect(result.history).toEqual(progress.map(({ epochs: _epochs, backend: _backend, checkpoint: _checkpoint, ...metrics }) => metrics));
    expect(result.history[59].loss).toBeLessThan(result.history[0].loss);

    const expectedRate = (iris.dataset.rowCounts.train * 60) / (result.trainingDurationMs / 1000);
    expect(result.samplesPerSecond).toBeCloseTo(expectedRate, 3);
    expect(result.trainingDurationMs).toBeGreaterThanOrEqual(result.history.reduce((sum, epoch) => sum + epoch.durationMs, 0));

    const bundle = await loadModelBundle(iris.store, result.model.digest, result.transform.digest);
    expect(bundle.signature).toMatchObject({ task: 'classification', classes: ['setosa', 'versicolor', 'virginica'] });
    bundle.model.dispose();
  }, 15_000); // about 1.5 s alone, more with suites running in parallel on a small machine

  it('reports per-class figures and a confusion matrix on both splits, from the saved model', async () => {
    const result = await train({ ...IRIS_TRAINING_SPEC, epochs: 20 });
    for (const [split, rows] of [
      [result.metrics.validation, iris.dataset.rowCounts.validation],
      [result.metrics.test, iris.dataset.rowCounts.test],
    ] as const) {
      const metrics = classificationOf(split);
      expect(metrics.perClass?.map((figures) => figures.class)).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(metrics.perClass?.reduce((sum, figures) => sum + figures.support, 0)).toBe(rows);
      expect(metrics.confusionMatrix?.flat().reduce((sum, count) => sum + count, 0)).toBe(rows);
      const correct = metrics.confusionMatrix?.reduce((sum, row, index) => sum + row[index], 0) ?? NaN;
      expect(metrics.accuracy).toBeCloseTo(correct / rows, 12);
    }
    // The validation figures are the last epoch's, as tfjs measured them after that epoch.
    const last = result.history[result.history.length - 1];
    expect(classificationOf(result.metrics.validation).loss).toBeCloseTo(last.valLoss ?? NaN, 4);
    expect(classificationOf(result.metrics.validation).accuracy).toBeCloseTo(last.valAccuracy ?? NaN, 6);
  });

  it('repeats a run exactly: same spec and seed, same model', async () => {
    const short = { ...IRIS_TRAINING_SPEC, epochs: 3 };
    const [first, second] = [await train(short), await train(short)];
    expect(second.model.digest).toBe(first.model.digest);
    expect(second.history.map((epoch) => epoch.loss)).toEqual(first.history.map((epoch) => epoch.loss));
    const reseeded = await train({ ...short, seed: 1 });
    expect(reseeded.model.digest).not.toBe(first.model.digest);
  });

  describe('without a validation split', () => {
    const noValidation = useTrainingFixture('wasm', (store) => {
      const source = datasetSourceSchema.parse({ uri: 'iris.csv', labelColumn: 'species', split: { train: 0.8, validation: 0, test: 0.2 } });
      return prepareDataset({ store, source, dataRoot: DATA_ROOT });
    });
    const trainWithout = (spec: NetworkSpecInput) =>
      trainModel({ store: noValidation.store, dataset: noValidation.dataset, modelSpec: networkSpecSchema.parse(spec), backendPreference: 'wasm' });

    it('trains without validation metrics', async () => {
      const result = await trainWithout({ ...IRIS_TRAINING_SPEC, epochs: 2 });
      expect(result.history).toHaveLength(2);
      expect(result.history.every((epoch) => epoch.valLoss === undefined && epoch.valAccuracy === undefined)).toBe(true);
      expect(result.metrics.validation).toBeNull();
      expect(classificationOf(result.metrics.test).rows).toBe(noValidation.dataset.rowCounts.test);
    });

    it('refuses early stopping, which has nothing to monitor, naming modelSpec.earlyStopping', async () => {
      const attempt = trainWithout({ ...IRIS_TRAINING_SPEC, earlyStopping: { patience: 2 } });
      await expect(attempt).rejects.toMatchObject({ name: 'ModelSpecError', field: 'earlyStopping', message: expect.stringContaining('modelSpec.earlyStopping') });
    });
  });

  it('stops early after `patience` epochs without a better valLoss, keeping the best epoch\'s weights', async () => {
    const progress: TrainingProgress[] = [];
    const result = await train({ ...IRIS_TRAINING_SPEC, epochs: 200, earlyStopping: { monitor: 'valLoss', patience: 2 } }, (update) =>
      progress.push(update),
    );
    const { atEpoch, bestEpoch } = result.earlyStopped ?? { atEpoch: NaN, bestEpoch: NaN };
    expect(atEpoch).toBeLessThan(200);
    expect(atEpoch - bestEpoch).toBe(2);
    expect(result.history).toHaveLength(atEpoch);
    expect(progress.map((update) => update.epoch)).toEqual(Array.from({ length: atEpoch }, (_, index) => index + 1));
    const bestValLoss = Math.min(...result.history.map((epoch) => epoch.valLoss ?? Infinity));
    expect(result.history[bestEpoch - 1].valLoss).toBe(bestValLoss);
    // The saved model is the best epoch's: its validation loss is that epoch's, not the last one's.
    const validation = classificationOf(result.metrics.validation);
    expect(validation.loss).toBeCloseTo(bestValLoss, 4);
    expect(validation.loss).not.toBeCloseTo(result.history[atEpoch - 1].valLoss ?? NaN, 4);
    // Throughput counts the epochs that ran, not the limit.
    expect(result.samplesPerSecond).toBeCloseTo((iris.dataset.rowCounts.train * atEpoch) / (result.trainingDurationMs / 1000), 3);
  });

  it('keeps the best epoch\'s weights when the epoch limit comes before patience runs out, and reports no early stop', async () => {
    const result = await train({ ...IRIS_TRAINING_SPEC, epochs: 40, earlyStopping: { monitor: 'valLoss', patience: 1_000 } });
    expect(result.earlyStopped).toBeUndefined();
    expect(result.history).toHaveLength(40);
    const valLosses = result.history.map((epoch) => epoch.valLoss ?? Infinity);
    const best = Math.min(...valLosses);
    expect(valLosses.indexOf(best)).toBeLessThan(39);
    expect(classificationOf(result.metrics.validation).loss).toBeCloseTo(best, 4);
  });

  it('refuses class weights naming a class the label does not have, listing its classes', async () => {
    const attempt = train({ ...IRIS_TRAINING_SPEC, classWeight: { setosa: 2, daisy: 3 } });
    await expect(attempt).rejects.toMatchObject({
      name: 'ModelSpecError',
      field: 'classWeight.daisy',
      message: expect.stringContaining('"setosa", "versicolor", "virginica"'),
    });
  });

  it('rejects a spec that skipped its schema, naming the field', async () => {
    const attempt = trainModel({
      store: iris.store,
      dataset: iris.dataset,
      modelSpec: { ...networkSpecSchema.parse(IRIS_TRAINING_SPEC), epochs: 0 },
      backendPreference: 'wasm',
    });
    await expect(attempt).rejects.toMatchObject({ name: 'ModelSpecError', field: 'epochs' });
  });
});
