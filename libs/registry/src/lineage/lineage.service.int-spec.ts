import { asNetworkSpec, asTrainedVersion, datasetLineageSchema, modelLineageSchema, type TrainModelJob } from '@slipway/contracts';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { AliasNotFoundError } from '../errors/alias-not-found.error';
import { ModelVersionNotFoundError } from '../errors/model-version-not-found.error';
import { FixtureWorkers, RecordingDispatcher } from '../fixtures/fixture-workers';
import { digestOf, gridPipelineFixture, pipelineSpecFixture, trainedModelFixture } from '../fixtures/registry-fixtures';
import { manualClock, openTestDatabase, TEST_DATABASE_KINDS, type ManualClock, type TestDatabase } from '../fixtures/test-database';
import { ModelRegistryService } from '../models/model-registry.service';
import { SqlModelStore } from '../models/sql/sql-model-store';
import { PipelineEngine } from '../pipelines/pipeline-engine';
import { RegistrySteps } from '../pipelines/registry-steps';
import { SqlStepCache } from '../pipelines/sql-step-cache';
import { RunService } from '../runs/run.service';
import { SqlRunStore } from '../runs/sql/sql-run-store';
import { LineageService } from './lineage.service';
import { unprotectedRunAuthority } from '../fixtures/run-authorities';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('LineageService on a %s database', (kind) => {
  let database: TestDatabase;
  let time: ManualClock;
  let runs: RunService;
  let registry: ModelRegistryService;
  let lineage: LineageService;
  let engine: PipelineEngine;
  let workers: FixtureWorkers;
  /** The test accuracy the next run's trainings reach. */
  let accuracyOf: (job: TrainModelJob) => number;

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres);
    time = manualClock();
    runs = new RunService(new SqlRunStore(database.db), { clock: time.clock });
    registry = new ModelRegistryService(new SqlModelStore(database.db), { clock: time.clock });
    lineage = new LineageService(runs, registry);
    const dispatcher = new RecordingDispatcher();
    const registrations = new RegistrySteps(runs, registry, unprotectedRunAuthority());
    engine = new PipelineEngine({ runs, cache: new SqlStepCache(database.db, time.clock), registrations, dispatcher, authority: unprotectedRunAuthority() });
    accuracyOf = () => 0.95;
    workers = new FixtureWorkers(engine, runs, registrations, dispatcher, time, { accuracyOf: (job) => accuracyOf(job) });
  });

  afterEach(() => database.close());

  /**
   * A whole shorthand run as the engine drives it: prepare, train, register, and promote when it passes.
   * Uncached, so every run trains and registers a version of its own.
   */
  async function pipelineRun(source: string, testAccuracy: number, experiment = 'default') {
    time.advance(1_000);
    accuracyOf = () => testAccuracy;
    const { id } = await engine.submit(pipelineSpecFixture({ datasetUri: source, minTestAccuracy: 0.9 }), { experiment, noCache: true });
    await workers.drain();
    const run = await runs.getRun(id);
    if (run.modelVersion === null) throw new Error(`run ${id} registered no version: ${run.error}`);
    return { runId: id, version: run.modelVersion.version };
  }

  it('follows a version back to its dataset and run steps, and forward to the aliases serving it', async () => {
    const { runId, version } = await pipelineRun('iris.csv', 0.95, 'nightly');
    await registry.setAlias('iris', 'staging', version);

    const found = modelLineageSchema.parse(await lineage.forVersion('iris', version));
    expect(found.dataset?.digest).toBe(digestOf('iris.csv'));
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

  it("follows a grid run's version to the training evaluate picked, and the prepare step it read", async () => {
    const accuracies: Record<number, number> = { 0.001: 0.8, 0.01: 0.85, 0.1: 0.97, 0.3: 0.9 };
    accuracyOf = (job) => accuracies[asNetworkSpec(job.modelSpec).learningRate] ?? 0;
    const { id } = await engine.submit(gridPipelineFixture());
    await workers.drain();
    const run = await runs.getRun(id);
    const best = run.steps.find((s) => s.grid?.learningRate === 0.1);

    const found = await lineage.forVersion('iris', 1);
    expect(found.run).toMatchObject({ id, status: 'succeeded' });
    expect(found.train).toMatchObject({ runId: id, step: best?.name, status: 'succeeded' });
    expect(found.prepare).toMatchObject({ runId: id, step: 'prepare' });
    expect(asTrainedVersion(found.version).metrics).toEqual(best?.metrics);
  });

  it('lists what came from a dataset: its runs newest first and its versions', async () => {
    const first = await pipelineRun('iris.csv', 0.95);
    const otherData = await pipelineRun('iris-v2.csv', 0.96);
    const second = await pipelineRun('iris.csv', 0.5);

    const found = datasetLineageSchema.parse(await lineage.forDataset(digestOf('iris.csv')));
    expect(found.runs.map((r) => r.id)).toEqual([second.runId, first.runId]);
    expect(found.versions.map(asTrainedVersion).map((v) => [v.version, v.runId])).toEqual([
      [second.version, second.runId],
      [first.version, first.runId],
    ]);
    expect(found.versions.flatMap((v) => v.aliases)).toEqual([]);
    expect((await lineage.forDataset(digestOf('iris-v2.csv'))).versions.map(asTrainedVersion).map((v) => [v.runId, v.aliases])).toEqual([[otherData.runId, ['production']]]);
    expect(await lineage.forDataset(digestOf('never-seen.csv'))).toEqual({ digest: digestOf('never-seen.csv'), runs: [], versions: [] });
  });

  it('names what is missing', async () => {
    await pipelineRun('iris.csv', 0.5);
    await expect(lineage.forVersion('iris', 9)).rejects.toThrow(ModelVersionNotFoundError);
    await expect(lineage.forAlias('iris', 'production')).rejects.toThrow(AliasNotFoundError);
  });
});
