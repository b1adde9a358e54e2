import { asTrainedVersion } from '@slipway/contracts';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { Migrator, type Kysely } from 'kysely';
import { trainedModelFixture } from '../fixtures/registry-fixtures';
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../fixtures/test-database';
import { ModelRegistryService } from '../models/model-registry.service';
import { SqlModelStore } from '../models/sql/sql-model-store';
import { toJsonColumn } from './json-column';
import { migrateToLatest } from './migrate-to-latest';
import { registryMigrationProvider } from './registry-migrations';

/** The model tables as 0005 left them, before versions had a format (frozen, like the migrations). */
interface Database0005 {
  registered_models: { name: string; created_at: string; description: string | null };
  model_versions: {
    model_name: string;
    version: number;
    run_id: string;
    dataset_digest: string;
    backend: string;
    metrics_json: string;
    model_artifact_json: string;
    transform_artifact_json: string;
    created_at: string;
    description: string | null;
  };
  model_aliases: { model_name: string; alias: string; version: number };
  model_version_tags: { model_name: string; version: number; key: string; value: string };
  alias_audit_log: { model_name: string; alias: string; from_version: number | null; to_version: number | null; actor: string; at: string };
}

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('migrating trained versions to 0006-imported-versions, on a %s database', (kind) => {
  let database: TestDatabase;
  const trained = trainedModelFixture({ label: 'run-before', testAccuracy: 0.93 });

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres, { migrate: false });
    const { error } = await new Migrator({ db: database.db, provider: registryMigrationProvider }).migrateTo('0005-regression-epochs');
    if (error !== undefined) throw error;
    const legacy = database.db as unknown as Kysely<Database0005>;
    await legacy.insertInto('registered_models').values({ name: 'iris', created_at: '2025-05-01T00:00:00.000Z', description: 'flowers' }).execute();
    await legacy
      .insertInto('model_versions')
      .values({
        model_name: 'iris',
        version: 1,
        run_id: 'run-before',
        dataset_digest: trained.sourceDigest,
        backend: trained.backend,
        metrics_json: toJsonColumn(trained.metrics),
        model_artifact_json: toJsonColumn(trained.model),
        transform_artifact_json: toJsonColumn(trained.transform),
        created_at: '2025-05-01T00:00:01.000Z',
        description: 'first',
      })
      .execute();
    await legacy.insertInto('model_aliases').values({ model_name: 'iris', alias: 'production', version: 1 }).execute();
    await legacy.insertInto('alias_audit_log').values({ model_name: 'iris', alias: 'production', from_version: null, to_version: 1, actor: 'ci', at: '2025-05-01T00:00:02.000Z' }).execute();
    await legacy.insertInto('model_version_tags').values({ model_name: 'iris', version: 1, key: 'team', value: 'ml' }).execute();
  });

  afterEach(() => database.close());

  it('keeps the trained version, its alias and its tag, read as a slipway-tfjs version', async () => {
    expect(await migrateToLatest(database.db)).toEqual(['0006-imported-versions', '0007-access']);
    const registry = new ModelRegistryService(new SqlModelStore(database.db));

    const version = asTrainedVersion(await registry.resolveAlias('iris', 'production'));
    expect(version).toMatchObject({
      format: 'slipway-tfjs',
      model: 'iris',
      version: 1,
      runId: 'run-before',
      datasetDigest: trained.sourceDigest,
      metrics: trained.metrics,
      modelArtifact: trained.model,
      transformArtifact: trained.transform,
      aliases: ['production'],
      description: 'first',
      tags: { team: 'ml' },
    });
    expect((await registry.aliasHistory('iris', 'production')).map((entry) => [entry.actor, entry.toVersion])).toEqual([['ci', 1]]);
    expect((await registry.versionsFromDataset(trained.sourceDigest)).map((v) => v.version)).toEqual([1]);
  });

  it('numbers the next version after the migrated one, leaving the alias where it was', async () => {
    await migrateToLatest(database.db);
    const registry = new ModelRegistryService(new SqlModelStore(database.db));
    const next = await registry.registerVersion({ modelName: 'iris', runId: 'run-after', trained: trainedModelFixture({ label: 'run-after', testAccuracy: 0.95 }) });
    expect(next.version).toBe(2);
    expect((await registry.getModel('iris')).aliases).toEqual({ production: 1 });
  });
});
