import { runSchema, runSummarySchema, type Run, type RunStatus } from '@slipway/contracts';
import { RegistryNotFoundError } from '../errors/registry-not-found.error';
import { RunNotFoundError } from '../errors/run-not-found.error';
import {
  epochHistoryFixture,
  pipelineSpecFixture,
  preparedDatasetRefFixture,
  trainedModelFixture,
} from '../fixtures/registry-fixtures';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { manualClock, openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../fixtures/test-database';
import { InvalidRunIdError } from './invalid-run-id.error';
import { RunAlreadyExistsError } from './run-already-exists.error';
import { RunService } from './run.service';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('RunService on a %s database', (kind) => {
  let database: TestDatabase;
  let time: ReturnType<typeof manualClock>;
  let statusEvents: Run[];
  let runs: RunService;

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres);
    time = manualClock();
    statusEvents = [];
    runs = new RunService(database.db, { clock: time.clock, onRunStatusChanged: (run) => void statusEvents.push(run) });
  });

  afterEach(() => database.close());

  const statuses = () => statusEvents.map((run) => run.status);
  const step = (run: Run, name: string) => {
    const found = run.steps.find((s) => s.name === name);
    if (found === undefined) throw new Error(`run ${run.id} has no step ${name}`);
    return found;
  };

  describe('createRun', () => {
    it('queues a run with its pipeline and three pending steps, under a job-id-safe default id', async () => {
      const spec = pipelineSpecFixture();
      const run = await runs.createRun(spec);

      expect(runSchema.parse(run)).toEqual(run);
      expect(run.id).toMatch(/^run-[a-z0-9-]+$/);
      expect(run).toMatchObject({ status: 'queued', pipelineName: spec.name, pipeline: spec, startedAt: null, finishedAt: null, epochs: [] });
      expect(run.createdAt).toBe(time.clock().toISOString());
      expect(run.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
        ['prepare', 'pending', 0],
        ['train', 'pending', 0],
        ['register', 'pending', 0],
      ]);
      expect(await runs.getRun(run.id)).toEqual(run);
      expect(statusEvents).toEqual([]);
    });

    it('gives ids that sort in creation order and never repeat', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await runs.createRun(pipelineSpecFixture())).id);
        time.advance(i % 2 === 0 ? 1 : 3_600_000);
      }
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('accepts a caller-chosen id, refuses it twice, and refuses ids BullMQ could not carry', async () => {
      const spec = pipelineSpecFixture();
      await runs.createRun(spec, 'nightly-42');
      await expect(runs.createRun(spec, 'nightly-42')).rejects.toThrow(RunAlreadyExistsError);
      await expect(runs.createRun(spec, 'run:42')).rejects.toThrow(InvalidRunIdError);
      await expect(runs.createRun(spec, 'Run-42')).rejects.toThrow(InvalidRunIdError);
      expect((await runs.listRuns()).map((r) => r.id)).toEqual(['nightly-42']);
    });
  });

  it('follows a successful run from queued to succeeded, with step timings, epochs and the registered version', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    const prepared = preparedDatasetRefFixture();
    const trained = trainedModelFixture({ label: 'lifecycle', testAccuracy: 0.95, epochs: 3 });

    time.advance(1_000);
    const started = await runs.markStepStarted(id, 'prepare', 1);
    expect(started.status).toBe('running');
    expect(started.startedAt).toBe(time.clock().toISOString());
    time.advance(250);
    await runs.recordPreparedDataset(id, prepared);
    await runs.markStepSucceeded(id, 'prepare');

    await runs.markStepStarted(id, 'train', 1);
    for (const epoch of epochHistoryFixture(2)) {
      time.advance(100);
      await runs.recordEpoch(id, { ...epoch, backend: 'wasm' });
    }
    const midTraining = await runs.getRun(id);
    expect(midTraining.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(midTraining.backend).toBe('wasm');

    await runs.recordTrainedModel(id, trained);
    await runs.markStepSucceeded(id, 'train');
    await runs.markStepStarted(id, 'register', 1);
    time.advance(40);
    const done = await runs.completeRun(id, { modelName: 'iris', version: 1, promotedTo: 'production' });

    expect(runSchema.parse(done)).toEqual(done);
    expect(done).toMatchObject({
      status: 'succeeded',
      finishedAt: time.clock().toISOString(),
      error: null,
      datasetDigest: prepared.sourceDigest,
      backend: trained.backend,
      metrics: trained.metrics,
      epochs: trained.history,
      modelVersion: { model: 'iris', version: 1 },
      promotedTo: 'production',
    });
    expect(done.steps.map((s) => [s.name, s.status, s.attempts, s.durationMs])).toEqual([
      ['prepare', 'succeeded', 1, 250],
      ['train', 'succeeded', 1, 200],
      ['register', 'succeeded', 1, 40],
    ]);
    for (const s of done.steps) expect(Date.parse(s.finishedAt ?? '') - Date.parse(s.startedAt ?? '')).toBe(s.durationMs);
    expect(statuses()).toEqual(['running', 'succeeded']);
    expect(statusEvents[1]).toEqual(done);
  });

  it('fails the step and the run on a final failure, naming the step, and ignores later events', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    await runs.markStepStarted(id, 'prepare', 1);
    await runs.markStepSucceeded(id, 'prepare');
    await runs.markStepStarted(id, 'train', 3);
    time.advance(1_500);

    const failed = await runs.markStepFailed(id, 'train', 'out of memory', true);

    expect(failed).toMatchObject({ status: 'failed', error: 'train: out of memory', finishedAt: time.clock().toISOString() });
    expect(step(failed, 'train')).toMatchObject({ status: 'failed', attempts: 3, durationMs: 1_500, error: 'out of memory' });
    expect(step(failed, 'register').status).toBe('pending');

    // Redelivered or late events after the end change nothing and report nothing.
    time.advance(10);
    await runs.markStepFailed(id, 'train', 'out of memory', true);
    await runs.markStepSucceeded(id, 'train');
    await runs.markStepStarted(id, 'register', 1);
    await runs.completeRun(id, { modelName: 'iris', version: 1, promotedTo: null });
    expect(await runs.getRun(id)).toEqual(failed);
    expect(statuses()).toEqual(['running', 'failed']);
  });

  it('puts a step back to pending with its error on a failed attempt that will be retried', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    await runs.markStepStarted(id, 'prepare', 1);
    time.advance(300);

    const retrying = await runs.markStepFailed(id, 'prepare', 'ECONNRESET reading data/iris.csv', false);
    expect(retrying.status).toBe('running');
    expect(retrying.error).toBeNull();
    expect(step(retrying, 'prepare')).toMatchObject({ status: 'pending', attempts: 1, error: 'ECONNRESET reading data/iris.csv' });

    time.advance(2_000); // the queue's backoff
    const second = await runs.markStepStarted(id, 'prepare', 2);
    expect(step(second, 'prepare')).toMatchObject({ status: 'running', attempts: 2, startedAt: time.clock().toISOString() });
    time.advance(120);
    const succeeded = await runs.markStepSucceeded(id, 'prepare');

    // The timings describe the attempt that succeeded; the earlier error no longer applies.
    expect(step(succeeded, 'prepare')).toMatchObject({ status: 'succeeded', attempts: 2, durationMs: 120, error: null });
    expect(statuses()).toEqual(['running']);
  });

  it('tolerates at-least-once delivery of step events', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    const first = await runs.markStepStarted(id, 'prepare', 1);
    time.advance(50);
    expect(await runs.markStepStarted(id, 'prepare', 1)).toEqual(first);

    time.advance(50);
    const succeeded = await runs.markStepSucceeded(id, 'prepare');
    time.advance(50);
    expect(await runs.markStepSucceeded(id, 'prepare')).toEqual(succeeded);
    expect(await runs.markStepStarted(id, 'prepare', 2)).toEqual(succeeded);
    expect(await runs.markStepFailed(id, 'prepare', 'stale', false)).toEqual(succeeded);
    expect(step(succeeded, 'prepare').durationMs).toBe(100);

    await runs.markStepStarted(id, 'register', 1);
    const done = await runs.completeRun(id, { modelName: 'iris', version: 4, promotedTo: null });
    expect(await runs.completeRun(id, { modelName: 'iris', version: 4, promotedTo: null })).toEqual(done);
    expect(statuses()).toEqual(['running', 'succeeded']);
  });

  it('leaves the duration unknown when a step finishes without its start having been seen', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    const run = await runs.markStepSucceeded(id, 'prepare');
    expect(run.status).toBe('running');
    expect(step(run, 'prepare')).toMatchObject({ status: 'succeeded', attempts: 1, startedAt: null, durationMs: null });
  });

  it('records one row per epoch: a retried training overwrites, a finished one is final', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    await runs.markStepStarted(id, 'train', 1);
    const [one, two] = epochHistoryFixture(2);
    if (one === undefined || two === undefined) throw new Error('fixture gave fewer than two epochs');
    await runs.recordEpoch(id, { ...one, backend: 'cpu' });
    await runs.recordEpoch(id, { ...two, backend: 'cpu' });

    await runs.markStepFailed(id, 'train', 'worker lost its lock', false);
    await runs.markStepStarted(id, 'train', 2);
    const retried = { ...one, loss: one.loss / 2, valLoss: undefined, valAccuracy: undefined };
    await runs.recordEpoch(id, { ...retried, backend: 'wasm' });

    const run = await runs.getRun(id);
    expect(run.epochs).toEqual([{ epoch: 1, loss: retried.loss, accuracy: retried.accuracy, durationMs: retried.durationMs }, two]);
    expect(run.backend).toBe('wasm');

    const trained = trainedModelFixture({ label: 'epochs', testAccuracy: 0.93, epochs: 4 });
    await runs.recordTrainedModel(id, trained);
    await runs.markStepSucceeded(id, 'train');
    await runs.recordEpoch(id, { ...retried, epoch: 9, backend: 'cpu' });
    expect((await runs.getRun(id)).epochs).toEqual(trained.history);
  });

  it('names the missing run in RunNotFoundError, a RegistryNotFoundError, for reads and writes', async () => {
    await expect(runs.getRun('run-missing')).rejects.toThrow(RunNotFoundError);
    await expect(runs.getRun('run-missing')).rejects.toThrow(RegistryNotFoundError);
    await expect(runs.getRun('run-missing')).rejects.toThrow(/run-missing/);
    await expect(runs.markStepStarted('run-missing', 'prepare', 1)).rejects.toThrow(RunNotFoundError);
    await expect(runs.recordEpoch('run-missing', { ...epochHistoryFixture(1)[0]!, backend: 'cpu' })).rejects.toThrow(RunNotFoundError);
    await expect(runs.completeRun('run-missing', { modelName: 'iris', version: 1, promotedTo: null })).rejects.toThrow(RunNotFoundError);
  });

  it('lists runs newest first, filters by status and counts every status', async () => {
    const created: string[] = [];
    for (let i = 0; i < 4; i++) {
      created.push((await runs.createRun(pipelineSpecFixture())).id);
      time.advance(1_000);
    }
    const [a, b, c] = created as [string, string, string, string];
    await runs.markStepStarted(a, 'prepare', 1);
    await runs.markStepFailed(a, 'prepare', 'no such file', true);
    await runs.markStepStarted(b, 'prepare', 1);
    await runs.markStepStarted(c, 'register', 1);
    await runs.completeRun(c, { modelName: 'iris', version: 1, promotedTo: null });

    const all = await runs.listRuns();
    expect(all.map((r) => r.id)).toEqual([...created].reverse());
    for (const summary of all) expect(runSummarySchema.parse(summary)).toEqual(summary);
    expect((await runs.listRuns({ limit: 2 })).map((r) => r.id)).toEqual([created[3], created[2]]);
    expect((await runs.listRuns({ status: 'failed' })).map((r) => [r.id, r.error])).toEqual([[a, 'prepare: no such file']]);
    expect((await runs.listRuns({ status: 'succeeded' }))[0]?.modelVersion).toEqual({ model: 'iris', version: 1 });

    const counts = await runs.countRunsByStatus();
    const expected: Record<RunStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0 };
    for (const summary of all) expected[summary.status] += 1;
    expect(counts).toEqual(expected);
    expect(counts.queued).toBe(1);
  });
});
