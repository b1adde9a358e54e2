import { DEFAULT_SERVING_ALIAS, type ModelVersion, type PreparedDatasetRef } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { createWorkspace, MISSING_DIGEST, modelVersion, prepareIris, untrainedModel, type ModelWorkspace } from '../testing/model-fixtures';
import { ModelReconciler } from './model-reconciler';
import { ModelRepository } from './model-repository';

jest.setTimeout(60_000);

describe('ModelReconciler', () => {
  let workspace: ModelWorkspace;
  let dataset: PreparedDatasetRef;
  let v1: ModelVersion;
  let v2: ModelVersion;
  let broken: ModelVersion;
  let wine: ModelVersion;
  let repository: ModelRepository;
  let reconciler: ModelReconciler;

  beforeAll(async () => {
    workspace = await createWorkspace();
    dataset = await prepareIris(workspace.store);
    v1 = modelVersion('iris', 1, await untrainedModel(workspace.store, dataset, 1), dataset);
    v2 = modelVersion('iris', 2, await untrainedModel(workspace.store, dataset, 2), dataset);
    broken = modelVersion('iris', 3, { ...v1.modelArtifact, digest: MISSING_DIGEST }, dataset);
    wine = modelVersion('wine', 1, await untrainedModel(workspace.store, dataset, 3), dataset);
  });

  afterAll(() => workspace.dispose());

  beforeEach(() => {
    repository = new ModelRepository(workspace.store);
    reconciler = new ModelReconciler(repository);
  });

  afterEach(async () => {
    await reconciler.reconcile([]);
  });

  function production(name: string): number | undefined {
    return repository.list().find((info) => info.name === name && info.aliases.includes(DEFAULT_SERVING_ALIAS))?.version;
  }

  it('loads the targets and points their production alias at them', async () => {
    const report = await reconciler.reconcile([v1, wine]);
    expect(report).toEqual({
      loaded: [
        { model: 'iris', version: 1 },
        { model: 'wine', version: 1 },
      ],
      unloaded: [],
      failed: [],
    });
    expect(production('iris')).toBe(1);
    expect(production('wine')).toBe(1);
    expect(repository.isReady()).toBe(true);
  });

  it('moves the alias to a new version and unloads the old one, leaving no tensors behind', async () => {
    const baseline = tf.memory().numTensors;
    await reconciler.reconcile([v1]);
    const withOneModel = tf.memory().numTensors;

    const report = await reconciler.reconcile([v2]);
    expect(report).toEqual({ loaded: [{ model: 'iris', version: 2 }], unloaded: [{ model: 'iris', version: 1 }], failed: [] });
    expect(production('iris')).toBe(2);
    expect(repository.list().map((info) => info.version)).toEqual([2]);
    expect(tf.memory().numTensors).toBe(withOneModel);

    expect(await reconciler.reconcile([v2])).toEqual({ loaded: [], unloaded: [], failed: [] });
    await reconciler.reconcile([]);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('keeps serving the previous version when the new one fails to load, reports the failure, and does not throw', async () => {
    await reconciler.reconcile([v1]);
    const report = await reconciler.reconcile([broken]);

    expect(report.loaded).toEqual([]);
    expect(report.unloaded).toEqual([]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ model: 'iris', version: 3 });
    expect(report.failed[0].error).toContain(MISSING_DIGEST);
    expect(reconciler.failures()).toEqual(report.failed);
    expect(production('iris')).toBe(1);
    expect(repository.resolve('iris').version).toBe(1);
    expect(repository.isReady()).toBe(true);

    await reconciler.reconcile([v2]);
    expect(reconciler.failures()).toEqual([]);
    expect(production('iris')).toBe(2);
  });

  it('is not ready when a wanted model failed to load and has nothing older to serve', async () => {
    const report = await reconciler.reconcile([broken, wine]);
    expect(report.failed.map((failure) => failure.model)).toEqual(['iris']);
    expect(report.loaded).toEqual([{ model: 'wine', version: 1 }]);
    expect(repository.isReady()).toBe(false);
  });

  it('drops the production alias of a model no longer wanted, but keeps versions another alias still points at', async () => {
    await reconciler.reconcile([v1, wine]);
    repository.setAlias('wine', 'staging', 1);

    const report = await reconciler.reconcile([v2]);
    expect(report.unloaded).toEqual([{ model: 'iris', version: 1 }]);
    expect(repository.list()).toEqual([
      expect.objectContaining({ name: 'iris', version: 2, aliases: [DEFAULT_SERVING_ALIAS] }),
      expect.objectContaining({ name: 'wine', version: 1, aliases: ['staging'] }),
    ]);
    expect(repository.resolve('wine', 'staging').version).toBe(1);

    repository.deleteAlias('wine', 'staging');
  });

  it('runs passes one after another: a pass started during another sees its result', async () => {
    const first = reconciler.reconcile([v1]);
    const second = reconciler.reconcile([v1]);
    const third = reconciler.reconcile([v2]);

    expect((await first).loaded).toEqual([{ model: 'iris', version: 1 }]);
    expect((await second).loaded).toEqual([]);
    expect(await third).toEqual({ loaded: [{ model: 'iris', version: 2 }], unloaded: [{ model: 'iris', version: 1 }], failed: [] });
  });

  it('waits for in-flight predictions on a version before the pass that retires it finishes', async () => {
    await reconciler.reconcile([v1]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = repository.withModel('iris', undefined, async (loaded) => {
      await gate;
      return loaded.version;
    });

    const unload = repository.unload.bind(repository);
    let unloadStarted: () => void = () => undefined;
    const unloading = new Promise<void>((resolve) => {
      unloadStarted = resolve;
    });
    jest.spyOn(repository, 'unload').mockImplementation((name, version) => {
      unloadStarted();
      return unload(name, version);
    });

    let finished = false;
    const pass = reconciler.reconcile([v2]).then((report) => {
      finished = true;
      return report;
    });
    // The pass loads v2 and moves the alias, then waits on disposing v1; new requests already get v2.
    await unloading;
    await Promise.resolve();
    expect(repository.resolve('iris').version).toBe(2);
    expect(finished).toBe(false);

    release();
    expect(await held).toBe(1);
    expect((await pass).unloaded).toEqual([{ model: 'iris', version: 1 }]);
  });
  it('serves several aliases of one model and retires a version once no served alias points at it', async () => {
    await reconciler.reconcile({ [DEFAULT_SERVING_ALIAS]: [v1], staging: [v2] });
    expect(repository.resolve('iris').version).toBe(1);
    expect(repository.resolve('iris', 'staging').version).toBe(2);

    const report = await reconciler.reconcile({ [DEFAULT_SERVING_ALIAS]: [v2], staging: [] });
    expect(report.unloaded).toEqual([{ model: 'iris', version: 1 }]);
    expect(repository.list()).toEqual([expect.objectContaining({ name: 'iris', version: 2, aliases: [DEFAULT_SERVING_ALIAS] })]);
    expect(() => repository.resolve('iris', 'staging')).toThrow(/staging/);
  });
});
