import {
  datasetSourceSchema,
  MEDIA_TYPES,
  modelSpecSchema,
  trainedModelSchema,
  type ModelSpecInput,
  type PreparedDatasetRef,
  type TrainingProgress,
} from '@slipway/contracts';
import { initTensorflow } from '../backend/init-tensorflow';
import { prepareDataset } from '../dataset/prepare-dataset';
import { loadModelBundle } from '../model/load-model-bundle';
import { prepareIris, IRIS_TRAINING_SPEC } from '../testing/iris-fixture';
import { createTempArtifactStore, DATA_ROOT, type TempArtifactStore } from '../testing/temp-artifact-store';
import { trainClassifier } from './train-classifier';


describe('trainClassifier', () => {
  let temp: TempArtifactStore;
  let iris: PreparedDatasetRef;
  beforeAll(async () => {
    await initTensorflow('wasm');
    temp = await createTempArtifactStore();
    iris = await prepareIris(temp.store);
  });
  afterAll(() => temp.remove());

  const train = (spec: ModelSpecInput, onEpoch?: (progress: TrainingProgress) => void) =>
    trainClassifier({ store: temp.store, dataset: iris, modelSpec: modelSpecSchema.parse(spec), backendPreference: 'wasm', onEpoch });

  it('learns iris to at least 90% test accuracy, reporting every epoch', async () => {
    const progress: TrainingProgress[] = [];
    const result = await train(IRIS_TRAINING_SPEC, (update) => progress.push(update));

    expect(trainedModelSchema.parse(result)).toEqual(result);
    expect(result.metrics.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(result.metrics.testRows).toBe(iris.rowCounts.test);
    expect(result.backend).toBe('wasm');
    expect(result.sourceDigest).toBe(iris.sourceDigest);
    expect(result.transform).toEqual(iris.transform);
    expect(result.model.mediaType).toBe(MEDIA_TYPES.modelManifest);

    expect(progress.map((update) => update.epoch)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
    expect(progress.every((update) => update.epochs === 60 && update.backend === 'wasm')).toBe(true);
    expect(progress.every((update) => update.valLoss !== undefined && update.valAccuracy !== undefined)).toBe(true);
    expect(result.history).toEqual(progress.map(({ epochs: _epochs, backend: _backend, checkpoint: _checkpoint, ...metrics }) => metrics));
    expect(result.history[59].loss).toBeLessThan(result.history[0].loss);

    const expectedRate = (iris.rowCounts.train * 60) / (result.trainingDurationMs / 1000);
    expect(result.samplesPerSecond).toBeCloseTo(expectedRate, 3);
    expect(result.trainingDurationMs).toBeGreaterThanOrEqual(result.history.reduce((sum, epoch) => sum + epoch.durationMs, 0));

    const bundle = await loadModelBundle(temp.store, result.model.digest, result.transform.digest);
    expect(bundle.signature.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    bundle.model.dispose();
  }, 15_000); // about 1.5 s alone, more with suites running in parallel on a small machine

  it('repeats a run exactly: same spec and seed, same model', async () => {
    const short = { ...IRIS_TRAINING_SPEC, epochs: 3 };
    const [first, second] = [await train(short), await train(short)];
    expect(second.model.digest).toBe(first.model.digest);
    expect(second.history.map((epoch) => epoch.loss)).toEqual(first.history.map((epoch) => epoch.loss));
    const reseeded = await train({ ...short, seed: 1 });
    expect(reseeded.model.digest).not.toBe(first.model.digest);
  });

  it('trains without validation metrics when the validation split is empty', async () => {
    const source = datasetSourceSchema.parse({
      uri: 'iris.csv',
      labelColumn: 'species',
      split: { train: 0.8, validation: 0, test: 0.2 },
    });
    const noValidation = await prepareDataset({ store: temp.store, source, dataRoot: DATA_ROOT });
    const result = await trainClassifier({
      store: temp.store,
      dataset: noValidation,
      modelSpec: modelSpecSchema.parse({ ...IRIS_TRAINING_SPEC, epochs: 2 }),
      backendPreference: 'wasm',
    });
    expect(result.history).toHaveLength(2);
    expect(result.history.every((epoch) => epoch.valLoss === undefined && epoch.valAccuracy === undefined)).toBe(true);
  });

  it('rejects a spec that skipped its schema, naming the field', async () => {
    const attempt = trainClassifier({
      store: temp.store,
      dataset: iris,
      modelSpec: { ...modelSpecSchema.parse(IRIS_TRAINING_SPEC), epochs: 0 },
      backendPreference: 'wasm',
    });
    await expect(attempt).rejects.toMatchObject({ name: 'ModelSpecError', field: 'epochs' });
  });
});
