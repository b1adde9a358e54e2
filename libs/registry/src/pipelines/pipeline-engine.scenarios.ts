import {
  asNetworkSpec,
  evaluateModelsJobSchema,
  metricValue,
  pipelineSpecSchema,
  prepareDatasetJobSchema,
  trainModelJobSchema,
  type NoCache,
  type PipelineSpec,
  type Run,
  type TeamQuotas,
  type TrainModelJob,
} from '@slipway/contracts';
import { FixtureWorkers, RecordingDispatcher } from '../fixtures/fixture-workers';
import { gridPipelineFixture, pipelineSpecFixture, trainedModelFixture } from '../fixtures/registry-fixtures';
import { manualClock, type ManualClock, type PostgresDatabaseSource } from '../fixtures/test-database';
import { openTestStores, type TestStoreKind, type TestStores } from '../fixtures/test-stores';
import { ModelRegistryService } from '../models/model-registry.service';
import { RunNotFoundError } from '../errors/run-not-found.error';
import { RunNotResumableError } from '../runs/run-not-resumable.error';
import { RunService } from '../runs/run.service';
import { STEP_OUTPUT_SCHEMAS } from '../runs/step-outputs';
import { CacheExplainer } from './cache-explainer';
import { PipelineEngine } from './pipeline-engine';
import { IdempotencyKeyReusedError, PipelineSubmissionError, QueueUnavailableError, StepQueueUnavailableError } from './pipeline-errors';
import { RegistrySteps } from './registry-steps';
import type { RunAuthority } from '../auth/run-authority';
import { runAuthorityWith, unprotectedRunAuthority } from '../fixtures/run-authorities';

interface EngineSetup {
  quotas?: TeamQuotas;
  accuracyOf?: (job: TrainModelJob) => number;
  validationAccuracyOf?: (job: TrainModelJob) => number;
  /** @defaultValue nothing protected */
  authority?: RunAuthority;
}

/**
 * What the engine decides, step by step, over the stores of `kind`: the same scenarios run on every SQL database
 * (pipeline-engine.int-spec.ts) and in memory (pipeline-engine.spec.ts). `postgres` gives the PostgreSQL source
 * once the suite's own beforeAll has started it.
 */
export function describePipelineEngine(kind: TestStoreKind, postgres: () => PostgresDatabaseSource | undefined = () => undefined): void {
  let stores: TestStores;
  let time: ManualClock;
  let runs: RunService;
  let registry: ModelRegistryService;
  let dispatcher: RecordingDispatcher;
  let engine: PipelineEngine;
  let workers: FixtureWorkers;
  let explainer: CacheExplainer;

  /** A fresh engine (and workers) over the same stores, with the team quotas and training accuracy given. */
  function useEngine({ quotas, accuracyOf, validationAccuracyOf, authority = unprotectedRunAuthority() }: EngineSetup = {}): void {
    dispatcher = new RecordingDispatcher();
    const registrySteps = new RegistrySteps(runs, registry, authority);
    engine = new PipelineEngine({ runs, cache: stores.cache, registrations: registrySteps, dispatcher, authority }, { quotas });
    workers = new FixtureWorkers(engine, runs, registrySteps, dispatcher, time, { accuracyOf, validationAccuracyOf });
  }

  beforeEach(async () => {
    time = manualClock();
    stores = await openTestStores(kind, time.clock, postgres());
    runs = new RunService(stores.runs, { clock: time.clock });
    registry = new ModelRegistryService(stores.models, { clock: time.clock });
    explainer = new CacheExplainer(runs, stores.cache);
    useEngine();
  });

  afterEach(() => stores.close());

  const step = (run: Run, name: string) => {
    const found = run.steps.find((s) => s.name === name);
    if (found === undefined) throw new Error(`run ${run.id} has no step ${name}`);
    return found;
  };
  const outputOf = async (runId: string, name: string): Promise<unknown> => (await runs.record(runId)).steps.find((r) => r.name === name)?.output ?? null;
  const submitAndDrain = async (pipeline: PipelineSpec, noCache?: NoCache): Promise<Run> => {
    const { id } = await engine.submit(pipeline, { noCache });
    await workers.drain();
    return runs.getRun(id);
  };
  /** Train steps bound by learning rate: each grid point reaches the test accuracy given for its rate. */
  const accuracyByLearningRate = (accuracies: Record<number, number>) => (job: TrainModelJob) => {
    const { learningRate } = asNetworkSpec(job.modelSpec);
    const accuracy = accuracies[learningRate];
    if (accuracy === undefined) throw new Error(`no accuracy given for learning rate ${learningRate}`);
    return accuracy;
  };

  it('runs the shorthand pipeline prepare → train → register → promote, each once its input is ready, and succeeds', async () => {
    const spec = pipelineSpecFixture();
    const submitted = await engine.submit(spec);
    expect(submitted.status).toBe('queued');
    expect(dispatcher.stepsOf(submitted.id)).toEqual(['prepare']);

    const [prepare] = dispatcher.outstanding;
    expect(prepare).toMatchObject({ queue: 'data-prep', job: 'prepare-dataset', generation: 0 });
    const prepareStep = spec.steps[0];
    expect(prepareDatasetJobSchema.parse(prepare?.data)).toEqual({ runId: submitted.id, step: 'prepare', source: prepareStep?.kind === 'prepare' ? prepareStep.params.dataset : null, reusable: [] });

    expect(await workers.succeed(submitted.id, 'prepare')).toEqual(['train']);
    const train = trainModelJobSchema.parse(dispatcher.outstanding[0]?.data);
    const { reused, ...prepared } = STEP_OUTPUT_SCHEMAS.prepare.parse(await outputOf(submitted.id, 'prepare'));
    expect(reused).toBe(false);
    expect(train.dataset).toEqual(prepared);
    expect(train.modelSpec).toEqual(spec.steps[1]?.kind === 'train' ? spec.steps[1].params.model : null);

    expect(await workers.succeed(submitted.id, 'train')).toEqual(['register']);
    expect(await workers.succeed(submitted.id, 'register')).toEqual(['promote']);
    expect(await workers.succeed(submitted.id, 'promote')).toEqual([]);

    const run = await runs.getRun(submitted.id);
    expect(dispatcher.dispatched.map((d) => [d.step, d.queue, d.job])).toEqual([
      ['prepare', 'data-prep', 'prepare-dataset'],
      ['train', 'training', 'train-model'],
      ['register', 'registration', 'register-model'],
      ['promote', 'registration', 'promote-version'],
    ]);
    expect(run).toMatchObject({ status: 'succeeded', error: null, modelVersion: { model: 'iris', version: 1 }, promotedTo: 'production', datasetDigest: prepared.sourceDigest });
    expect(run.steps.map((s) => [s.name, s.status, s.attempts])).toEqual(spec.steps.map((s) => [s.name, 'succeeded', 1]));
    expect(run.epochs).toHaveLength(asNetworkSpec(train.modelSpec).epochs);
    expect(await registry.resolveAlias('iris', 'production')).toMatchObject({ version: 1, runId: run.id });
  });

  it("registers but does not promote a model below the shorthand's threshold, leaving the alias where it was", async () => {
    useEngine({ accuracyOf: accuracyByLearningRate({ 0.01: 0.97, 0.02: 0.89 }) });
    const good = await submitAndDrain(pipelineSpecFixture({ learningRate: 0.01, minTestAccuracy: 0.9 }));
    const weak = await submitAndDrain(pipelineSpecFixture({ learningRate: 0.02, minTestAccuracy: 0.9 }));

    expect(good).toMatchObject({ status: 'succeeded', modelVersion: { model: 'iris', version: 1 }, promotedTo: 'production' });
    expect(weak).toMatchObject({ status: 'succeeded', modelVersion: { model: 'iris', version: 2 }, promotedTo: null });
    expect(step(weak, 'promote')).toMatchObject({ status: 'skipped', error: expect.stringMatching(/testAccuracy >= 0\.9 does not hold \(testAccuracy = 0\.89\)/) });
    expect(dispatcher.stepsOf(weak.id)).not.toContain('promote');
    expect((await registry.resolveAlias('iris', 'production')).version).toBe(1);
    expect((await registry.getVersion('iris', 2)).aliases).toEqual([]);
  });

  it('never has more trainings of a grid queued than its maxParallelism, and runs every one', async () => {
    const spec = gridPipelineFixture({ maxParallelism: 2 });
    const { id } = await engine.submit(spec);
    expect(await workers.succeed(id, 'prepare')).toEqual(['train[0]', 'train[1]']);
    expect((await runs.getRun(id)).steps.filter((s) => s.step === 'train').map((s) => s.status)).toEqual(['pending', 'pending', 'pending', 'pending']);

    await workers.drain();

    const trainings = dispatcher.dispatched.filter((d) => d.queue === 'training');
    expect(dispatcher.peakOutstanding((d) => d.queue === 'training')).toBe(2);
    expect(trainings.map((d) => d.step).sort()).toEqual(['train[0]', 'train[1]', 'train[2]', 'train[3]']);
    const run = await runs.getRun(id);
    expect(run.status).toBe('succeeded');
    expect(run.steps.filter((s) => s.step === 'train').every((s) => s.status === 'succeeded')).toBe(true);
  });

  it('has evaluate pick the best training of the grid, and register that model', async () => {
    const accuracies = { 0.001: 0.81, 0.01: 0.97, 0.1: 0.9, 0.3: 0.6 };
    useEngine({ accuracyOf: accuracyByLearningRate(accuracies) });
    const run = await submitAndDrain(gridPipelineFixture({ learningRates: [0.001, 0.01, 0.1, 0.3] }));

    const trainings = run.steps.filter((s) => s.step === 'train');
    const best = trainings.find((s) => s.grid?.learningRate === 0.01);
    if (best === undefined) throw new Error('no training of learning rate 0.01');
    const evaluation = evaluateModelsJobSchema.parse(dispatcher.dispatched.find((d) => d.job === 'evaluate-models')?.data);
    expect(evaluation).toMatchObject({ candidates: trainings.map((s) => s.name), metric: 'testAccuracy', goal: 'max' });

    const picked = STEP_OUTPUT_SCHEMAS.evaluate.parse(await outputOf(run.id, 'pick'));
    expect(picked.best).toBe(best.name);
    expect(picked.scores).toEqual(Object.fromEntries(trainings.map((s) => [s.name, s.metrics === null ? undefined : metricValue(s.metrics, 'test.accuracy')])));
    const bestModel = STEP_OUTPUT_SCHEMAS.train.parse(await outputOf(run.id, best.name));
    const version = await registry.getVersion('iris', 1);
    expect(version).toMatchObject({ runId: run.id, modelArtifact: bestModel.model, metrics: bestModel.metrics, aliases: ['production'] });
    expect(run).toMatchObject({ status: 'succeeded', metrics: bestModel.metrics, epochs: bestModel.history, modelVersion: { model: 'iris', version: 1 } });
  });

  it('chooses on validation figures by default, keeping the test split held out, and gates on validation for a bare metric name', async () => {
    // The training best on validation is worse on test: a choice made on test would take the other one.
    useEngine({
      accuracyOf: accuracyByLearningRate({ 0.001: 0.97, 0.01: 0.9, 0.1: 0.8, 0.3: 0.7 }),
      validationAccuracyOf: accuracyByLearningRate({ 0.001: 0.85, 0.01: 0.93, 0.1: 0.8, 0.3: 0.7 }),
    });
    const fixture = gridPipelineFixture({ learningRates: [0.001, 0.01, 0.1, 0.3], registerWhen: { metric: 'accuracy', op: '>=', value: 0.92 } });
    const steps = fixture.steps.map((s) => (s.kind === 'evaluate' ? { ...s, params: {} } : s));
    const run = await submitAndDrain(pipelineSpecSchema.parse({ ...fixture, steps }));

    const evaluation = evaluateModelsJobSchema.parse(dispatcher.dispatched.find((d) => d.job === 'evaluate-models')?.data);
    expect(evaluation).toMatchObject({ metric: 'validation.accuracy', goal: 'max' });
    const picked = STEP_OUTPUT_SCHEMAS.evaluate.parse(await outputOf(run.id, 'pick'));
    expect(run.steps.find((s) => s.name === picked.best)?.grid).toEqual({ learningRate: 0.01 });
    expect(picked.value).toBe(0.93);
    // The register condition read validation accuracy (0.93), not test accuracy (0.9), so it held.
    expect(step(run, 'register').status).toBe('succeeded');
    expect(run.metrics).toMatchObject({ validation: { accuracy: 0.93 }, test: { accuracy: 0.9 } });
  });

  it("keeps every training's curve of a grid apart, with its grid values, while the run's curve is the registered one", async () => {
    const fixture = gridPipelineFixture();
    const steps = fixture.steps.map((s) => (s.kind === 'train' ? { ...s, params: { ...s.params, grid: { epochs: [2, 3] } } } : s));
    const run = await submitAndDrain(pipelineSpecSchema.parse({ ...fixture, steps }));

    const curves = await runs.getTrainingCurves(run.id);
    expect(curves.runId).toBe(run.id);
    expect(curves.trainings.map(({ step, grid, status }) => ({ step, grid, status }))).toEqual(
      run.steps.filter((s) => s.kind === 'train').map(({ name, grid, status }) => ({ step: name, grid, status })),
    );
    expect(curves.trainings.map((training) => [training.grid?.epochs, training.epochs.length])).toEqual([
      [2, 2],
      [3, 3],
    ]);
    for (const training of curves.trainings) {
      expect(training.epochs).toEqual(STEP_OUTPUT_SCHEMAS.train.parse(await outputOf(run.id, training.step)).history);
    }
    const picked = STEP_OUTPUT_SCHEMAS.evaluate.parse(await outputOf(run.id, 'pick')).best;
    expect(run.epochs).toEqual(curves.trainings.find((training) => training.step === picked)?.epochs);
    await expect(runs.getTrainingCurves('run-20260101-000000000-nosuchrn')).rejects.toThrow(RunNotFoundError);
  });

  it('skips register and promote when the condition does not hold, recording why, and the run still succeeds', async () => {
    useEngine({ accuracyOf: () => 0.95 });
    const run = await submitAndDrain(gridPipelineFixture({ registerWhen: { metric: 'testAccuracy', op: '>=', value: 0.99 } }));

    expect(run).toMatchObject({ status: 'succeeded', modelVersion: null, promotedTo: null });
    expect(step(run, 'register')).toMatchObject({ status: 'skipped', error: expect.stringMatching(/testAccuracy >= 0\.99 does not hold \(testAccuracy = 0\.95\)/) });
    expect(step(run, 'promote')).toMatchObject({ status: 'skipped', error: expect.stringMatching(/"register" was skipped/) });
    expect(dispatcher.stepsOf(run.id)).not.toContain('register');
    expect(dispatcher.stepsOf(run.id)).not.toContain('promote');
    expect(await registry.listModels()).toEqual([]);
  });

  it('fails a step, naming the field, whose job returned a result that breaks the step contract', async () => {
    const { id } = await engine.submit(pipelineSpecFixture());
    await workers.succeed(id, 'prepare');
    expect(await workers.succeed(id, 'train', { model: 'not an artifact ref' })).toEqual([]);

    const failed = await runs.getRun(id);
    expect(failed.status).toBe('failed');
    expect(step(failed, 'train')).toMatchObject({ status: 'failed', error: expect.stringMatching(/train step's contract: .*sourceDigest/) });
    expect(dispatcher.outstanding).toEqual([]);
  });

  it('fails the run when a step fails for good; resume queues only the failed step, in generation 1, and the run succeeds', async () => {
    const { id } = await engine.submit(pipelineSpecFixture());
    await workers.succeed(id, 'prepare');
    expect(await workers.fail(id, 'train', 'out of memory')).toEqual([]);

    const failed = await runs.getRun(id);
    expect(failed).toMatchObject({ status: 'failed', error: 'train: out of memory' });
    expect(step(failed, 'register').status).toBe('pending');
    expect(dispatcher.outstanding).toEqual([]);

    const before = dispatcher.dispatched.length;
    const resumed = await engine.resume(id);
    expect(resumed).toMatchObject({ status: 'running', resumes: 1, error: null });
    expect(dispatcher.dispatched.slice(before).map((d) => [d.step, d.generation])).toEqual([['train', 1]]);

    await workers.drain();
    expect(dispatcher.dispatched.slice(before).map((d) => [d.step, d.generation])).toEqual([
      ['train', 1],
      ['register', 1],
      ['promote', 1],
    ]);
    expect(dispatcher.stepsOf(id).filter((s) => s === 'prepare')).toHaveLength(1);
    const done = await runs.getRun(id);
    expect(done).toMatchObject({ status: 'succeeded', resumes: 1, modelVersion: { model: 'iris', version: 1 } });
    expect(step(done, 'prepare')).toEqual(step(failed, 'prepare'));
    expect(step(done, 'train')).toMatchObject({ status: 'succeeded', attempts: step(failed, 'train').attempts + 1 });
    await expect(engine.resume(id)).rejects.toThrow(RunNotResumableError);
  });

  it('ignores an outcome of a stale generation, and of a step that was never queued', async () => {
    const { id } = await engine.submit(pipelineSpecFixture());
    await workers.succeed(id, 'prepare');
    const lateTrain = dispatcher.outstanding[0];
    await workers.fail(id, 'train', 'worker lost');
    await engine.resume(id);
    const before = { run: await runs.getRun(id), dispatched: dispatcher.dispatched.length };

    const job = { attempts: 1, startedAt: time.clock().toISOString(), finishedAt: time.clock().toISOString() };
    const trained = { ok: true as const, result: { reason: 'never read' }, job };
    expect(lateTrain?.generation).toBe(0);
    expect(await engine.recordOutcome(id, 'train', 0, trained)).toEqual([]);
    expect(await engine.recordOutcome(id, 'train', 0, { ok: false, error: 'late failure', job })).toEqual([]);
    expect(await engine.recordOutcome(id, 'register', 1, { ok: false, error: 'never queued', job })).toEqual([]);

    expect(await runs.getRun(id)).toEqual(before.run);
    expect(dispatcher.dispatched).toHaveLength(before.dispatched);
  });

  describe('caching', () => {
    it('reuses every cacheable output of an identical earlier run, naming that run, and still promotes', async () => {
      const first = await submitAndDrain(gridPipelineFixture());
      const firstDispatches = dispatcher.dispatched.length;
      const { id } = await engine.submit(gridPipelineFixture());

      const prepare = prepareDatasetJobSchema.parse(dispatcher.outstanding[0]?.data);
      const { reused, ...firstPrepared } = STEP_OUTPUT_SCHEMAS.prepare.parse(await outputOf(first.id, 'prepare'));
      expect(reused).toBe(false);
      expect(prepare.reusable).toEqual([{ sourceDigest: firstPrepared.sourceDigest, output: firstPrepared }]);
      await workers.drain();

      const second = await runs.getRun(id);
      expect(dispatcher.dispatched.slice(firstDispatches).map((d) => d.step)).toEqual(['prepare', 'promote']);
      expect(second.steps.map((s) => [s.name, s.status, s.cache.cachedFrom])).toEqual(
        first.steps.map((s) => [s.name, s.kind === 'promote' ? 'succeeded' : 'cached', s.kind === 'promote' ? null : { runId: first.id, step: s.name }]),
      );
      expect(second).toMatchObject({ status: 'succeeded', modelVersion: first.modelVersion, metrics: first.metrics, epochs: first.epochs });
      expect(step(second, 'train[0]').cache.key).toBe(step(first, 'train[0]').cache.key);

      const explained = await explainer.explain(id, 'pick');
      expect(explained).toMatchObject({ status: 'cached', bypassed: null, hit: { runId: first.id, step: 'pick' }, nearest: null });
      expect(explained.summary).toMatch(new RegExp(`hit: .*${first.id}`));
    });

    it('bypasses the cache for every step with noCache: true', async () => {
      await submitAndDrain(pipelineSpecFixture());
      const firstDispatches = dispatcher.dispatched.length;
      const second = await submitAndDrain(pipelineSpecFixture(), true);

      expect(prepareDatasetJobSchema.parse(dispatcher.dispatched[firstDispatches]?.data).reusable).toEqual([]);
      expect(dispatcher.stepsOf(second.id)).toEqual(['prepare', 'train', 'register', 'promote']);
      expect(second.steps.map((s) => [s.status, s.cache.cachedFrom])).toEqual(second.steps.map(() => ['succeeded', null]));
      expect((await explainer.explain(second.id, 'train')).bypassed).toMatch(/--no-cache/);
    });

    it('bypasses it only for the steps named in noCache', async () => {
      const first = await submitAndDrain(pipelineSpecFixture());
      const second = await submitAndDrain(pipelineSpecFixture(), ['train']);

      expect(step(second, 'prepare')).toMatchObject({ status: 'cached', cache: { cachedFrom: { runId: first.id, step: 'prepare' } } });
      expect(step(second, 'train')).toMatchObject({ status: 'succeeded', cache: { cachedFrom: null } });
      expect(dispatcher.stepsOf(second.id)).toContain('train');
      expect((await explainer.explain(second.id, 'train')).bypassed).toMatch(/--no-cache train/);
      expect((await explainer.explain(second.id, 'register')).bypassed).toBeNull();
    });

    it('misses when a param changed, and the explanation names the param', async () => {
      const first = await submitAndDrain(pipelineSpecFixture({ learningRate: 0.01 }));
      const second = await submitAndDrain(pipelineSpecFixture({ learningRate: 0.02 }));

      expect(step(second, 'prepare').status).toBe('cached');
      expect(step(second, 'train')).toMatchObject({ status: 'succeeded', cache: { cachedFrom: null } });
      expect(step(second, 'train').cache.key).not.toBe(step(first, 'train').cache.key);

      const explained = await explainer.explain(second.id, 'train');
      expect(explained).toMatchObject({ cacheable: true, bypassed: null, hit: null, nearest: { runId: first.id, step: 'train' } });
      expect(explained.nearest?.differences).toEqual([{ part: 'params.model.learningRate', was: '0.01', now: '0.02' }]);
      expect(explained.summary).toMatch(/params\.model\.learningRate differs/);
    });
    it('resolves a cached registration to the version its promotion already serves, so re-runs move no alias back', async () => {
      // Seeded trainings of the same data and spec give the same model: every run here trains the same content.
      const trained = trainedModelFixture({ label: 'seeded', testAccuracy: 0.95 });
      const runWith = async (noCache: NoCache): Promise<Run> => {
        const { id } = await engine.submit(pipelineSpecFixture(), { noCache });
        await workers.succeed(id, 'prepare');
        if (dispatcher.outstanding.some((d) => d.runId === id && d.step === 'train')) await workers.succeed(id, 'train', trained);
        await workers.drain();
        return runs.getRun(id);
      };
      await runWith(false);
      await runWith(true);
      const third = await runWith(true);
      expect(third.modelVersion).toEqual({ model: 'iris', version: 3 });

      const cached = await runWith(false);
      expect(step(cached, 'register')).toMatchObject({ status: 'cached' });
      expect(cached).toMatchObject({ status: 'succeeded', modelVersion: { model: 'iris', version: 3 }, promotedTo: 'production' });
      expect((await registry.resolveAlias('iris', 'production')).version).toBe(3);
      expect((await registry.aliasHistory('iris', 'production')).map((e) => [e.fromVersion, e.toVersion])).toEqual([
        [2, 3],
        [1, 2],
        [null, 1],
      ]);

      // With the alias on another model, a cached registration names the newest version of its own content.
      const other = await registry.registerVersion({ modelName: 'iris', runId: 'run-hand-trained', trained: trainedModelFixture({ label: 'other', testAccuracy: 0.97 }) });
      await registry.setAlias('iris', 'production', other.version);
      const again = await runWith(false);
      expect(again.modelVersion).toEqual({ model: 'iris', version: 3 });
      expect((await registry.resolveAlias('iris', 'production')).version).toBe(3);
    });
  });

  describe('team quotas', () => {
    it('refuses a run of a team the quotas do not list, recording nothing, unless "*" gives every other team a quota', async () => {
      useEngine({ quotas: { vision: { maxConcurrentTrainings: 1 } } });
      await expect(engine.submit(pipelineSpecFixture({ team: 'constructor' }))).rejects.toThrow(/team "constructor" has no quota/);
      const refusal = engine.submit(pipelineSpecFixture({ team: 'made-up' }));
      await expect(refusal).rejects.toThrow(PipelineSubmissionError);
      await expect(refusal).rejects.toMatchObject({ field: 'pipeline.team', message: expect.stringMatching(/team "made-up" has no quota.*listed: vision/) });
      expect(await runs.listRuns()).toEqual([]);

      useEngine({ quotas: { vision: { maxConcurrentTrainings: 1 }, '*': { maxConcurrentTrainings: 1 } } });
      const first = await engine.submit(pipelineSpecFixture({ team: 'made-up', learningRate: 0.01 }));
      const second = await engine.submit(pipelineSpecFixture({ team: 'made-up', learningRate: 0.02 }));
      expect(await workers.succeed(first.id, 'prepare')).toEqual(['train']);
      expect(await workers.succeed(second.id, 'prepare')).toEqual([]);
      expect(step(await runs.getRun(second.id), 'train')).toMatchObject({ status: 'waiting-for-quota', error: expect.stringMatching(/team "made-up" has 1 of 1/) });
    });

    it("holds a second run's training at the team's concurrency quota, with a reason, and queues it when the first ends", async () => {
      useEngine({ quotas: { vision: { maxConcurrentTrainings: 1 } } });
      const first = await engine.submit(pipelineSpecFixture({ team: 'vision', learningRate: 0.01 }));
      const second = await engine.submit(pipelineSpecFixture({ team: 'vision', learningRate: 0.02 }));
      expect(await workers.succeed(first.id, 'prepare')).toEqual(['train']);
      expect(await workers.succeed(second.id, 'prepare')).toEqual([]);

      const waiting = step(await runs.getRun(second.id), 'train');
      expect(waiting).toMatchObject({ status: 'waiting-for-quota', error: expect.stringMatching(/team "vision" has 1 of 1 concurrent trainings/) });
      expect(dispatcher.stepsOf(second.id)).toEqual(['prepare']);

      expect(await workers.succeed(first.id, 'train')).toEqual(['register', 'train']);
      expect(dispatcher.outstanding.map((d) => [d.runId, d.step])).toEqual([
        [first.id, 'register'],
        [second.id, 'train'],
      ]);
      expect(step(await runs.getRun(second.id), 'train')).toMatchObject({ status: 'pending', error: null });

      await workers.drain();
      expect(dispatcher.peakOutstanding((d) => d.queue === 'training')).toBe(1);
      expect((await runs.getRun(second.id)).status).toBe('succeeded');
    });

    it("admits a team's trainings only while their GPUs fit its quota", async () => {
      useEngine({ quotas: { vision: { maxGpus: 2 } } });
      const { id } = await engine.submit(gridPipelineFixture({ team: 'vision', gpus: 1 }));
      expect(await workers.succeed(id, 'prepare')).toEqual(['train[0]', 'train[1]']);
      expect(step(await runs.getRun(id), 'train[2]')).toMatchObject({ status: 'waiting-for-quota', error: expect.stringMatching(/uses 2 of 2 GPUs; this training requests 1/) });

      await workers.drain();
      expect(dispatcher.peakOutstanding((d) => d.queue === 'training')).toBe(2);
      expect((await runs.getRun(id)).status).toBe('succeeded');
    });

    it("refuses at submit a training that asks for more GPUs than its team's quota, recording nothing", async () => {
      useEngine({ quotas: { vision: { maxGpus: 2 } } });
      const spec = gridPipelineFixture({ team: 'vision', gpus: 4 });
      const trainIndex = spec.steps.findIndex((s) => s.kind === 'train');

      const refusal = engine.submit(spec);
      await expect(refusal).rejects.toThrow(PipelineSubmissionError);
      await expect(refusal).rejects.toMatchObject({ field: `pipeline.steps.${trainIndex}.params.gpus`, message: expect.stringMatching(/4 GPUs.*quota of 2/) });
      expect(await runs.listRuns()).toEqual([]);
      expect(dispatcher.dispatched).toEqual([]);
    });
  });

  it('refuses a choice, a condition or early stopping on validation figures of data prepared without a validation split, recording nothing', async () => {
    const fixture = gridPipelineFixture();
    const withoutValidation = (change: (step: PipelineSpec['steps'][number]) => unknown) =>
      pipelineSpecSchema.parse({
        ...fixture,
        steps: fixture.steps.map((s) => {
          const changed = change(s) ?? s;
          return s.kind === 'prepare' ? { ...s, params: { dataset: { ...s.params.dataset, split: { train: 0.8, validation: 0, test: 0.2 } } } } : changed;
        }),
      });
    const byDefault = withoutValidation((s) => (s.kind === 'evaluate' ? { ...s, params: {} } : undefined));
    await expect(engine.submit(byDefault)).rejects.toMatchObject({ field: 'pipeline.steps.2.params.metric', message: expect.stringMatching(/needs a validation split.*"prepare"/) });
    const gated = withoutValidation((s) => (s.kind === 'register' ? { ...s, when: { metric: 'macroF1', op: '>=', value: 0.5 } } : undefined));
    await expect(engine.submit(gated)).rejects.toMatchObject({ field: 'pipeline.steps.3.when.metric' });
    const stopping = withoutValidation((s) => (s.kind === 'train' ? { ...s, params: { ...s.params, model: { ...s.params.model, earlyStopping: {} } } } : undefined));
    await expect(engine.submit(stopping)).rejects.toMatchObject({ field: 'pipeline.steps.1.params.model.earlyStopping' });
    // A choice made explicitly on test figures needs no validation split.
    const onTest = withoutValidation((s) => (s.kind === 'evaluate' ? { ...s, params: { metric: 'test.accuracy' } } : undefined));
    await expect(engine.submit(onTest)).resolves.toMatchObject({ status: 'queued' });
    expect(await runs.listRuns()).toHaveLength(1);
  });

  it('refuses noCache naming a step the pipeline lacks, recording nothing', async () => {
    const refusal = engine.submit(pipelineSpecFixture(), { noCache: ['nope'] });
    await expect(refusal).rejects.toThrow(PipelineSubmissionError);
    await expect(refusal).rejects.toMatchObject({ field: 'noCache.0', message: expect.stringMatching(/no step "nope"/) });
    expect(await runs.listRuns()).toEqual([]);
    expect(dispatcher.dispatched).toEqual([]);
  });

  it('refuses a run while the queue does not answer, recording nothing, and takes it once the queue is back', async () => {
    dispatcher.setUnreachable(new Error('Redis at 127.0.0.1:6379 is not connected (reconnecting)'));
    const refusal = engine.submit(pipelineSpecFixture(), { id: 'run-while-redis-down' });
    await expect(refusal).rejects.toThrow(QueueUnavailableError);
    await expect(refusal).rejects.toThrow(/queue \(Redis\) unavailable: Redis at 127\.0\.0\.1:6379/);
    expect(await runs.listRuns()).toEqual([]);
    expect(dispatcher.dispatched).toEqual([]);

    dispatcher.setUnreachable(undefined);
    await expect(engine.submit(pipelineSpecFixture(), { id: 'run-while-redis-down' })).resolves.toMatchObject({ id: 'run-while-redis-down', status: 'queued' });
    expect(dispatcher.stepsOf('run-while-redis-down')).toEqual(['prepare']);
  });

  it('fails a run whose first step could not be queued, so that resuming it queues the step', async () => {
    dispatcher.failNextDispatch(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    const refusal = engine.submit(pipelineSpecFixture(), { id: 'run-redis-down' });
    await expect(refusal).rejects.toThrow(StepQueueUnavailableError);
    await expect(refusal).rejects.toThrow(/ECONNREFUSED/);
    expect(dispatcher.dispatched).toEqual([]);
    const failed = await runs.getRun('run-redis-down');
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('could not be queued') });
    expect((await runs.record('run-redis-down')).steps.find((r) => r.name === 'prepare')?.queuedGeneration).toBeNull();

    const resumed = await engine.resume('run-redis-down');
    expect(resumed.status).toBe('running');
    expect(dispatcher.stepsOf('run-redis-down')).toEqual(['prepare']);
    expect(await engine.advance('run-redis-down')).toEqual([]);
  });

  it('records one run for submissions sharing an Idempotency-Key, even when they race', async () => {
    const submissions = await Promise.all([1, 2, 3].map(() => engine.submit(pipelineSpecFixture(), { idempotencyKey: 'key-0001-retry' })));
    expect(new Set(submissions.map((run) => run.id)).size).toBe(1);
    expect(await runs.listRuns()).toHaveLength(1);
    expect(dispatcher.stepsOf(submissions[0].id)).toEqual(['prepare']);
  });

  it('refuses an Idempotency-Key sent again with another pipeline, naming the first run', async () => {
    const first = await engine.submit(pipelineSpecFixture(), { idempotencyKey: 'key-0002-reused' });
    const refusal = engine.submit(pipelineSpecFixture({ learningRate: 0.5 }), { idempotencyKey: 'key-0002-reused' });
    await expect(refusal).rejects.toThrow(IdempotencyKeyReusedError);
    await expect(refusal).rejects.toThrow(new RegExp(`run "${first.id}"`));
    expect(await runs.listRuns()).toHaveLength(1);
  });

  it('refuses, recording nothing, a run that promotes to a protected alias its submitter may not move', async () => {
    useEngine({ authority: runAuthorityWith(['production'], new Map()) });
    const submitter = { name: 'runner', scopes: ['runs:write'], source: 'issued' as const };
    await expect(engine.submit(pipelineSpecFixture(), { submitter })).rejects.toThrow(/token "runner" lacks the scope promote:production/);
    await expect(engine.submit(pipelineSpecFixture())).rejects.toThrow(/protected alias "production"/);
    expect(await runs.listRuns()).toEqual([]);
    expect(dispatcher.dispatched).toEqual([]);
  });

  it('fails the promote step when the submitter lost its promote scope between submit and promotion, and moves no alias', async () => {
    const ci = { name: 'ci', scopes: ['runs:write', 'promote:production'], source: 'issued' as const };
    const principals = new Map([[ci.name, ci]]);
    useEngine({ authority: runAuthorityWith(['production'], principals) });
    const { id } = await engine.submit(pipelineSpecFixture(), { submitter: ci });
    expect((await runs.getRun(id)).submittedBy).toBe('ci');
    principals.delete('ci');
    await workers.drain();
    const run = await runs.getRun(id);
    expect(run.status).toBe('failed');
    expect(step(run, 'promote')).toMatchObject({ status: 'failed', error: expect.stringMatching(/token "ci", which has since been revoked/) });
    expect((await registry.getModel('iris')).aliases).toEqual({});
  });

  it('promotes with the submitter named in the alias history', async () => {
    const ci = { name: 'ci', scopes: ['runs:write', 'promote:production'], source: 'issued' as const };
    useEngine({ authority: runAuthorityWith(['production'], new Map([[ci.name, ci]])) });
    const { id } = await engine.submit(pipelineSpecFixture(), { submitter: ci });
    await workers.drain();
    expect((await runs.getRun(id)).status).toBe('succeeded');
    expect((await registry.aliasHistory('iris', 'production'))[0].actor).toBe(`run:${id} by ci`);
  });
}
