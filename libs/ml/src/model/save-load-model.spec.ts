import { MEDIA_TYPES, transformSchema, type Transform } from '@slipway/contracts';
import { ArtifactNotFoundError } from '@slipway/storage';
import { initTensorflow } from '../backend/init-tensorflow';
import { ModelBundleError } from '../errors/model-bundle.error';
import { createTempArtifactStore, type TempArtifactStore } from '../testing/temp-artifact-store';
import { loadModel } from './load-model';
import { loadModelBundle } from './load-model-bundle';
import { modelManifestSchema } from './model-manifest.schema';
import { FIXTURE_WIDTH, fixtureFeatures, fixtureModel } from '../testing/model-fixture';
import { predictProbabilities } from './predict';
import { saveModel } from './save-model';

const numeric = (name: string) => ({
  name,
  kind: 'numeric' as const,
  mean: 0,
  scale: 1,
  statistics: { count: 1, min: 0, max: 0, mean: 0, std: 0, quantiles: [] },
});
// Width 2 + 2 = FIXTURE_WIDTH, 3 classes: matches fixtureModel().
const transform: Transform = transformSchema.parse({
  version: 1,
  features: [
    numeric('a'),
    numeric('b'),
    { name: 'c', kind: 'categorical', vocabulary: ['x', 'y'], statistics: { count: 1, frequencies: { x: 1 } } },
  ],
  label: { name: 'label', classes: ['p', 'q', 'r'] },
});

const regressionTransform: Transform = transformSchema.parse({
  version: 2,
  features: transform.features,
  label: { task: 'regression', name: 'price', mean: 250, scale: 40, statistics: { count: 9, min: 180, max: 330, mean: 250, std: 40, quantiles: [] } },
});

describe('saveModel / loadModel', () => {
  let temp: TempArtifactStore;
  beforeAll(() => initTensorflow('wasm'));
  beforeEach(async () => {
    temp = await createTempArtifactStore();
  });
  afterEach(() => temp.remove());

  it('round-trips: the loaded model predicts exactly what the saved one did', async () => {
    const model = fixtureModel();
    const features = fixtureFeatures(10);
    const before = predictProbabilities(model, features, 10, FIXTURE_WIDTH);
    const ref = await saveModel(temp.store, model);
    model.dispose();

    const loaded = await loadModel(temp.store, ref.digest);
    try {
      expect(predictProbabilities(loaded, features, 10, FIXTURE_WIDTH)).toEqual(before);
    } finally {
      loaded.dispose();
    }
  });

  it('stores a manifest that references a raw weights blob', async () => {
    const model = fixtureModel();
    const ref = await saveModel(temp.store, model);
    model.dispose();
    expect(ref.mediaType).toBe(MEDIA_TYPES.modelManifest);
    const manifest = await temp.store.getJson(ref.digest, modelManifestSchema);
    expect(manifest.weights.mediaType).toBe(MEDIA_TYPES.modelWeights);
    const weightValues = manifest.weightSpecs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
    expect((await temp.store.get(manifest.weights.digest)).byteLength).toBe(weightValues * 4);
  });

  it('gives the same digest for the same weights (layer names do not depend on how many models exist)', async () => {
    const first = fixtureModel();
    const second = fixtureModel();
    const other = fixtureModel(6);
    const digests = await Promise.all([first, second, other].map((model) => saveModel(temp.store, model)));
    [first, second, other].forEach((model) => model.dispose());
    expect(digests[1].digest).toBe(digests[0].digest);
    expect(digests[2].digest).not.toBe(digests[0].digest);
  });

  it('names the digest of a model that is not in the store', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    await expect(loadModel(temp.store, missing)).rejects.toThrow(ArtifactNotFoundError);
  });
});

describe('loadModelBundle', () => {
  let temp: TempArtifactStore;
  beforeAll(() => initTensorflow('wasm'));
  beforeEach(async () => {
    temp = await createTempArtifactStore();
  });
  afterEach(() => temp.remove());

  /** Saves the model (and disposes it) and the transform, returning their digests. */
  async function store(model: ReturnType<typeof fixtureModel>, fitted: Transform): Promise<[model: string, transform: string]> {
    const modelRef = await saveModel(temp.store, model);
    model.dispose();
    return [modelRef.digest, (await temp.store.putJson(fitted, MEDIA_TYPES.transform)).digest];
  }

  it('returns the model, its transform and a signature of raw inputs and classes', async () => {
    const bundle = await loadModelBundle(temp.store, ...(await store(fixtureModel(), transform)));
    try {
      expect(bundle.transform).toEqual(transform);
      expect(bundle.signature).toEqual({
        inputs: [
          { name: 'a', datatype: 'FP32' },
          { name: 'b', datatype: 'FP32' },
          { name: 'c', datatype: 'BYTES' },
        ],
        width: FIXTURE_WIDTH,
        task: 'classification',
        classes: ['p', 'q', 'r'],
      });
    } finally {
      bundle.model.dispose();
    }
  });

  it('refuses a transform the model was not trained behind', async () => {
    const digests = await store(fixtureModel(), transformSchema.parse({ ...transform, features: [...transform.features, numeric('d')] }));
    await expect(loadModelBundle(temp.store, ...digests)).rejects.toThrow(ModelBundleError);
    await expect(loadModelBundle(temp.store, ...digests)).rejects.toThrow(
      /takes 4 inputs and gives 3 outputs, but transform .* encodes 5 inputs and 3 classes/,
    );
  });

  it("gives a regressor's signature its label, to turn predictions into the label's units", async () => {
    const bundle = await loadModelBundle(temp.store, ...(await store(fixtureModel(5, { task: 'regression' }), regressionTransform)));
    try {
      expect(bundle.signature).toMatchObject({ task: 'regression', label: regressionTransform.label, width: FIXTURE_WIDTH });
      expect(bundle.signature).not.toHaveProperty('classes');
    } finally {
      bundle.model.dispose();
    }
  });

  it('refuses a classifier behind a regression transform', async () => {
    await expect(loadModelBundle(temp.store, ...(await store(fixtureModel(), regressionTransform)))).rejects.toThrow(
      /gives 3 outputs, but transform .* encodes 4 inputs and one regression value/,
    );
  });
});
