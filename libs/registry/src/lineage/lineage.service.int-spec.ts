import { datasetLineageSchema, modelLineageSchema } from '@slipway/contracts';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { AliasNotFoundError } from '../errors/alias-not-found.error';
import { ModelVersionNotFoundError } from '../errors/model-version-not-found.error';
import { digestOf, pipelineSpecFixture, preparedDatasetRefFixture, registerModelJobFixture, trainedModelFixture } from '../fixtures/registry-fixtures';
import { manualClock, openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../fixtures/test-database';
import { ModelRegistryService } from '../models/model-registry.service';
import { RunService } from '../runs/run.service';
import { LineageService } from './lineage.service';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('LineageService on a %s database', (kind) => {
  let database: TestDatabase;
  let time: ReturnType<typeof manualClock>;
  let runs: RunService;
  let registry: ModelRegistryService;
  let lineage: LineageService;

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres);
    time = manualClock();
    runs = new RunService(database.db, { clock: time.clock });
    registry = new ModelRegistryService(database.db, { clock: time.clock });
    lineage = new LineageService(database.db, registry);
  });

  afterEach(() => database.close());

  /** A whole pipeline run as the services record it: prepare, train, register (and promote when it passes). */
  async function pipelineRun(source: string, testAccuracy: number, experiment = 'default') {
    time.advance(1_000);
    const { id } = await runs.createRun(pipelineSpecFixture(), { experiment });
    await runs.markStepStarted(id, 'prepare', 1);
    await runs.recordPreparedDataset(id, preparedDatasetRefFixture(source));
    time.advance(10);
    await runs.markStepSucceeded(id, 'prepare');
    await runs.markStepStarted(id, 'train', 1);
    const trained = trainedModelFixture({ label: id, testAccuracy, source });
    await runs.recordTrainedModel(id, trained);
    time.advance(10);
    await runs.markStepSucceeded(id, 'train');
    await runs.markStepStarted(id, 'register', 1);
    const result = await registry.registerFromRun({ job: registerModelJobFixture(id, 0.9), trained });
    await runs.completeRun(id, result);
    return { runId: id, version: result.version };
  }

  it('follows a version back to its dataset and run steps, and forward to the aliases serving it', async () => {
    const { runId, version } = await pipelineRun('iris.csv', 0.95, 'nightly');
    await registry.setAlias('iris', 'staging', version);

    const found = modelLineageSchema.parse(await lineage.forVersion('iris', version));
    expect(found.dataset.digest).toBe(digestOf('iris.csv'));
    expect(found.run).toEqual({ id: runId, pipelineName: pipelineSpecFixture().name, experiment: 'nightly', status: 'succeeded' });
    expect(found.prepare).toMatchObject({ runId, step: 'prepare', status: 'succeeded' });
    expect(found.train).toMatchObject({ runId, step: 'train', status: 'succeeded' });
    expect(Date.parse(found.prepare?.finishedAt ?? '')).toBeLessThanOrEqual(Date.parse(found.train?.startedAt ?? ''));
    expect(found.version).toEqual(await registry.getVersion('iris', version));
    expect(found.servedAs).toEqual(['production', 'staging']);

    expect(await lineage.forAlias('iris', 'production')).toEqual(found);
  });

  it('still answers for a version whose run record is gone, with the run and steps null', async () => {
    await registry.registerVersion({ modelName: 'iris', runId: 'run-purged', trained: trainedModelFixture({ label: 'purged', testAccuracy: 0.8 }) });
    const found = await lineage.forVersion('iris', 1);
    expect(found).toMatchObject({ run: null, prepare: null, train: null, servedAs: [] });
  });

  it('lists what came from a dataset: its runs newest first and its versions', async () => {
    const first = await pipelineRun('iris.csv', 0.95);
    const otherData = await pipelineRun('iris-v2.csv', 0.96);
    const second = await pipelineRun('iris.csv', 0.5);

    const found = datasetLineageSchema.parse(await lineage.forDataset(digestOf('iris.csv')));
    expect(found.runs.map((r) => r.id)).toEqual([second.runId, first.runId]);
    expect(found.versions.map((v) => [v.version, v.runId])).toEqual([
      [second.version, second.runId],
      [first.version, first.runId],
    ]);
    expect(found.versions.flatMap((v) => v.aliases)).toEqual([]);
    expect((await lineage.forDataset(digestOf('iris-v2.csv'))).versions.map((v) => [v.runId, v.aliases])).toEqual([[otherData.runId, ['production']]]);
    expect(await lineage.forDataset(digestOf('never-seen.csv'))).toEqual({ digest: digestOf('never-seen.csv'), runs: [], versions: [] });
  });

  it('names what is missing', async () => {
    await pipelineRun('iris.csv', 0.5);
    await expect(lineage.forVersion('iris', 9)).rejects.toThrow(ModelVersionNotFoundError);
    await expect(lineage.forAlias('iris', 'production')).rejects.toThrow(AliasNotFoundError);
  });
});
