import { pipelineSpecSchema, runSchema, type EpochMetrics, type EvaluationMetrics } from '@slipway/contracts';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { Migrator, type Kysely } from 'kysely';
import { RecordingDispatcher } from '../fixtures/fixture-workers';
import { digestOf, epochHistoryFixture, trainedModelFixture } from '../fixtures/registry-fixtures';
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../fixtures/test-database';
import { LineageService } from '../lineage/lineage.service';
import { ModelRegistryService } from '../models/model-registry.service';
import { SqlModelStore } from '../models/sql/sql-model-store';
import { PipelineEngine } from '../pipelines/pipeline-engine';
import { RegistrySteps } from '../pipelines/registry-steps';
import { SqlStepCache } from '../pipelines/sql-step-cache';
import { RunNotResumableError } from '../runs/run-not-resumable.error';
import { RunService } from '../runs/run.service';
import { SqlRunStore } from '../runs/sql/sql-run-store';
import { migrateToLatest } from './migrate-to-latest';
import { registryMigrationProvider, REGISTRY_MIGRATIONS } from './registry-migrations';
import { unprotectedRunAuthority } from '../fixtures/run-authorities';

/** The tables a run was recorded in at 0002-tracking, before pipelines were DAGs (frozen, like the migrations). */
interface Database0002 {
  runs: {
    id: string;
    pipeline_name: string;
    status: string;
    created_at: string;
    started_at: string | null;
    finished_at: string | null;
    error: string | null;
    pipeline_json: string;
    dataset_digest: string | null;
    backend: string | null;
    metrics_json: string | null;
    model_name: string | null;
    model_version: number | null;
    promoted_to: string | null;
    experiment: string;
  };
  experiments: { name: string; created_at: string };
  run_steps: {
    run_id: string;
    name: string;
    status: string;
    attempts: number;
    started_at: string | null;
    finished_at: string | null;
    duration_ms: number | null;
    error: string | null;
  };
  run_epochs: {
    run_id: string;
    epoch: number;
    loss: number;
    accuracy: number;
    val_loss: number | null;
    val_accuracy: number | null;
    duration_ms: number;
  };
}

/** A pipeline as runs recorded it at 0002: the only form there was, with every default resolved. */
const LEGACY_PIPELINE = {
  name: 'iris-classifier',
  model: {
    name: 'iris',
    spec: {
      layers: [
        { type: 'dense', units: 16, activation: 'relu' },
        { type: 'dense', units: 8, activation: 'relu' },
      ],
      optimizer: 'adam',
      learningRate: 0.01,
      epochs: 3,
      batchSize: 16,
      seed: 42,
    },
  },
  dataset: { uri: 'data/iris.csv', labelColumn: 'species', split: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 7, categoricalColumns: [] },
  promotion: { alias: 'production', minTestAccuracy: 0.9 },
};

const LATER_MIGRATIONS = Object.keys(REGISTRY_MIGRATIONS).filter((name) => name > '0002-tracking');

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('migrating runs recorded before pipelines were DAGs, on a %s database', (kind) => {
  let database: TestDatabase;
  let legacy: Kysely<Database0002>;
  // What runs recorded then stored, and how it reads now.
  const legacyMetrics = { testAccuracy: 0.95, testLoss: 0.05, testRows: 23 };
  const metrics: EvaluationMetrics = { validation: null, test: { task: 'classification', rows: 23, loss: 0.05, accuracy: 0.95 } };
  const history: EpochMetrics[] = epochHistoryFixture(3);

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres, { migrate: false });
    const { error } = await new Migrator({ db: database.db, provider: registryMigrationProvider }).migrateTo('0002-tracking');
    if (error !== undefined) throw error;
    legacy = database.db as unknown as Kysely<Database0002>;
    await legacy.insertInto('experiments').values({ name: 'nightly', created_at: '2025-05-01T00:00:00.000Z' }).execute();
  });

  afterEach(() => database.close());

  /** A run as the 0002 services recorded it: three fixed steps, one training curve, the shorthand pipeline. */
  async function recordLegacyRun(id: string, outcome: 'succeeded' | 'failed'): Promise<void> {
    const succeeded = outcome === 'succeeded';
    await legacy
      .insertInto('runs')
      .values({
        id,
        pipeline_name: LEGACY_PIPELINE.name,
        status: outcome,
        created_at: '2025-05-01T10:00:00.000Z',
        started_at: '2025-05-01T10:00:01.000Z',
        finished_at: '2025-05-01T10:00:09.000Z',
        error: succeeded ? null : 'train: out of memory',
        pipeline_json: JSON.stringify(LEGACY_PIPELINE),
        dataset_digest: digestOf('iris.csv'),
        backend: 'cpu',
        metrics_json: succeeded ? JSON.stringify(legacyMetrics) : null,
        model_name: succeeded ? 'iris' : null,
        model_version: succeeded ? 1 : null,
        promoted_to: succeeded ? 'production' : null,
        experiment: 'nightly',
      })
      .execute();
    const step = (name: string, status: string, attempts: number, second: number, error: string | null = null) => ({
      run_id: id,
      name,
      status,
      attempts,
      started_at: status === 'pending' ? null : `2025-05-01T10:00:0${second}.000Z`,
      finished_at: status === 'pending' ? null : `2025-05-01T10:00:0${second + 1}.000Z`,
      duration_ms: status === 'pending' ? null : 1_000,
      error,
    });
    await legacy
      .insertInto('run_steps')
      .values([
        step('prepare', 'succeeded', 1, 1),
        succeeded ? step('train', 'succeeded', 2, 3) : step('train', 'failed', 3, 3, 'out of memory'),
        succeeded ? step('register', 'succeeded', 1, 5) : step('register', 'pending', 0, 5),
      ])
      .execute();
    await legacy
      .insertInto('run_epochs')
      .values(history.map((e) => ({ run_id: id, epoch: e.epoch, loss: e.loss, accuracy: e.accuracy ?? 0, val_loss: e.valLoss ?? null, val_accuracy: e.valAccuracy ?? null, duration_ms: e.durationMs })))
      .execute();
  }

  it('reads a succeeded run back through RunService: its steps (kind = name), its training curve and its pipeline', async () => {
    await recordLegacyRun('run-legacy', 'succeeded');
    expect(await migrateToLatest(database.db)).toEqual(LATER_MIGRATIONS);

    const run = await new RunService(new SqlRunStore(database.db)).getRun('run-legacy');

    expect(runSchema.parse(run)).toEqual(run);
    expect(run).toMatchObject({
      status: 'succeeded',
      pipelineName: LEGACY_PIPELINE.name,
      team: 'default',
      resumes: 0,
      metrics,
      modelVersion: { model: 'iris', version: 1 },
      promotedTo: 'production',
      datasetDigest: digestOf('iris.csv'),
      backend: 'cpu',
    });
    expect(run.steps.map((s) => [s.name, s.step, s.kind, s.grid, s.status, s.attempts, s.durationMs, s.error, s.cache])).toEqual([
      ['prepare', 'prepare', 'prepare', null, 'succeeded', 1, 1_000, null, { key: null, cachedFrom: null }],
      ['train', 'train', 'train', null, 'succeeded', 2, 1_000, null, { key: null, cachedFrom: null }],
      ['register', 'register', 'register', null, 'succeeded', 1, 1_000, null, { key: null, cachedFrom: null }],
    ]);
    expect(run.steps[0]).toMatchObject({ startedAt: '2025-05-01T10:00:01.000Z', finishedAt: '2025-05-01T10:00:02.000Z' });
    expect(run.epochs).toEqual(history);
    // The shorthand it recorded reads as the DAG it expands to.
    expect(run.pipeline).toEqual(pipelineSpecSchema.parse(LEGACY_PIPELINE));
    expect(run.pipeline.steps.map((s) => [s.name, s.kind])).toEqual([
      ['prepare', 'prepare'],
      ['train', 'train'],
      ['register', 'register'],
      ['promote', 'promote'],
    ]);
  });

  it("keeps a failed run's error and step states", async () => {
    await recordLegacyRun('run-legacy-failed', 'failed');
    await migrateToLatest(database.db);

    const run = await new RunService(new SqlRunStore(database.db)).getRun('run-legacy-failed');
    expect(run).toMatchObject({ status: 'failed', error: 'train: out of memory', modelVersion: null });
    expect(run.steps.map((s) => [s.name, s.status, s.attempts, s.error])).toEqual([
      ['prepare', 'succeeded', 1, null],
      ['train', 'failed', 3, 'out of memory'],
      ['register', 'pending', 0, null],
    ]);
    expect(run.epochs).toEqual(history);
  });

  it('refuses to resume a failed run recorded before DAGs (its steps kept no outputs), leaving it failed', async () => {
    await recordLegacyRun('run-legacy-failed', 'failed');
    await migrateToLatest(database.db);
    const runs = new RunService(new SqlRunStore(database.db));
    const dispatcher = new RecordingDispatcher();
    const registrations = new RegistrySteps(runs, new ModelRegistryService(new SqlModelStore(database.db)), unprotectedRunAuthority());
    const engine = new PipelineEngine({ runs, cache: new SqlStepCache(database.db), registrations, dispatcher, authority: unprotectedRunAuthority() });
    const before = await runs.getRun('run-legacy-failed');

    const refusal = engine.resume('run-legacy-failed');
    await expect(refusal).rejects.toThrow(RunNotResumableError);
    await expect(refusal).rejects.toThrow(/before pipelines were DAGs, and its step "prepare" kept no output/);
    expect(await runs.getRun('run-legacy-failed')).toEqual(before);
    expect(dispatcher.dispatched).toEqual([]);
  });

  it("still traces a migrated run's version back to its prepare and train steps", async () => {
    await recordLegacyRun('run-legacy', 'succeeded');
    await migrateToLatest(database.db);
    const registry = new ModelRegistryService(new SqlModelStore(database.db));
    await registry.registerVersion({ modelName: 'iris', runId: 'run-legacy', trained: trainedModelFixture({ label: 'legacy', testAccuracy: legacyMetrics.testAccuracy }) });

    const found = await new LineageService(new RunService(new SqlRunStore(database.db)), registry).forVersion('iris', 1);
    expect(found.run).toEqual({ id: 'run-legacy', pipelineName: LEGACY_PIPELINE.name, experiment: 'nightly', status: 'succeeded' });
    expect(found.prepare).toMatchObject({ runId: 'run-legacy', step: 'prepare', status: 'succeeded' });
    expect(found.train).toMatchObject({ runId: 'run-legacy', step: 'train', status: 'succeeded' });
  });
});
