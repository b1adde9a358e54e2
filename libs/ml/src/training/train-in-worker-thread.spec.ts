import { datasetSourceSchema, networkSpecSchema, type PreparedDatasetRef, type TrainingProgress } from '@slipway/contracts';
import { ArtifactNotFoundError } from '@slipway/storage';
import { activeBackend } from '../backend/init-tensorflow';
import { prepareDataset } from '../dataset/prepare-dataset';
import { ModelSpecError } from '../errors/model-spec.error';
import { isPermanentMlError } from '../errors/permanent-ml.error';
import { createTempArtifactStore, DATA_ROOT, type TempArtifactStore } from '../testing/temp-artifact-store';
import { trainInWorkerThread, type TrainInWorkerRequest } from './train-in-worker-thread';

const TINY_SPEC = networkSpecSchema.parse({ layers: [{ type: 'dense', units: 4 }], epochs: 3, batchSize: 32 });

describe('trainInWorkerThread', () => {
  let temp: TempArtifactStore;
  let iris: PreparedDatasetRef;
  const request = (overrides: Partial<TrainInWorkerRequest> = {}): TrainInWorkerRequest => ({
    storeLocation: temp.store.location,
    dataset: iris,
    modelSpec: TINY_SPEC,
    backendPreference: 'wasm',
    ...overrides,
  });

  beforeAll(async () => {
    temp = await createTempArtifactStore();
    const source = datasetSourceSchema.parse({ uri: 'iris.csv', labelColumn: 'species' });
    iris = await prepareDataset({ store: temp.store, source, dataRoot: DATA_ROOT });
  });
  afterAll(() => temp.remove());

  it('trains in a worker thread, forwarding progress, and stores the model', async () => {
    const progress: TrainingProgress[] = [];
    const result = await trainInWorkerThread(request(), (update) => progress.push(update));
    expect(progress.map((update) => update.epoch)).toEqual([1, 2, 3]);
    expect(result.history).toHaveLength(3);
    expect(result.backend).toBe('wasm');
    expect(await temp.store.has(result.model.digest)).toBe(true);
    // The work happened elsewhere: this thread never started a TensorFlow.js backend.
    expect(activeBackend()).toBeUndefined();
  });

  it('re-creates domain errors with their class, name, message and fields', async () => {
    const wide = networkSpecSchema.parse({ layers: [{ type: 'dense', units: 65_536 }, { type: 'dense', units: 65_536 }] });
    const error = await trainInWorkerThread(request({ modelSpec: wide })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelSpecError);
    expect(error).toMatchObject({ name: 'ModelSpecError', field: 'layers.1.units' });
    expect((error as Error).message).toMatch(/over the limit/);
    expect(isPermanentMlError(error)).toBe(true);
  });

  it('re-creates store errors too, so a missing artifact is not mistaken for a crash', async () => {
    const missing = { ...iris, dataset: { ...iris.dataset, digest: `sha256:${'1'.repeat(64)}` } };
    const error = await trainInWorkerThread(request({ dataset: missing })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArtifactNotFoundError);
    expect(isPermanentMlError(error)).toBe(false);
  });

  it('terminates the worker when the signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('trainer shutting down');
    const attempt = trainInWorkerThread(request({ modelSpec: { ...TINY_SPEC, epochs: 10_000 } }), () => controller.abort(reason), {
      signal: controller.signal,
    });
    await expect(attempt).rejects.toBe(reason);
  });

  it('rejects at once for a signal that is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(trainInWorkerThread(request(), undefined, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
