import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asTrainedVersion, MEDIA_TYPES, modelSignatureSchema, modelVersionSchema, registeredModelSchema, type Transform } from '@slipway/contracts';
import { ArtifactNotFoundError, createArtifactStore, type ArtifactStore } from '@slipway/storage';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { ModelNotFoundError } from '../errors/model-not-found.error';
import { ModelVersionNotFoundError } from '../errors/model-version-not-found.error';
import { trainedModelFixture } from '../fixtures/registry-fixtures';
import { manualClock, openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../fixtures/test-database';
import { ModelRegistryService } from './model-registry.service';
import { ModelSignatureService } from './model-signature.service';
import { SqlModelStore } from './sql/sql-model-store';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

const TRANSFORM: Transform = {
  version: 2,
  features: [
    { name: 'petal_length', kind: 'numeric', mean: 3.7, scale: 1.7, impute: 3.6, missingIndicator: false, statistics: { count: 105, min: 1, max: 6.9, mean: 3.7, std: 1.7, quantiles: [1.4, 1.5], missing: 0 } },
    { name: 'colour', kind: 'categorical', vocabulary: ['blue', 'white'], missingBucket: false, statistics: { count: 105, frequencies: { blue: 50, white: 55 }, missing: 0 } },
  ],
  label: { task: 'classification', name: 'species', classes: ['setosa', 'versicolor', 'virginica'] },
  missingValues: ['', 'NA'],
};

describe.each(TEST_DATABASE_KINDS)('model metadata, signatures and alias history on a %s database', (kind) => {
  let database: TestDatabase;
  let registry: ModelRegistryService;
  let time: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres);
    time = manualClock();
    registry = new ModelRegistryService(new SqlModelStore(database.db), { clock: time.clock });
    await registry.registerVersion({ modelName: 'iris', runId: 'run-a', trained: trainedModelFixture({ label: 'a', testAccuracy: 0.9 }) });
    await registry.registerVersion({ modelName: 'iris', runId: 'run-b', trained: trainedModelFixture({ label: 'b', testAccuracy: 0.95 }) });
  });

  afterEach(() => database.close());

  it('describes and tags a model: a patch changes only what it names, null clears', async () => {
    const first = await registry.updateModel('iris', { description: 'Iris species classifier', tags: { owner: 'alice', domain: 'botany' } });
    expect(registeredModelSchema.parse(first)).toEqual(first);
    expect(first).toMatchObject({ description: 'Iris species classifier', tags: { domain: 'botany', owner: 'alice' } });

    const second = await registry.updateModel('iris', { tags: { owner: 'bob', domain: null } });
    expect(second).toMatchObject({ description: 'Iris species classifier', tags: { owner: 'bob' } });
    expect((await registry.updateModel('iris', { description: null })).description).toBeNull();
    expect((await registry.listModels())[0]?.tags).toEqual({ owner: 'bob' });
  });

  it('describes and tags a version without touching the others', async () => {
    const updated = await registry.updateVersion('iris', 2, { description: 'more epochs', tags: { reviewed: 'yes' } });
    expect(modelVersionSchema.parse(updated)).toEqual(updated);
    expect(updated).toMatchObject({ version: 2, description: 'more epochs', tags: { reviewed: 'yes' } });
    expect(await registry.getVersion('iris', 1)).toMatchObject({ description: null, tags: {} });
    expect((await registry.getModel('iris')).versions.map((v) => v.tags)).toEqual([{ reviewed: 'yes' }, {}]);

    await expect(registry.updateVersion('iris', 9, { description: 'x' })).rejects.toThrow(ModelVersionNotFoundError);
    await expect(registry.updateModel('nope', { description: 'x' })).rejects.toThrow(ModelNotFoundError);
  });

  it('keeps the history of one alias apart from the others', async () => {
    await registry.setAlias('iris', 'production', 1, 'ci');
    await registry.setAlias('iris', 'staging', 2, 'alice');
    time.advance(1_000);
    await registry.setAlias('iris', 'production', 2, 'run:run-b');
    await registry.deleteAlias('iris', 'staging', 'alice');

    const production = await registry.aliasHistory('iris', 'production');
    expect(production.map((e) => [e.fromVersion, e.toVersion, e.actor])).toEqual([
      [1, 2, 'run:run-b'],
      [null, 1, 'ci'],
    ]);
    expect((await registry.aliasHistory('iris', 'staging')).map((e) => e.toVersion)).toEqual([null, 2]);
    expect(await registry.aliasHistory('iris', 'canary')).toEqual([]);
  });

  describe('signatures', () => {
    let dir: string;
    let store: ArtifactStore;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'slipway-signature-'));
      store = createArtifactStore(dir);
    });

    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('derives inputs and outputs from the transform the version was trained with', async () => {
      const transform = await store.putJson(TRANSFORM, MEDIA_TYPES.transform);
      const trained = { ...trainedModelFixture({ label: 'c', testAccuracy: 0.9 }), transform };
      const { version } = await registry.registerVersion({ modelName: 'iris', runId: 'run-c', trained });

      const signature = modelSignatureSchema.parse(await new ModelSignatureService(registry, store).getSignature('iris', version));
      expect(signature.transformDigest).toBe(transform.digest);
      expect(signature.inputs).toEqual(
        TRANSFORM.features.map((f) => (f.kind === 'categorical' ? { name: f.name, kind: f.kind, categories: f.vocabulary } : { name: f.name, kind: f.kind })),
      );
      expect(signature.output).toEqual(TRANSFORM.label);
    });

    it('names the digest when the transform artifact is gone', async () => {
      const attempt = new ModelSignatureService(registry, store).getSignature('iris', 1);
      await expect(attempt).rejects.toThrow(ArtifactNotFoundError);
      await expect(attempt).rejects.toThrow(asTrainedVersion(await registry.getVersion('iris', 1)).transformArtifact.digest);
    });
  });
});
