import { datasetSourceSchema, DEFAULT_SERVING_ALIAS, type ArtifactRef, type PreparedDatasetRef } from '@slipway/contracts';
import { encodeColumns, prepareDataset } from '@slipway/ml';
import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from '../errors/model-load.error';
import { ModelNotFoundError } from '../errors/model-not-found.error';
import { ModelNotReadyError } from '../errors/model-not-ready.error';
import { asTrained, createWorkspace, MISSING_DIGEST, modelVersion, prepareIris, untrainedModel, type ModelWorkspace } from '../testing/model-fixtures';
import type { LoadedTrainedModel } from './loaded-model';
import { ModelRepository } from './model-repository';

jest.setTimeout(60_000);

/** One prediction through the loaded model: proves its weights are still alive. */
async function predictOne(loaded: LoadedTrainedModel): Promise<Float32Array> {
  const columns = Object.fromEntries(loaded.transform.features.map((feature) => [feature.name, [feature.kind === 'numeric' ? feature.mean : '']]));
  const { features, rowCount } = encodeColumns(loaded.transform, columns, 1);
  return loaded.model.predict(features, rowCount);
}

describe('ModelRepository', () => {
  let workspace: ModelWorkspace;
  let dataset: PreparedDatasetRef;
  let first: ArtifactRef;
  let second: ArtifactRef;
  let repository: ModelRepository;

  beforeAll(async () => {
    workspace = await createWorkspace();
    dataset = await prepareIris(workspace.store);
    first = await untrainedModel(workspace.store, dataset, 1);
    second = await untrainedModel(workspace.store, dataset, 2);
  });

  afterAll(() => workspace.dispose());

  beforeEach(() => {
    repository = new ModelRepository(workspace.store);
  });

  afterEach(async () => {
    await Promise.all(repository.list().map((info) => repository.unload(info.name, info.version)));
  });

  it('resolves by version number, by alias, and by the production alias when no version is given', async () => {
    const v1 = asTrained(await repository.load(modelVersion('iris', 1, first, dataset)));
    const v2 = asTrained(await repository.load(modelVersion('iris', 2, second, dataset)));
    repository.setAlias('iris', DEFAULT_SERVING_ALIAS, 1);
    repository.setAlias('iris', 'staging', 2);

    expect(repository.resolve('iris')).toBe(v1);
    expect(repository.resolve('iris', '2')).toBe(v2);
    expect(repository.resolve('iris', 'staging')).toBe(v2);
    expect(v1).toMatchObject({ name: 'iris', version: 1 });
    expect(v1.signature.inputs.map((input) => input.name)).toEqual(v1.transform.features.map((feature) => feature.name));
    expect(Number.isNaN(Date.parse(v1.loadedAt))).toBe(false);
    expect(repository.list()).toEqual([
      { name: 'iris', version: 1, aliases: [DEFAULT_SERVING_ALIAS], loadedAt: v1.loadedAt, inFlight: 0 },
      { name: 'iris', version: 2, aliases: ['staging'], loadedAt: v2.loadedAt, inFlight: 0 },
    ]);
  });

  it('throws ModelNotFoundError naming the model and what was asked for', async () => {
    await repository.load(modelVersion('iris', 1, first, dataset));
    repository.setAlias('iris', DEFAULT_SERVING_ALIAS, 1);

    const cases: [string, string | undefined, string][] = [
      ['wine', undefined, DEFAULT_SERVING_ALIAS],
      ['iris', '7', '7'],
      ['iris', 'canary', 'canary'],
    ];
    for (const [name, requested, shown] of cases) {
      const error = catchError(() => repository.resolve(name, requested));
      expect(error).toBeInstanceOf(ModelNotFoundError);
      expect(error).toMatchObject({ model: name, requested: shown });
      expect((error as Error).message).toContain(`"${name}"`);
      expect((error as Error).message).toContain(`"${shown}"`);
    }
    expect(() => repository.setAlias('iris', 'staging', 3)).toThrow(ModelNotFoundError);
  });

  it('throws ModelNotReadyError, not ModelNotFoundError, for a wanted model that has nothing loaded yet', () => {
    repository.setDesiredModels(['iris']);
    const error = catchError(() => repository.resolve('iris'));
    expect(error).toBeInstanceOf(ModelNotReadyError);
    expect(error).toMatchObject({ model: 'iris', requested: DEFAULT_SERVING_ALIAS });
    expect(catchError(() => repository.resolve('wine'))).toBeInstanceOf(ModelNotFoundError);
  });

  it('is ready only once the wanted models are known and each answers under the production alias', async () => {
    expect(repository.isReady()).toBe(false);
    repository.setDesiredModels(['wine', 'iris']);
    expect(repository.isReady()).toBe(false);
    expect(repository.waitingModels()).toEqual(['iris', 'wine']);
    await repository.load(modelVersion('iris', 1, first, dataset));
    expect(repository.isReady()).toBe(false);
    repository.setAlias('iris', DEFAULT_SERVING_ALIAS, 1);
    expect(repository.waitingModels()).toEqual(['wine']);
    repository.setDesiredModels(['iris']);
    expect(repository.isReady()).toBe(true);
    expect(repository.waitingModels()).toEqual([]);
    repository.setDesiredModels([]);
    expect(repository.isReady()).toBe(true);
  });

  it('loads a version once, however often or concurrently it is asked for', async () => {
    const version = modelVersion('iris', 1, first, dataset);
    const [a, b] = await Promise.all([repository.load(version), repository.load(version)]);
    expect(a).toBe(b);
    expect(await repository.load(version)).toBe(a);
    expect(repository.list()).toHaveLength(1);
  });

  it('rejects a version whose artifacts are missing with ModelLoadError naming it, and keeps nothing of it', async () => {
    const baseline = tf.memory().numTensors;
    const broken = modelVersion('iris', 3, { ...first, digest: MISSING_DIGEST }, dataset);
    const error = await repository.load(broken).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toContain('"iris" version 3');
    expect((error as Error).message).toContain(MISSING_DIGEST);
    expect(repository.list()).toEqual([]);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('rejects a model paired with a transform it was not trained behind, disposing what it loaded', async () => {
    const csv = await workspace.writeCsv(
      'two-features.csv',
      ['a,b,label', ...Array.from({ length: 30 }, (_, row) => `${row},${row % 5},${row % 2 ? 'odd' : 'even'}`)].join('\n'),
    );
    const source = datasetSourceSchema.parse({ uri: csv, labelColumn: 'label' });
    const other = await prepareDataset({ store: workspace.store, source, dataRoot: '/' });
    const baseline = tf.memory().numTensors;
    const mismatched = { ...modelVersion('iris', 4, first, dataset), transformArtifact: other.transform };

    await expect(repository.load(mismatched)).rejects.toThrow(ModelLoadError);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('unload waits for in-flight calls before disposing, stops serving at once, and frees every tensor', async () => {
    const baseline = tf.memory().numTensors;
    await repository.load(modelVersion('iris', 1, first, dataset));
    repository.setAlias('iris', DEFAULT_SERVING_ALIAS, 1);
    const loadedTensors = tf.memory().numTensors;
    expect(loadedTensors).toBeGreaterThan(baseline);

    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inFlight = repository.withModel('iris', undefined, async (loaded) => {
      await gate;
      return predictOne(asTrained(loaded));
    });
    expect(repository.list()[0].inFlight).toBe(1);

    let unloaded = false;
    const unloading = repository.unload('iris', 1).then(() => {
      unloaded = true;
    });
    await Promise.resolve();
    expect(unloaded).toBe(false);
    expect(tf.memory().numTensors).toBe(loadedTensors);
    expect(() => repository.resolve('iris')).toThrow(ModelNotFoundError);
    expect(() => repository.resolve('iris', '1')).toThrow(ModelNotFoundError);
    expect(repository.list()).toEqual([]);

    release();
    const probabilities = await inFlight;
    expect(probabilities).toHaveLength(3);
    expect(probabilities.every(Number.isFinite)).toBe(true);
    await unloading;
    expect(unloaded).toBe(true);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('releases its hold when the function throws, so a later unload disposes at once', async () => {
    const baseline = tf.memory().numTensors;
    await repository.load(modelVersion('iris', 1, first, dataset));
    const failure = new Error('handler failed');
    await expect(
      repository.withModel('iris', '1', () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(repository.list()[0].inFlight).toBe(0);
    await repository.unload('iris', 1);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('throws ModelNotFoundError for unloading a version that is not loaded', () => {
    expect(() => repository.unload('iris', 9)).toThrow(ModelNotFoundError);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
