import { asNetworkSpec, metricValue, runComparisonSchema, runSearchQuerySchema, runTrackingSchema, trackedRunSummarySchema, type RunSearch } from '@slipway/contracts';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { RunNotFoundError } from '../errors/run-not-found.error';
import { completePrepare, completeTrain, epochFixture, epochHistoryFixture, gridPipelineFixture, pipelineSpecFixture, preparedDatasetRefFixture, trainedModelFixture } from '../fixtures/registry-fixtures';
import { manualClock, openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../fixtures/test-database';
import { RunService } from '../runs/run.service';
import { SqlRunStore } from '../runs/sql/sql-run-store';
import { RunParamConflictError } from './run-param-conflict.error';
import { TrackingService } from './tracking.service';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

/** Parses a query string the way the HTTP layer receives it (Fastify uses node's querystring semantics). */
function search(query: string): RunSearch {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = params[key];
    params[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return runSearchQuerySchema.parse(params);
}

describe.each(TEST_DATABASE_KINDS)('TrackingService on a %s database', (kind) => {
  let database: TestDatabase;
  let time: ReturnType<typeof manualClock>;
  let runs: RunService;
  let tracking: TrackingService;

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres);
    time = manualClock();
    const store = new SqlRunStore(database.db);
    runs = new RunService(store, { clock: time.clock });
    tracking = new TrackingService(database.db, store);
  });

  afterEach(() => database.close());

  /** A run whose training has finished (the run is running: its register and promote steps are still to come). */
  async function trainedRun(testAccuracy: number, experiment = 'default') {
    time.advance(1_000);
    const { id } = await runs.createRun(pipelineSpecFixture({ learningRate: testAccuracy / 10 }), { experiment });
    await completeTrain(runs, id, 'train', trainedModelFixture({ label: id, testAccuracy }));
    return id;
  }

  /** The run param key of a field of the pipeline's train step: the resolved DAG, flattened. */
  const trainParam = (field: string) => `steps.${pipelineSpecFixture().steps.findIndex((s) => s.kind === 'train')}.params.${field}`;

  it('files runs under their experiment, `default` unless named, and lists experiments with counts', async () => {
    const a = await trainedRun(0.9);
    await trainedRun(0.8, 'tuning');
    const last = await trainedRun(0.7, 'tuning');

    expect((await tracking.getTracking(a)).experiment).toBe('default');
    const experiments = await tracking.listExperiments();
    expect(experiments.map((e) => [e.name, e.runCount])).toEqual([
      ['default', 1],
      ['tuning', 2],
    ]);
    expect(experiments[1]?.lastRunAt).toBe((await runs.getRun(last)).createdAt);
  });

  it('stores the resolved pipeline as write-once params: the same value again is fine, another is a conflict', async () => {
    const spec = pipelineSpecFixture();
    const train = spec.steps.find((s) => s.kind === 'train');
    const promoteIndex = spec.steps.findIndex((s) => s.kind === 'promote');
    if (train?.kind !== 'train') throw new Error('the fixture pipeline has no train step');
    const model = asNetworkSpec(train.params.model);
    const { id } = await runs.createRun(spec);
    const { params } = await tracking.getTracking(id);
    expect(params[trainParam('model.learningRate')]).toBe(String(model.learningRate));
    expect(params[trainParam('model.layers.0.units')]).toBe(String(model.layers[0]?.type === 'dense' ? model.layers[0].units : ''));
    expect(params[`steps.${promoteIndex}.params.alias`]).toBe('production');
    expect(params.team).toBe('default');

    const logged = await tracking.logParams(id, { seed: '42', [trainParam('model.learningRate')]: String(model.learningRate) });
    expect(logged.seed).toBe('42');
    await expect(tracking.logParams(id, { seed: '42' })).resolves.toMatchObject({ seed: '42' });

    const conflict = tracking.logParams(id, { extra: 'x', seed: '43' });
    await expect(conflict).rejects.toThrow(RunParamConflictError);
    await expect(conflict).rejects.toThrow(/param "seed" of run ".*" is already set to "42"/);
    // Nothing of a refused batch is written.
    expect((await tracking.getTracking(id)).params.extra).toBeUndefined();
  });

  it('keeps the full metric history with steps and timestamps, from epochs, test metrics and batches', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    await runs.markStepStarted(id, 'train', 1);
    for (const epoch of epochHistoryFixture(2)) {
      time.advance(100);
      await runs.recordEpoch(id, 'train', { ...epoch, backend: 'cpu' });
    }
    const liveLoss = await tracking.metricHistory(id, 'loss');
    expect(liveLoss.map((p) => p.step)).toEqual([1, 2]);
    expect(liveLoss[0]?.timestamp).not.toBe(liveLoss[1]?.timestamp);

    const trained = trainedModelFixture({ label: id, testAccuracy: 0.93, epochs: 3 });
    time.advance(100);
    await completeTrain(runs, id, 'train', trained);
    await tracking.logMetrics(id, [
      { key: 'f1', value: 0.5, step: 1, timestamp: '2025-06-01T12:10:00.000Z' },
      { key: 'f1', value: 0.7, step: 2, timestamp: '2025-06-01T12:11:00.000Z' },
      { key: 'f1', value: 0.6, step: 1, timestamp: '2025-06-01T12:12:00.000Z' },
    ]);

    const loss = await tracking.metricHistory(id, 'loss');
    expect(loss.map((p) => [p.step, p.value])).toEqual(trained.history.map((e) => [e.epoch, e.loss]));
    // Epochs seen live keep the time they ended; the final history only adds what was missed.
    expect(loss.slice(0, 2).map((p) => p.timestamp)).toEqual(liveLoss.map((p) => p.timestamp));
    expect(await tracking.metricHistory(id, 'f1')).toEqual([
      { key: 'f1', value: 0.6, step: 1, timestamp: '2025-06-01T12:12:00.000Z' },
      { key: 'f1', value: 0.7, step: 2, timestamp: '2025-06-01T12:11:00.000Z' },
    ]);
    const all = await tracking.metricHistory(id);
    expect(new Set(all.map((p) => p.key))).toEqual(
      new Set(['accuracy', 'f1', 'loss', 'test.accuracy', 'test.loss', 'test.rows', 'validation.accuracy', 'validation.loss', 'validation.rows', 'valAccuracy', 'valLoss']),
    );

    const { latestMetrics, system } = runTrackingSchema.parse(await tracking.getTracking(id));
    expect(latestMetrics).toMatchObject({ 'test.accuracy': 0.93, f1: 0.7, loss: trained.history.at(-1)?.loss });
    expect(system).toMatchObject({ backend: trained.backend, trainingDurationMs: trained.trainingDurationMs, samplesPerSecond: trained.samplesPerSecond, peakMemoryBytes: null });
  });

  it("keeps each grid training's metric history under its own step name", async () => {
    const { id } = await runs.createRun(gridPipelineFixture({ learningRates: [0.01, 0.1] }));
    await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    await runs.recordEpoch(id, 'train[1]', { ...epochFixture(), backend: 'cpu' });
    const trained = [2, 3].map((epochs, i) => trainedModelFixture({ label: `${id}/${i}`, testAccuracy: 0.9 + i / 100, epochs }));
    for (const [i, model] of trained.entries()) await completeTrain(runs, id, `train[${i}]`, model);

    for (const [i, model] of trained.entries()) {
      const loss = await tracking.metricHistory(id, `train[${i}].loss`);
      expect(loss.map((p) => [p.step, p.value])).toEqual(model.history.map((e) => [e.epoch, e.loss]));
      expect((await tracking.metricHistory(id, `train[${i}].test.accuracy`)).map((p) => p.value)).toEqual([metricValue(model.metrics, 'test.accuracy')]);
    }
    expect(await tracking.metricHistory(id, 'loss')).toEqual([]);
  });

  it('sets and removes run tags, and records host and peak memory when the trainer reports them', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    expect(await tracking.patchTags(id, { owner: 'alice', purpose: 'baseline' })).toEqual({ owner: 'alice', purpose: 'baseline' });
    expect(await tracking.patchTags(id, { purpose: null, owner: 'bob' })).toEqual({ owner: 'bob' });

    const bigPeak = 6 * 1024 ** 3; // beyond 32 bits
    const updated = await tracking.updateSystemInfo(id, { host: 'trainer-0', peakMemoryBytes: bigPeak });
    expect(updated.system).toMatchObject({ host: 'trainer-0', peakMemoryBytes: bigPeak });
    expect((await tracking.updateSystemInfo(id, {})).system.host).toBe('trainer-0');
  });

  it('searches by experiment, status, tag and metric, ordered by a metric with runs lacking it last', async () => {
    const low = await trainedRun(0.6, 'tuning');
    const high = await trainedRun(0.97, 'tuning');
    const mid = await trainedRun(0.9, 'tuning');
    const other = await trainedRun(0.99, 'other');
    time.advance(1_000);
    const untrained = (await runs.createRun(pipelineSpecFixture(), { experiment: 'tuning' })).id;
    await tracking.patchTags(mid, { team: 'vision' });
    await tracking.patchTags(high, { team: 'vision' });
    await tracking.patchTags(low, { team: 'nlp' });

    const ids = async (query: string) => (await tracking.searchRuns(search(query))).map((r) => r.id);
    expect(await ids('experiment=tuning&orderBy=metric.test.accuracy&order=desc')).toEqual([high, mid, low, untrained]);
    expect(await ids('experiment=tuning&orderBy=metric.test.accuracy&order=asc')).toEqual([low, mid, high, untrained]);
    expect(await ids('metric.test.accuracy>=0.9&orderBy=metric.test.accuracy')).toEqual([other, high, mid]);
    expect(await ids('metric.test.accuracy>0.9&metric.test.accuracy<0.99&order=asc&orderBy=metric.test.accuracy')).toEqual([high]);
    expect(await ids('metric.test.accuracy!=0.9&tag.team=vision')).toEqual([high]);
    expect(await ids('tag.team=vision&orderBy=createdAt&order=asc')).toEqual([high, mid]);
    await runs.markStepFailed(other, 'register', 'model store unreachable', true);
    expect(await ids('status=failed')).toEqual([other]);
    expect(await ids('status=queued')).toEqual([untrained]);
    expect(await ids('status=running&orderBy=createdAt&order=asc')).toEqual([low, high, mid]);
    expect(await ids('experiment=tuning&limit=2')).toEqual([untrained, mid]);
    // Values are bound, never SQL: a quote in a tag value just matches nothing.
    expect(await ids("tag.team=vision' or '1'='1")).toEqual([]);

    const [first] = await tracking.searchRuns(search('experiment=other'));
    expect(trackedRunSummarySchema.parse(first)).toEqual(first);
    expect(first).toMatchObject({ id: other, experiment: 'other', tags: {}, latestMetrics: { 'test.accuracy': 0.99 } });
  });

  it('compares runs side by side: shared and differing params, and a metrics table', async () => {
    const a = await trainedRun(0.8);
    const b = await trainedRun(0.9);
    const { id: c } = await runs.createRun(pipelineSpecFixture());
    await tracking.logParams(a, { note: 'only-a' });

    const comparison = runComparisonSchema.parse(await tracking.compareRuns([b, a, c]));
    expect(comparison.runs.map((r) => r.id)).toEqual([b, a, c]);
    const prepareIndex = pipelineSpecFixture().steps.findIndex((s) => s.kind === 'prepare');
    expect(comparison.params.different[trainParam('model.learningRate')]).toEqual({ [a]: '0.08', [b]: '0.09', [c]: '0.01' });
    expect(comparison.params.different.note).toEqual({ [a]: 'only-a', [b]: null, [c]: null });
    expect(comparison.params.same[`steps.${prepareIndex}.params.dataset.labelColumn`]).toBe('species');
    expect(comparison.metrics['test.accuracy']).toEqual({ [a]: 0.8, [b]: 0.9, [c]: null });

    await expect(tracking.compareRuns([a, 'run-missing'])).rejects.toThrow(RunNotFoundError);
  });

  it('names the missing run', async () => {
    await expect(tracking.logMetrics('run-missing', [{ key: 'x', value: 1, step: 0, timestamp: '2025-06-01T12:00:00.000Z' }])).rejects.toThrow(/run-missing/);
    await expect(tracking.patchTags('run-missing', { a: 'b' })).rejects.toThrow(RunNotFoundError);
    await expect(tracking.logParams('run-missing', { a: 'b' })).rejects.toThrow(RunNotFoundError);
    await expect(tracking.getTracking('run-missing')).rejects.toThrow(RunNotFoundError);
    await expect(tracking.metricHistory('run-missing')).rejects.toThrow(RunNotFoundError);
  });
});
