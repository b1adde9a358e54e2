import { asNetworkSpec, pipelineSpecSchema, runSchema, runSummarySchema, type Run, type RunStatus, type TrainedModel } from '@slipway/contracts';
import { RegistryNotFoundError } from '../errors/registry-not-found.error';
import { RunNotFoundError } from '../errors/run-not-found.error';
import {
  completePrepare,
  completeTrain,
  epochFixture,
  epochHistoryFixture,
  gridPipelineFixture,
  pipelineSpecFixture,
  preparedDatasetRefFixture,
  trainedModelFixture,
} from '../fixtures/registry-fixtures';
import { manualClock, type ManualClock, type PostgresDatabaseSource } from '../fixtures/test-database';
import { openTestStores, type TestStoreKind, type TestStores } from '../fixtures/test-stores';
import { InvalidRunIdError } from './invalid-run-id.error';
import { RunAlreadyExistsError } from './run-already-exists.error';
import { RunNotResumableError } from './run-not-resumable.error';
import type { RunRecord } from './run-entities';
import { RunService, type StepStatusChange } from './run.service';

/**
 * How runs are recorded, through RunService, over the run store of `kind`: the same scenarios run on every SQL
 * database (run.service.int-spec.ts) and in memory (run.service.spec.ts), so both stores write what the other does.
 */
export function describeRunService(kind: TestStoreKind, postgres: () => PostgresDatabaseSource | undefined = () => undefined): void {
  let stores: TestStores;
  let time: ManualClock;
  let statusEvents: RunRecord[];
  let stepEvents: StepStatusChange[];
  let runs: RunService;

  beforeEach(async () => {
    time = manualClock();
    stores = await openTestStores(kind, time.clock, postgres());
    statusEvents = [];
    stepEvents = [];
    runs = new RunService(stores.runs, {
      clock: time.clock,
      onRunStatusChanged: (run) => void statusEvents.push(run),
      onStepStatusChanged: (change) => void stepEvents.push(change),
    });
  });

  afterEach(() => stores.close());

  const statuses = () => statusEvents.map((run) => run.status);
  const step = <R extends Pick<Run | RunRecord, 'id' | 'steps'>>(run: R, name: string): R['steps'][number] => {
    const found = run.steps.find((s) => s.name === name);
    if (found === undefined) throw new Error(`run ${run.id} has no step ${name}`);
    return found;
  };

  const completeRegister = (runId: string, version: number, trained: TrainedModel, trainStep = 'train') =>
    runs.completeStep(runId, 'register', {
      status: 'succeeded',
      output: { modelName: 'iris', version, metrics: trained.metrics, trainStep },
      cacheKey: null,
      components: null,
      cachedFrom: null,
    });
  const completePromote = (runId: string, version: number) =>
    runs.completeStep(runId, 'promote', {
      status: 'succeeded',
      output: { modelName: 'iris', version, alias: 'production', previousVersion: null },
      cacheKey: null,
      components: null,
      cachedFrom: null,
    });

  /** Every step of a shorthand run succeeds, and the run with them. */
  async function succeedShorthandRun(runId: string, version: number): Promise<RunRecord> {
    const trained = trainedModelFixture({ label: runId, testAccuracy: 0.95 });
    await completePrepare(runs, runId, 'prepare', preparedDatasetRefFixture());
    await completeTrain(runs, runId, 'train', trained);
    await completeRegister(runId, version, trained);
    await completePromote(runId, version);
    return runs.succeedIfFinished(runId);
  }

  describe('createRun', () => {
    it('queues a shorthand run with one pending step per pipeline step, under a job-id-safe default id', async () => {
      const spec = pipelineSpecFixture();
      const run = await runs.createRun(spec);

      expect(runSchema.parse(run)).toEqual(run);
      expect(run.id).toMatch(/^run-[a-z0-9-]+$/);
      expect(run).toMatchObject({ status: 'queued', pipelineName: spec.name, pipeline: spec, team: 'default', resumes: 0, startedAt: null, finishedAt: null, epochs: [] });
      expect(run.createdAt).toBe(time.clock().toISOString());
      expect(run.steps.map((s) => [s.name, s.step, s.kind, s.grid, s.status, s.attempts])).toEqual(
        spec.steps.map((s) => [s.name, s.name, s.kind, null, 'pending', 0]),
      );
      expect(await runs.getRun(run.id)).toEqual(run);
      expect(statusEvents).toEqual([]);
    });

    it('plans one row per training of a grid, with the grid point applied to its params, in topological order', async () => {
      const learningRates = [0.001, 0.01, 0.1];
      const spec = gridPipelineFixture({ learningRates, team: 'vision' });
      // Listed backwards: the plan still puts every step after the steps it reads from.
      const backwards = pipelineSpecSchema.parse({ ...spec, steps: [...spec.steps].reverse() });
      const run = await runs.createRun(backwards);

      expect(run.team).toBe('vision');
      expect(run.steps.map((s) => s.name)).toEqual(['prepare', 'train[0]', 'train[1]', 'train[2]', 'pick', 'register', 'promote']);
      const trainings = run.steps.filter((s) => s.step === 'train');
      expect(trainings.map((s) => [s.kind, s.grid])).toEqual(learningRates.map((learningRate) => ['train', { learningRate }]));
      const { steps } = await runs.record(run.id);
      const trainedRates = steps.flatMap((r) => (r.kind === 'train' ? [asNetworkSpec(r.params.model).learningRate] : []));
      expect(trainedRates).toEqual(learningRates);
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

  it('follows a successful run from queued to succeeded, with step timings, epochs, the registered version and the alias', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    const prepared = preparedDatasetRefFixture();
    const trained = trainedModelFixture({ label: 'lifecycle', testAccuracy: 0.95, epochs: 3 });

    time.advance(1_000);
    const started = await runs.markStepStarted(id, 'prepare', 1);
    expect(started.status).toBe('running');
    expect(started.startedAt).toBe(time.clock().toISOString());
    time.advance(250);
    await completePrepare(runs, id, 'prepare', prepared);

    await runs.markStepStarted(id, 'train', 1);
    const live = epochHistoryFixture(2);
    for (const epoch of live) {
      time.advance(100);
      await runs.recordEpoch(id, 'train', { ...epoch, backend: 'wasm', epochs: 3 });
    }
    const midTraining = await runs.getRun(id);
    expect(midTraining.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(midTraining.backend).toBe('wasm');
    const meanEpochMs = live.reduce((sum, e) => sum + e.durationMs, 0) / live.length;
    expect(step(midTraining, 'train').progress).toEqual({ epoch: 2, epochs: 3, loss: live[1]?.loss, accuracy: live[1]?.accuracy, etaMs: Math.round(meanEpochMs * 1) });

    await completeTrain(runs, id, 'train', trained);
    await runs.markStepStarted(id, 'register', 1);
    time.advance(40);
    await completeRegister(id, 1, trained);
    await runs.markStepStarted(id, 'promote', 1);
    time.advance(10);
    const allDone = await completePromote(id, 1);
    expect(allDone.status).toBe('running');
    const succeeded = await runs.succeedIfFinished(id);
    const done = await runs.getRun(id);

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
      ['promote', 'succeeded', 1, 10],
    ]);
    for (const s of done.steps) expect(Date.parse(s.finishedAt ?? '') - Date.parse(s.startedAt ?? '')).toBe(s.durationMs);
    expect(step(done, 'train').metrics).toEqual(trained.metrics);
    expect(step(done, 'register').metrics).toEqual(trained.metrics);
    expect(statuses()).toEqual(['running', 'succeeded']);
    expect(statusEvents[1]).toEqual(succeeded);
    expect(statusEvents[1]).toEqual(await runs.record(id));
  });

  it("takes a step's timings and attempts from its job when the registry never saw it start", async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    const job = { attempts: 2, startedAt: '2025-06-01T11:59:00.000Z', finishedAt: '2025-06-01T11:59:30.000Z' };
    const run = await runs.completeStep(id, 'prepare', {
      status: 'succeeded',
      output: { ...preparedDatasetRefFixture(), reused: false },
      cacheKey: null,
      components: null,
      cachedFrom: null,
      job,
    });
    expect(step(run, 'prepare')).toMatchObject({ status: 'succeeded', attempts: 2, startedAt: job.startedAt, finishedAt: job.finishedAt, durationMs: 30_000 });
  });

  it('leaves the duration unknown when a step finishes without its start having been seen', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    const run = await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    expect(run.status).toBe('running');
    expect(step(run, 'prepare')).toMatchObject({ status: 'succeeded', attempts: 1, startedAt: null, durationMs: null });
  });

  it('records a cached step with where its outputs came from, as taking no time and no attempt', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    const run = await runs.completeStep(id, 'prepare', {
      status: 'cached',
      output: { ...preparedDatasetRefFixture(), reused: true },
      cacheKey: 'sha256:key',
      components: null,
      cachedFrom: { runId: 'run-earlier', step: 'prepare' },
    });
    expect(step(run, 'prepare')).toMatchObject({
      status: 'cached',
      attempts: 0,
      startedAt: null,
      durationMs: 0,
      cache: { key: 'sha256:key', cachedFrom: { runId: 'run-earlier', step: 'prepare' } },
    });
    expect(run.datasetDigest).toBe(preparedDatasetRefFixture().sourceDigest);
  });

  it('fails the step and the run on a final failure, naming the step, and ignores later events of finished steps', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    await runs.markStepStarted(id, 'prepare', 1);
    await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    await runs.markStepStarted(id, 'train', 3);
    time.advance(1_500);

    await runs.markStepFailed(id, 'train', 'out of memory', true);
    const failed = await runs.getRun(id);

    expect(failed).toMatchObject({ status: 'failed', error: 'train: out of memory', finishedAt: time.clock().toISOString() });
    expect(step(failed, 'train')).toMatchObject({ status: 'failed', attempts: 3, durationMs: 1_500, error: 'out of memory' });
    expect(step(failed, 'register').status).toBe('pending');

    // Redelivered or late events after the end change nothing and report nothing.
    time.advance(10);
    await runs.markStepFailed(id, 'train', 'out of memory', true);
    await completeTrain(runs, id, 'train', trainedModelFixture({ label: 'late', testAccuracy: 0.9 }));
    await runs.markStepStarted(id, 'register', 1);
    await runs.markStepFailed(id, 'register', 'late retry', false);
    await runs.succeedIfFinished(id);
    expect(await runs.getRun(id)).toEqual(failed);
    expect(statuses()).toEqual(['running', 'failed']);
  });

  it('still records a step that finishes after another failed the run (its work happened), leaving the run failed', async () => {
    const { id } = await runs.createRun(gridPipelineFixture({ learningRates: [0.01, 0.1] }));
    await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    await runs.markStepFailed(id, 'train[0]', 'out of memory', true);

    const trained = trainedModelFixture({ label: 'in-flight', testAccuracy: 0.9 });
    const after = await completeTrain(runs, id, 'train[1]', trained);

    expect(after).toMatchObject({ status: 'failed', error: 'train[0]: out of memory' });
    expect(step(after, 'train[1]')).toMatchObject({ status: 'succeeded', metrics: trained.metrics });
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
    const succeeded = await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());

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
    const succeeded = await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    time.advance(50);
    expect(await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture('other.csv'))).toEqual(succeeded);
    expect(await runs.markStepStarted(id, 'prepare', 2)).toEqual(succeeded);
    expect(await runs.markStepFailed(id, 'prepare', 'stale', false)).toEqual(succeeded);
    expect(await runs.skipStep(id, 'prepare', 'stale')).toEqual(succeeded);
    expect(step(succeeded, 'prepare').durationMs).toBe(100);

    const done = await succeedShorthandRun(id, 4);
    expect(await runs.succeedIfFinished(id)).toEqual(done);
    expect(statuses()).toEqual(['running', 'succeeded']);
  });

  it('records one row per epoch: a retried training overwrites, a finished one is final', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    await runs.markStepStarted(id, 'train', 1);
    const [one, two] = epochHistoryFixture(2);
    if (one === undefined || two === undefined) throw new Error('fixture gave fewer than two epochs');
    await runs.recordEpoch(id, 'train', { ...one, backend: 'cpu' });
    await runs.recordEpoch(id, 'train', { ...two, backend: 'cpu' });

    await runs.markStepFailed(id, 'train', 'worker lost its lock', false);
    await runs.markStepStarted(id, 'train', 2);
    const retried = { ...one, loss: one.loss / 2, valLoss: undefined, valAccuracy: undefined };
    await runs.recordEpoch(id, 'train', { ...retried, backend: 'wasm' });

    const run = await runs.getRun(id);
    expect(run.epochs).toEqual([{ epoch: 1, loss: retried.loss, accuracy: retried.accuracy, durationMs: retried.durationMs }, two]);
    expect(run.backend).toBe('wasm');

    const trained = trainedModelFixture({ label: 'epochs', testAccuracy: 0.93, epochs: 4 });
    await completeTrain(runs, id, 'train', trained);
    await runs.recordEpoch(id, 'train', { ...retried, epoch: 9, backend: 'cpu' });
    expect((await runs.getRun(id)).epochs).toEqual(trained.history);
  });

  it("keeps each grid training's curve apart, and shows the curve of the training the run registered", async () => {
    const { id } = await runs.createRun(gridPipelineFixture({ learningRates: [0.001, 0.01, 0.1] }));
    await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    const trained = [2, 3, 4].map((epochs, i) => trainedModelFixture({ label: `grid-${i}`, testAccuracy: 0.8 + i / 100, epochs }));
    for (const [i, model] of trained.entries()) await completeTrain(runs, id, `train[${i}]`, model);

    // Before a version is registered, the run shows its first training.
    expect((await runs.getRun(id)).epochs).toEqual(trained[0]?.history);
    const picked = trained[2];
    if (picked === undefined) throw new Error('three trainings expected');
    await completeRegister(id, 1, picked, 'train[2]');
    const run = await runs.getRun(id);
    expect(run.epochs).toEqual(picked.history);
    expect(run.metrics).toEqual(picked.metrics);
    expect(run.steps.filter((s) => s.step === 'train').map((s) => s.metrics)).toEqual(trained.map((t) => t.metrics));
  });

  it('skips a step with its reason, for good', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    time.advance(5);
    const skipped = await runs.skipStep(id, 'promote', 'condition testAccuracy >= 0.9 does not hold (testAccuracy = 0.5)');

    expect(step(skipped, 'promote')).toMatchObject({ status: 'skipped', error: 'condition testAccuracy >= 0.9 does not hold (testAccuracy = 0.5)', finishedAt: time.clock().toISOString() });
    expect(await completePromote(id, 1)).toEqual(skipped);
    expect(await runs.markStepStarted(id, 'promote', 1)).toEqual(skipped);
  });

  it('claims a step once per generation; a released claim, or a later generation, can claim it again', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    const claims = await Promise.all([runs.claimStep(id, 'prepare', 0), runs.claimStep(id, 'prepare', 0)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await runs.claimStep(id, 'prepare', 0)).toBeNull();

    await runs.releaseClaim(id, 'prepare');
    expect(await runs.claimStep(id, 'prepare', 0)).not.toBeNull();
    const claimed = await runs.claimStep(id, 'prepare', 1);
    expect(claimed === null ? undefined : step(claimed, 'prepare').queuedGeneration).toBe(1);
    expect(step(await runs.record(id), 'prepare').queuedGeneration).toBe(1);

    await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    expect(await runs.claimStep(id, 'prepare', 2)).toBeNull();
  });

  it('holds a step waiting for quota with its reason, until it is claimed', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    await runs.markWaitingForQuota(id, 'train', 'team "default" has 1 of 1 concurrent trainings queued or running');
    expect(step(await runs.getRun(id), 'train')).toMatchObject({ status: 'waiting-for-quota', error: expect.stringMatching(/1 of 1 concurrent/) });

    expect(await runs.claimStep(id, 'train', 0)).not.toBeNull();
    expect(step(await runs.getRun(id), 'train')).toMatchObject({ status: 'pending', error: null });
    // A queued step no longer waits.
    await runs.markWaitingForQuota(id, 'train', 'late');
    expect(step(await runs.getRun(id), 'train').status).toBe('pending');
  });

  it('tells its listeners of each step status change once, as committed, and of every epoch a training records', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    await runs.markStepStarted(id, 'prepare', 1);
    await runs.markStepStarted(id, 'prepare', 1);
    await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    await runs.markWaitingForQuota(id, 'train', 'team "default" has 1 of 1 concurrent trainings queued or running');
    await runs.markWaitingForQuota(id, 'train', 'team "default" has 1 of 1 concurrent trainings queued or running');
    await runs.claimStep(id, 'train', 0);
    await runs.markStepStarted(id, 'train', 1);
    const [epoch] = epochHistoryFixture(1);
    if (epoch === undefined) throw new Error('the fixture gave no epoch');
    time.advance(40);
    await runs.recordEpoch(id, 'train', { ...epoch, backend: 'cpu', epochs: 3 });
    await runs.skipStep(id, 'promote', 'condition testAccuracy >= 0.9 does not hold (testAccuracy = 0.5)');

    expect(stepEvents.map((e) => [e.step.name, e.step.status, e.epoch?.epoch ?? null])).toEqual([
      ['prepare', 'running', null],
      ['prepare', 'succeeded', null],
      ['train', 'waiting-for-quota', null],
      ['train', 'pending', null],
      ['train', 'running', null],
      ['train', 'running', 1],
      ['promote', 'skipped', null],
    ]);
    const epochEvent = stepEvents[5];
    expect(epochEvent?.epoch).toEqual({ ...epoch, epochs: 3 });
    expect(epochEvent?.at).toBe(time.clock().toISOString());
    const committed = await runs.record(id);
    expect(stepEvents.at(-1)?.run).toEqual(committed);
  });

  it('succeeds a run only once every step has finished and none failed', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    const trained = trainedModelFixture({ label: id, testAccuracy: 0.5 });
    await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    await completeTrain(runs, id, 'train', trained);
    await completeRegister(id, 1, trained);
    expect((await runs.succeedIfFinished(id)).status).toBe('running');

    await runs.skipStep(id, 'promote', 'condition testAccuracy >= 0.9 does not hold (testAccuracy = 0.5)');
    const done = await runs.succeedIfFinished(id);
    expect(done).toMatchObject({ status: 'succeeded', finishedAt: time.clock().toISOString(), promotedTo: null });
    expect(statuses()).toEqual(['running', 'succeeded']);
  });

  it('reopens a failed run: failed steps return to pending with their attempts, the rest stays, the generation advances', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    await runs.claimStep(id, 'train', 0);
    await runs.markStepStarted(id, 'train', 2);
    const failed = await runs.markStepFailed(id, 'train', 'out of memory', true);
    await runs.reopenFailedRun(id);

    const reopened = await runs.getRun(id);
    expect(reopened).toMatchObject({ status: 'running', error: null, finishedAt: null, resumes: 1, startedAt: failed.startedAt });
    expect(step(await runs.record(id), 'prepare')).toEqual(step(failed, 'prepare'));
    expect(step(reopened, 'train')).toMatchObject({ status: 'pending', attempts: 2, error: null, startedAt: null, finishedAt: null });
    expect(step(await runs.record(id), 'train').queuedGeneration).toBeNull();
    expect(statuses()).toEqual(['running', 'failed', 'running']);

    // The resumed job counts its own attempts from 1 again; the step keeps counting across the resume.
    const restarted = await runs.markStepStarted(id, 'train', 1);
    expect(step(restarted, 'train')).toMatchObject({ status: 'running', attempts: 3 });
    expect(await runs.markStepStarted(id, 'train', 1)).toEqual(restarted);

    await expect(runs.reopenFailedRun(id)).rejects.toThrow(RunNotResumableError);
    await expect(runs.reopenFailedRun(id)).rejects.toThrow(/is running; only a failed run can be resumed/);
    await expect(runs.reopenFailedRun('run-missing')).rejects.toThrow(RunNotFoundError);
  });

  it('names the missing run in RunNotFoundError, a RegistryNotFoundError, for reads and writes', async () => {
    await expect(runs.getRun('run-missing')).rejects.toThrow(RunNotFoundError);
    await expect(runs.getRun('run-missing')).rejects.toThrow(RegistryNotFoundError);
    await expect(runs.getRun('run-missing')).rejects.toThrow(/run-missing/);
    await expect(runs.record('run-missing')).rejects.toThrow(RunNotFoundError);
    await expect(runs.getTrainingCurves('run-missing')).rejects.toThrow(RunNotFoundError);
    await expect(runs.markStepStarted('run-missing', 'prepare', 1)).rejects.toThrow(RunNotFoundError);
    await expect(runs.recordEpoch('run-missing', 'train', { ...epochFixture(), backend: 'cpu' })).rejects.toThrow(RunNotFoundError);
    await expect(completePrepare(runs, 'run-missing', 'prepare', preparedDatasetRefFixture())).rejects.toThrow(RunNotFoundError);
    await expect(runs.skipStep('run-missing', 'promote', 'no')).rejects.toThrow(RunNotFoundError);
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
    await succeedShorthandRun(c, 1);

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
}
